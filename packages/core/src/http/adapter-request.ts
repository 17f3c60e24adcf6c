import type {
  HeaderMap,
  PaymentsRequest,
  PaymentsResponse,
  PaymountHandler,
  RouteMatch,
} from '../contracts/http.js';
import { isPaymentsError, PaymentsError } from '../domain/errors.js';
import { errorResponse } from './responses.js';

// What every adapter does around a request once it has matched it, whatever the runtime
// (node:http streams, the Fetch API): read the body only for routes that need one, turn a
// body that cannot be read into a stable 4xx, build the one PaymentsRequest, and never let
// a failure out. The runtime-specific part is only how the body is read.

/** What an adapter knows of a matched request, besides its body. */
export interface AdapterRequest {
  readonly method: string;
  /** The path below the mount point, without the query. */
  readonly path: string;
  /** The query string without `?`. */
  readonly rawQuery: string;
  readonly headers: HeaderMap;
  /** The client address per the framework's (or the shop's) trust-proxy setting. */
  readonly ip?: string | undefined;
  /** The framework's own request, passed on to `loadOrder` untouched. */
  readonly frameworkRequest?: unknown;
}

/** A request body as an adapter found it: `unavailable` when someone else consumed the bytes and left nothing. */
export interface AdapterBody {
  readonly body: PaymentsRequest['body'];
  readonly unavailable: boolean;
}

/** Reads the body up to `limit` bytes; rejects with `payload_too_large` (or another PaymentsError) for the sender's faults. */
export type AdapterBodyReader = (limit: number) => Promise<AdapterBody>;

/** The error for a body over the handler's limit. */
export function tooLarge(limit: number): PaymentsError {
  return new PaymentsError('payload_too_large', `The request body is larger than ${limit} bytes.`);
}

const unredacted = (text: string): string => text;

/** paymount's 500 `internal_error` answer, its cause kept for the logs only. */
export function internalError(cause: unknown): PaymentsResponse {
  return errorResponse(new PaymentsError('internal_error', 'Unexpected failure.', { cause }), unredacted);
}

/** A body that could not be read, as the answer the sender gets. */
function bodyRefused(handler: PaymountHandler<RouteMatch>, path: string, error: unknown): PaymentsResponse {
  if (isPaymentsError(error)) {
    handler.logger.warn({ path, code: error.code }, 'paymount: request refused');
    // Unread bytes of a too large body may still follow: the connection cannot be reused.
    const extra: Record<string, string> = error.code === 'payload_too_large' ? { connection: 'close' } : {};
    return errorResponse(error, unredacted, extra);
  }
  // The client went away or sent a broken stream; nobody is left to read a long answer.
  return errorResponse(
    new PaymentsError('invalid_request', 'The request body could not be read.'),
    unredacted,
  );
}

/**
 * Answers a request the handler matched: reads its body with `readBody` when the route
 * needs one, then asks the handler. Never rejects: every failure becomes the handler's
 * own JSON error answer.
 */
export async function answerMatched<M extends RouteMatch>(
  handler: PaymountHandler<M>,
  request: AdapterRequest,
  matched: M,
  readBody: AdapterBodyReader,
): Promise<PaymentsResponse> {
  try {
    let found: AdapterBody = { body: undefined, unavailable: false };
    if (matched.needsBody) {
      try {
        found = await readBody(handler.maxBodyBytes);
      } catch (error) {
        return bodyRefused(handler, request.path, error);
      }
    }
    const paymentsRequest: PaymentsRequest = {
      method: request.method,
      path: request.path,
      query: request.rawQuery,
      headers: request.headers,
      body: found.body,
      ip: request.ip,
      bodyUnavailable: found.unavailable,
      frameworkRequest: request.frameworkRequest,
    };
    return await handler.respond(paymentsRequest, matched);
  } catch (error) {
    handler.logger.error({ err: error, path: request.path }, 'paymount: adapter failure');
    return internalError(error);
  }
}

/** A mount `prefix` option in one spelling: `'pay/'`, `'/pay'` and `'//pay//'` are `'/pay'`; empty is `''`. */
export function mountPrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `/${trimmed}`;
}

/** Splits `req.url`-style text into path and query. */
export function splitUrl(url: string): { path: string; rawQuery: string } {
  const at = url.indexOf('?');
  return at === -1 ? { path: url, rawQuery: '' } : { path: url.slice(0, at), rawQuery: url.slice(at + 1) };
}
