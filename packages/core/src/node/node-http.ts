import {
  type IncomingMessage,
  type ServerResponse,
  validateHeaderName,
  validateHeaderValue,
} from 'node:http';
import { isParsedFields } from '../contracts/callback-body.js';
import type { PaymentsResponse, PaymountHandler, RouteMatch } from '../contracts/http.js';
import { PaymentsError } from '../domain/errors.js';
import { type AdapterBody, answerMatched, internalError, tooLarge } from '../http/adapter-request.js';
import type { Logger } from '../logging/logger.js';

export { mountPrefix, splitUrl } from '../http/adapter-request.js';

/** What an adapter knows about a Node request beyond `IncomingMessage` itself. */
export interface NodeRequestDetails {
  /** The path below the mount point, without the query. */
  readonly path: string;
  /** The query string without `?`. */
  readonly rawQuery: string;
  /** The client address per the framework's trust-proxy setting. */
  readonly ip?: string | undefined;
  /**
   * What a body parser in front of paymount left (`req.body`, `ctx.request.body`): an
   * object from a JSON or form parser, or the raw bytes or text from a raw/text parser.
   */
  readonly parsedBody?: unknown;
  /** The raw text a parser in front kept (koa-bodyparser's `ctx.request.rawBody`). */
  readonly rawBody?: string | undefined;
  /** The framework's own request (Express `req`, Koa `ctx`), passed on to `loadOrder` untouched. */
  readonly frameworkRequest?: unknown;
}

function streamUnread(req: IncomingMessage): boolean {
  // body-parser 1.x sets `_body` as soon as it starts reading, even when it leaves `req.body` empty.
  return !req.readableEnded && !(req as { _body?: unknown })._body && req.readable;
}

function declaresBody(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

/** Reads a request body up to `limit` bytes; a larger one is a `payload_too_large` error. */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  // Plain listeners rather than `for await`: the async iterator costs more per request.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onAborted = (): void => onError(new Error('request aborted'));
    // A client that goes away mid-body may close the stream without 'end' or 'error'.
    const onClose = (): void => onError(new Error('request closed before its body ended'));
    req.on('data', onData);
    req.on('close', onClose);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/**
 * About how many bytes parsed fields took as text, counted until `stopAfter` is passed:
 * each name and string value by its UTF-8 length, other values by their text, plus one
 * separator each, nested objects and arrays walked without recursion. A parser in front
 * of paymount with a larger limit leaves no bytes to measure when the body came chunked,
 * with no content-length; this stands in for them, so paymount's own limit still holds.
 */
function parsedFieldsBytes(fields: Readonly<Record<string, unknown>>, stopAfter: number): number {
  let bytes = 0;
  const pending: unknown[] = [fields];
  while (pending.length > 0 && bytes <= stopAfter) {
    const value = pending.pop();
    if (typeof value === 'string') bytes += Buffer.byteLength(value) + 1;
    else if (Array.isArray(value)) {
      bytes += 1;
      // One push each: spreading a parsed array of a few hundred thousand items overflows the stack.
      for (const item of value) pending.push(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const [name, inner] of Object.entries(value)) {
        bytes += Buffer.byteLength(name) + 1;
        pending.push(inner);
      }
    } else bytes += String(value).length + 1;
  }
  return bytes;
}

/**
 * The callback body from wherever it still is: the raw text a parser kept, the
 * unread stream, or what a parser produced. `unavailable` only when the bytes are
 * gone and the parser left nothing at all; a parser's result paymount cannot read
 * (a JSON array, a number) is the sender's fault, a 4xx — unless the route can do
 * without its body (checkout's optional form). paymount's size limit applies in every
 * case, also when a parser with a larger limit ran first.
 */
async function callbackBody(
  req: IncomingMessage,
  details: NodeRequestDetails,
  limit: number,
  matched: RouteMatch,
): Promise<AdapterBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    if (streamUnread(req)) req.resume();
    throw tooLarge(limit);
  }
  const { rawBody, parsedBody } = details;
  if (typeof rawBody === 'string' && rawBody.length > 0) {
    if (Buffer.byteLength(rawBody) > limit) throw tooLarge(limit);
    return { body: rawBody, unavailable: false };
  }
  if (streamUnread(req)) return { body: await readRawBody(req, limit), unavailable: false };
  if (parsedBody instanceof Uint8Array || (typeof parsedBody === 'string' && parsedBody.length > 0)) {
    // express.raw() / express.text() kept the bytes themselves.
    const size = typeof parsedBody === 'string' ? Buffer.byteLength(parsedBody) : parsedBody.byteLength;
    if (size > limit) throw tooLarge(limit);
    return { body: parsedBody, unavailable: false };
  }
  if (isParsedFields(parsedBody)) {
    // A chunked body has no declared length to check above: the fields stand in for its bytes.
    if (parsedFieldsBytes(parsedBody, limit) > limit) throw tooLarge(limit);
    return { body: parsedBody, unavailable: false };
  }
  if (!declaresBody(req)) return { body: undefined, unavailable: false };
  if (parsedBody === undefined) return { body: undefined, unavailable: true };
  if (matched.bodyOptional) return { body: undefined, unavailable: false };
  throw new PaymentsError('callback_invalid', 'The request body is not an object of fields.');
}

