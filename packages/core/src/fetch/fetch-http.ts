import type { HeaderMap, PaymentsResponse, PaymountHandler, RouteMatch } from '../contracts/http.js';
import { type AdapterBody, answerMatched, internalError, tooLarge } from '../http/adapter-request.js';
import type { Logger } from '../logging/logger.js';

// The Fetch API (`Request` → `Response`) ⇄ core conversion: Hono, Next.js route handlers,
// Bun, Deno and edge runtimes. Web-standard globals only, nothing of node:*.

/** What an adapter knows about a Fetch request beyond the `Request` itself. */
export interface FetchRequestDetails {
  /** The path below the mount point, without the query. */
  readonly path: string;
  /** The query string without `?`. */
  readonly rawQuery: string;
  /** The client address: the runtime's socket address, or what a proxy the shop trusts said. */
  readonly ip?: string | undefined;
  /** The framework's own request (Hono's `c`, or the `Request`), passed on to `loadOrder` untouched. */
  readonly frameworkRequest?: unknown;
}

/** The path and query of a Fetch request's absolute URL, exactly as sent (not normalised, not decoded). */
export function fetchRequestTarget(url: string): { path: string; rawQuery: string } {
  const scheme = url.indexOf('://');
  const slash = url.indexOf('/', scheme === -1 ? 0 : scheme + 3);
  const hash = url.indexOf('#');
  const target = slash === -1 ? '/' : url.slice(slash, hash === -1 ? undefined : hash);
  const at = target.indexOf('?');
  return at === -1
    ? { path: target, rawQuery: '' }
    : { path: target.slice(0, at), rawQuery: target.slice(at + 1) };
}

/** A Fetch `Headers` as the lower-case header map core reads (repeated headers joined by `, `, as `Headers` does). */
export function fetchHeaderMap(headers: Headers): HeaderMap {
  const map: Record<string, string> = {};
  headers.forEach((value, name) => {
    map[name] = value;
  });
  return map;
}

/**
 * Reads a Fetch request body up to `limit` bytes; a larger one is a `payload_too_large`
 * error, found from its Content-Length before anything is read, or as soon as the
 * chunks read pass the limit (then the rest is cancelled, never buffered).
 */
export async function readFetchBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/** The body, unless something in front consumed it (Hono's `c.req.json()`, a middleware's `request.text()`). */
async function fetchBody(request: Request, limit: number): Promise<AdapterBody> {
  if (request.bodyUsed || request.body?.locked) {
    // The bytes are gone: paymount cannot check a provider's signature over them.
    return { body: undefined, unavailable: request.headers.get('content-length') !== '0' };
  }
  if (request.body === null) return { body: undefined, unavailable: false };
  return { body: await readFetchBody(request, limit), unavailable: false };
}

/**
 * The one Fetch ⇄ core conversion, for any {@link PaymountHandler}: resolves to undefined
 * for paths that are not the handler's without reading anything (pass `matched` when the
 * adapter already matched); reads the body only for routes that need one. Never rejects:
 * every failure becomes the handler's own JSON error answer.
 */
export async function handleFetchRequest<M extends RouteMatch>(
  handler: PaymountHandler<M>,
  request: Request,
  details: FetchRequestDetails,
  matched: M | undefined = handler.match(request.method, details.path),
): Promise<PaymentsResponse | undefined> {
  if (!matched) return undefined;
  const adapterRequest = {
    method: request.method,
    path: details.path,
    rawQuery: details.rawQuery,
    headers: fetchHeaderMap(request.headers),
    ip: details.ip,
    frameworkRequest: details.frameworkRequest,
  };
  return answerMatched(handler, adapterRequest, matched, (limit) => fetchBody(request, limit));
}

// Not Buffer: the Fetch handler runs where Node's globals may not.
const UTF8 = new TextEncoder();

/** Statuses whose Fetch `Response` must have no body. */
const NO_BODY = new Set([101, 103, 204, 205, 304]);

function toResponse(response: PaymentsResponse): Response {
  const headers = new Headers(response.headers);
  // Hop-by-hop: the runtime owns the connection (and HTTP/2 forbids the header).
  headers.delete('connection');
  const body = NO_BODY.has(response.status) || response.body === '' ? null : response.body;
  // A known length lets the runtime send the answer whole rather than in chunks.
  if (body !== null && !headers.has('content-length')) {
    headers.set('content-length', String(UTF8.encode(body).byteLength));
  }
  return new Response(body, { status: response.status, headers });
}

/**
 * A paymount answer as a Fetch `Response`. Never throws: an answer the runtime refuses
 * (a status out of range, a header value it cannot send) becomes paymount's 500 JSON error.
 */
export function toFetchResponse(response: PaymentsResponse, logger?: Logger): Response {
  try {
    return toResponse(response);
  } catch (error) {
    logger?.error(
      { err: error, status: response.status, headers: Object.keys(response.headers) },
      'paymount: an answer held a status or header the runtime cannot send; answered 500 instead',
    );
    return toResponse(internalError(error));
  }
}
