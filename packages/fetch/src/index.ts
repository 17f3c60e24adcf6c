import {
  fetchRequestTarget,
  handleFetchRequest,
  mountPrefix,
  type PaymountHandler,
  type RouteMatch,
  toFetchResponse,
} from '@paymount/core/fetch';

export interface PaymountFetchOptions {
  /** Where the routes live in the request's path, like `'/pay'`. Default `''`: the root. */
  readonly prefix?: string | undefined;
}

/** What the runtime or framework knows of a request that the `Request` itself does not carry. */
export interface PaymountFetchInfo {
  /**
   * The client address, as the runtime sees the socket (Bun's `server.requestIP(request)`,
   * Deno's `info.remoteAddr`, Hono's `getConnInfo(c)`), or as a proxy you trust reported it.
   * Undefined: paymount knows no address, and a provider's IP allow-list refuses its callbacks.
   */
  readonly ip?: string | undefined;
  /** What `loadOrder` gets as `request.frameworkRequest` (Hono's `c`, to read the session). Default: the `Request`. */
  readonly frameworkRequest?: unknown;
}

/** Answers paymount's requests; resolves to undefined for every other one, its body unread. */
export type PaymountFetchHandler = (
  request: Request,
  info?: PaymountFetchInfo,
) => Promise<Response | undefined>;

/** The path below `prefix`, or undefined outside it; case-sensitive, as the Fetch runtimes' routers. */
function belowPrefix(path: string, prefix: string): string | undefined {
  if (prefix === '') return path;
  if (path === prefix) return '/';
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : undefined;
}

/**
 * Serves a paymount handler — the payments routes (checkout, callback, return, status), or
 * any handler with core's HTTP contract — to a Fetch API runtime (`Request` → `Response`):
 *
 * ```ts
 * const pay = paymountFetch(payments, { prefix: '/pay' });
 * app.all('/pay/*', async (c, next) => (await pay(c.req.raw, { ip: getConnInfo(c).remote.address, frameworkRequest: c })) ?? next()); // Hono
 * Bun.serve({ fetch: async (request, server) => (await pay(request, { ip: server.requestIP(request)?.address })) ?? shop(request) });
 * ```
 *
 * Requests outside `prefix`, or that no route of the handler matches, resolve to
 * undefined before anything is read. The body is read from the `Request` itself, up to
 * the handler's `maxBodyBytes`: pass paymount the request before anything reads its body
 * (a body read before is gone, and a provider callback is then refused with
 * `raw_body_unavailable`). The client address is only what `info.ip` says.
 *
 * Never rejects, except with `browserErrors: 'framework'`: a buyer's error is then thrown
 * (with `status` and `code`) for the framework's own error handling (Hono's `app.onError`).
 */
export function paymountFetch<M extends RouteMatch>(
  handler: PaymountHandler<M>,
  options: PaymountFetchOptions = {},
): PaymountFetchHandler {
  const prefix = mountPrefix(options.prefix);
  const { logger } = handler;
  return async (request, info = {}) => {
    const { path: full, rawQuery } = fetchRequestTarget(request.url);
    const path = belowPrefix(full, prefix);
    const matched = path === undefined ? undefined : handler.match(request.method, path);
    if (path === undefined || !matched) return undefined;
    const frameworkRequest = info.frameworkRequest ?? request;
    const details = { path, rawQuery, ip: info.ip, frameworkRequest };
    const response = await handleFetchRequest(handler, request, details, matched);
    if (response?.forwardError) throw response.forwardError;
    return response ? toFetchResponse(response, logger) : undefined;
  };
}
