import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PaymentsRequest, PaymentsResponse, PaymountHandler, RouteMatch } from '../contracts/http.js';
import { isPaymentsError, PaymentsError } from '../domain/errors.js';
import { errorResponse } from '../http/responses.js';

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
}

/** Splits `req.url`-style text into path and query. */
export function splitUrl(url: string): { path: string; rawQuery: string } {
  const at = url.indexOf('?');
  return at === -1 ? { path: url, rawQuery: '' } : { path: url.slice(0, at), rawQuery: url.slice(at + 1) };
}

function tooLarge(limit: number): PaymentsError {
  return new PaymentsError('payload_too_large', `The request body is larger than ${limit} bytes.`);
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

type Body = PaymentsRequest['body'];

/**
 * The callback body from wherever it still is: the raw text a parser kept, the
 * unread stream, or what a parser produced. `unavailable` when the bytes are gone
 * and nothing usable was left behind. paymount's size limit applies in every case,
 * also when a parser with a larger limit ran first.
 */
async function callbackBody(
  req: IncomingMessage,
  details: NodeRequestDetails,
  limit: number,
): Promise<{ body: Body; unavailable: boolean }> {
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
  if (typeof parsedBody === 'object' && parsedBody !== null && !Array.isArray(parsedBody)) {
    return { body: parsedBody as Readonly<Record<string, unknown>>, unavailable: false };
  }
  return { body: undefined, unavailable: declaresBody(req) };
}

const unredacted = (text: string): string => text;

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
  const method = req.method ?? 'GET';
  try {
    let body: Body;
    let bodyUnavailable = false;
    if (matched.needsBody) {
      try {
        ({ body, unavailable: bodyUnavailable } = await callbackBody(req, details, handler.maxBodyBytes));
      } catch (error) {
        if (isPaymentsError(error)) return errorResponse(error, unredacted, { connection: 'close' });
        // The client went away or sent a broken stream; nobody is left to read a long answer.
        const unreadable = new PaymentsError('invalid_request', 'The request body could not be read.');
        return errorResponse(unreadable, unredacted);
      }
    }
    const request: PaymentsRequest = {
      method,
      path: details.path,
      query: details.rawQuery,
      headers: req.headers,
      body,
      ip: details.ip,
      bodyUnavailable,
    };
    return await handler.respond(request, matched);
  } catch (error) {
    handler.logger.error({ err: error, path: details.path }, 'paymount: adapter failure');
    const failure = new PaymentsError('internal_error', 'Unexpected failure.', { cause: error });
    return errorResponse(failure, unredacted);
  }
}

/** Writes a paymount response onto a Node response (unless something else already answered). */
export function writeNodeResponse(res: ServerResponse, response: PaymentsResponse): void {
  if (res.headersSent) return;
  // One writeHead with all headers: cheaper than a setHeader call per header.
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}
