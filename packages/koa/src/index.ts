import type { IncomingMessage } from 'node:http';
import {
  handleNodeRequest,
  internalErrorResponse,
  type PaymentsResponse,
  type PaymountHandler,
  type RouteMatch,
  writableResponse,
} from '@paymount/core/node';

/**
 * The parts of a Koa context paymount reads and sets. Koa 2 and 3 contexts (also
 * @koa/router's) both fit, without tying this package to one version of `@types/koa`.
 */
export interface KoaContextLike {
  readonly req: IncomingMessage;
  readonly method: string;
  /** The request path, not decoded. */
  readonly path: string;
  readonly querystring: string;
  /** The client address, resolved by `app.proxy`. */
  readonly ip: string;
  /** koa-bodyparser (or another parser in front) leaves `body` and, for JSON and forms, `rawBody`. */
  readonly request: { readonly body?: unknown; readonly rawBody?: unknown };
  status: number;
  body: unknown;
  set(field: string, value: string): void;
  /** Koa's `ctx.remove()`; optional so hand-made contexts in tests fit. */
  remove?(field: string): void;
  /** Set by @koa/router to the path pattern of the layer that is running. */
  readonly routerPath?: string | undefined;
  /** Set by @koa/router: the layers whose path matched. */
  readonly matched?: ReadonlyArray<{ readonly path: unknown; readonly stack: readonly unknown[] }>;
}

/** A Koa middleware, as `app.use()` and @koa/router take it. */
export type PaymountKoaMiddleware = (ctx: KoaContextLike, next: () => Promise<unknown>) => Promise<unknown>;

export interface PaymountKoaOptions {
  /**
   * Where the routes live, like `'/pay'`: below the app root in `app.use()`, or below
   * the route's own path inside @koa/router. Default `''`.
   */
  readonly prefix?: string;
}

function stripPrefix(path: string, prefix: string): string | undefined {
  if (prefix === '') return path;
  if (path === prefix) return '/';
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : undefined;
}

/** The path below paymount's mount: the running @koa/router layer's path (if any), then `prefix`. */
function pathBelowMount(ctx: KoaContextLike, self: unknown, prefix: string): string | undefined {
  const layer = ctx.matched?.find((l) => l.path === ctx.routerPath && l.stack.includes(self));
  let path = ctx.path;
  if (typeof layer?.path === 'string') {
    // The router matched the pattern (`:params`, any case): the mount is every segment
    // before the one holding the wildcard (`{*rest}`, `(.*)`, `:rest*`).
    const wild = layer.path.search(/[{*(]/);
    const mount = wild === -1 ? layer.path : layer.path.slice(0, layer.path.lastIndexOf('/', wild));
    const segments = mount.replace(/\/+$/, '').split('/').length;
    path = `/${path.split('/').slice(segments).join('/')}`;
  }
  return stripPrefix(path, prefix);
}

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
 * handling: every failure is answered with paymount's own JSON error.
 */
export function paymount<M extends RouteMatch>(
  handler: PaymountHandler<M>,
  options: PaymountKoaOptions = {},
): PaymountKoaMiddleware {
  const trimmed = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const prefix = trimmed === '' ? '' : `/${trimmed}`;
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
