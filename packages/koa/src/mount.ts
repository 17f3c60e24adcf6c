import type { IncomingMessage } from 'node:http';

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
  readonly prefix?: string | undefined;
}

function stripPrefix(path: string, prefix: string): string | undefined {
  if (prefix === '') return path;
  if (path === prefix) return '/';
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : undefined;
}

/** The path below paymount's mount: the running @koa/router layer's path (if any), then `prefix`. */
export function pathBelowMount(ctx: KoaContextLike, self: unknown, prefix: string): string | undefined {
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