/**
 * The one Node ⇄ core conversion every adapter uses, for any {@link PaymountHandler}.
 * Resolves to undefined for paths that are not the handler's without reading anything
 * (an adapter that already matched passes its `matched` and spares a second match);
 * reads the body only for routes that need one, and only if no parser in front
 * consumed it. Never rejects: every failure becomes the handler's own JSON error
 * answer, so nothing paymount does reaches the shop's error handler.
 */
export async function handleNodeRequest<M extends RouteMatch>(
  handler: PaymountHandler<M>,
  req: IncomingMessage,
  details: NodeRequestDetails,
  matched: M | undefined = handler.match(req.method ?? 'GET', details.path),
): Promise<PaymentsResponse | undefined> {
  if (!matched) return undefined;
  const request = {
    method: req.method ?? 'GET',
    path: details.path,
    rawQuery: details.rawQuery,
    headers: req.headers,
    ip: details.ip,
    frameworkRequest: details.frameworkRequest,
  };
  return answerMatched(handler, request, matched, (limit) => callbackBody(req, details, limit, matched));
}

function isWritable(response: PaymentsResponse): boolean {
  const { status, headers } = response;
  if (!Number.isInteger(status) || status < 100 || status > 999) return false;
  try {
    for (const [name, value] of Object.entries(headers)) {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * The response itself when Node can write it, else paymount's 500 `internal_error`:
 * a status or header value that Node would refuse (a provider's text in a header)
 * must end as an answer, never as an exception in the adapter.
 */
export function writableResponse(response: PaymentsResponse, logger?: Logger): PaymentsResponse {
  if (isWritable(response)) return response;
  logger?.error(
    { status: response.status, headers: Object.keys(response.headers) },
    'paymount: an answer held a status or header Node cannot send; answered 500 instead',
  );
  return internalError(new Error('unwritable response'));
}

/** Ends a response that cannot be completed: closes the socket when headers already went out. */
function abandon(res: ServerResponse): void {
  if (!res.writableEnded) res.destroy();
}

/**
 * Writes a paymount response onto a Node response (unless something else already
 * answered). Never throws: an answer Node would refuse becomes paymount's 500 JSON
 * error, and a write that fails midway closes the socket.
 */
export function writeNodeResponse(res: ServerResponse, response: PaymentsResponse, logger?: Logger): void {
  if (res.headersSent) return;
  const safe = writableResponse(response, logger);
  try {
    // One writeHead with all headers: cheaper than a setHeader call per header. With the
    // length given, Node sends the answer whole instead of in chunks with a closing one
    // (a HEAD answer's body is empty, so its length would misstate the GET's; 204 and 304
    // carry no length at all).
    const sized =
      res.req?.method === 'HEAD' ||
      safe.status === 204 ||
      safe.status === 304 ||
      'content-length' in safe.headers
        ? safe.headers
        : { ...safe.headers, 'content-length': String(Buffer.byteLength(safe.body)) };
    res.writeHead(safe.status, sized);
    res.end(safe.body);
  } catch (error) {
    logger?.error({ err: error }, 'paymount: writing the answer failed; the connection is closed');
    abandon(res);
  }
}

/**
 * For an adapter's last line of defence, when something on paymount's path threw:
 * logs it and answers paymount's 500 JSON error, or closes the socket when the
 * headers were already sent. Never throws.
 */
export function writeNodeFailure(res: ServerResponse, error: unknown, logger?: Logger): void {
  try {
    logger?.error({ err: error }, 'paymount: adapter failure');
    if (res.headersSent) abandon(res);
    else writeNodeResponse(res, internalError(error), logger);
  } catch {
    abandon(res);
  }
}

/** paymount's 500 `internal_error` answer, for adapters that catch a failure of their own. */
export function internalErrorResponse(): PaymentsResponse {
  return internalError(undefined);
}
