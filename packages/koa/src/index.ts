import {
  handleNodeRequest,
  internalErrorResponse,
  mountPrefix,
  type PaymentsResponse,
  type PaymountHandler,
  type RouteMatch,
  writableResponse,
} from '@paymount/core/node';
import {
  type KoaContextLike,
  type PaymountKoaMiddleware,
  type PaymountKoaOptions,
  pathBelowMount,
} from './mount.js';

export type { KoaContextLike, PaymountKoaMiddleware, PaymountKoaOptions } from './mount.js';

/** Sets paymount's answer on the context; Koa writes it (HEAD, compression, logging still apply). */
function respond(ctx: KoaContextLike, response: PaymentsResponse): void {
  ctx.status = response.status;
  for (const [name, value] of Object.entries(response.headers)) ctx.set(name, value);
  // An empty string keeps the status; `null` would turn a 303 into a 204.
  ctx.body = response.body;
}

/**
 * Koa 2/3 middleware that serves a paymount handler — the payments routes (checkout,
 * callback, return, status), or any handler with core's HTTP contract — below `prefix`:
 *
 * ```ts
 * app.use(paymount(payments, { prefix: '/pay' }));
 * router.all('/pay/{*rest}', paymount(payments));   // @koa/router: the mount comes from the route
 * ```
 *
 * Other requests go to `next()` untouched, before anything is read. The body comes
 * from `ctx.request.rawBody` (koa-bodyparser keeps it), the unread stream, or
 * `ctx.request.body`; the client address is `ctx.ip`, so it follows `app.proxy`.
 * `loadOrder` receives `ctx` itself as `context.request.frameworkRequest`, to read
 * the shop's session. Nothing on paymount's path throws into the shop's error
 * handling, except a buyer's error with `browserErrors: 'framework'`: every other
 * failure is answered by paymount itself (JSON, or a page or redirect for a browser).
 */
export function paymount<M extends RouteMatch>(
  handler: PaymountHandler<M>,
  options: PaymountKoaOptions = {},
): PaymountKoaMiddleware {
  const prefix = mountPrefix(options.prefix);
  const { logger } = handler;
  const answer = async (ctx: KoaContextLike, path: string, matched: M): Promise<void> => {
    const { body, rawBody } = ctx.request;
    const raw = typeof rawBody === 'string' ? rawBody : undefined;
    const details = {
      path,
      rawQuery: ctx.querystring,
      ip: ctx.ip,
      parsedBody: body,
      rawBody: raw,
      frameworkRequest: ctx,
    };
    const response = await handleNodeRequest(handler, ctx.req, details, matched).catch((error: unknown) => {
      logger.error({ err: error, path }, 'paymount: adapter failure');
      return internalErrorResponse();
    });
    // `browserErrors: 'framework'`: the shop's error handling renders a buyer's error.
    if (response?.forwardError) throw response.forwardError;
    const writable = writableResponse(response ?? internalErrorResponse(), logger);
    try {
      respond(ctx, writable);
    } catch (error) {
      logger.error({ err: error, path }, 'paymount: setting the answer failed');
      for (const name of Object.keys(writable.headers)) ctx.remove?.(name);
      respond(ctx, internalErrorResponse());
    }
  };
  // Not async itself: a shop's own request passes straight to `next()` without an extra promise.
  const middleware: PaymountKoaMiddleware = (ctx, next) => {
    const path = pathBelowMount(ctx, middleware, prefix);
    const matched = path === undefined ? undefined : handler.match(ctx.method, path);
    if (path === undefined || !matched) return next();
    return answer(ctx, path, matched);
  };
  return middleware;
}
