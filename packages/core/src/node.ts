import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Payments } from './engine.js';
import { PaymentsError } from './errors.js';
import type { PaymentsRequest, PaymentsResponse } from './http-types.js';

/** What an adapter knows about a Node request beyond `IncomingMessage` itself. */
export interface NodeRequestDetails {
  /** The path below the mount point, without the query. */
  readonly path: string;
  /** The query string without `?`. */
  readonly rawQuery: string;
  /** The client address per the framework's trust-proxy setting. */
  readonly ip?: string | undefined;
  /** A body a parser in front of paymount already produced (`req.body`, `ctx.request.body`). */
  readonly parsedBody?: unknown;
  /** The raw text a parser in front kept (koa-bodyparser's `ctx.request.rawBody`). */
  readonly rawBody?: string | undefined;
}

/** Splits `req.url`-style text into path and query. */
export function splitUrl(url: string): { path: string; rawQuery: string } {
  const at = url.indexOf('?');
  return at === -1 ? { path: url, rawQuery: '' } : { path: url.slice(0, at), rawQuery: url.slice(at + 1) };
}

function streamUnread(req: IncomingMessage): boolean {
  // body-parser sets `_body` once it has read the stream, even when it leaves `req.body` empty.
  return !req.readableEnded && !(req as { _body?: unknown })._body && req.readable;
}

/** Reads a request body up to `limit` bytes; a larger one is a `payload_too_large` error. */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new PaymentsError('payload_too_large', `The request body is larger than ${limit} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > limit) {
      req.resume();
      throw new PaymentsError('payload_too_large', `The request body is larger than ${limit} bytes.`);
    }
    chunks.push(buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function usableParsedBody(parsed: unknown): Readonly<Record<string, unknown>> | undefined {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Buffer.isBuffer(parsed)) {
    return undefined;
  }
  return parsed as Record<string, unknown>;
}

/**
 * The one Node ⇄ core conversion every adapter uses. Returns undefined for paths
 * that are not paymount's without reading anything; reads the body only for
 * routes that need one, and only if no parser in front consumed it.
 */
export async function handleNodeRequest(
  payments: Payments,
  req: IncomingMessage,
  details: NodeRequestDetails,
): Promise<PaymentsResponse | undefined> {
  const method = req.method ?? 'GET';
  const matched = payments.match(method, details.path);
  if (!matched) return undefined;
  let body: PaymentsRequest['body'];
  let bodyUnavailable = false;
  if (matched.needsBody) {
    if (typeof details.rawBody === 'string' && details.rawBody.length > 0) {
      body = details.rawBody;
    } else if (streamUnread(req)) {
      try {
        body = await readRawBody(req, payments.maxBodyBytes);
      } catch (error) {
        const known = error as PaymentsError;
        return {
          status: known.status,
          headers: { 'content-type': 'application/json; charset=utf-8', connection: 'close' },
          body: JSON.stringify(known.toJSON()),
        };
      }
    } else {
      body = usableParsedBody(details.parsedBody);
      bodyUnavailable =
        body === undefined && req.readableEnded && Number(req.headers['content-length'] ?? 0) > 0;
    }
  }
  return payments.handle({
    method,
    path: details.path,
    query: details.rawQuery,
    headers: req.headers,
    body,
    ip: details.ip,
    bodyUnavailable,
  });
}

/** Writes a paymount response onto a Node response. */
export function writeNodeResponse(res: ServerResponse, response: PaymentsResponse): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(response.body);
}
