import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  handleNodeRequest,
  mountPrefix,
  type PaymountHandler,
  type RouteMatch,
  splitUrl,
  writeNodeFailure,
  writeNodeResponse,
} from '@paymount/core/node';
import { mountOrderCheck } from './mount-order.js';

/**
 * The parts of an Express request paymount reads. Express 4 and 5 requests both
 * fit, without tying this package to one version of `@types/express`.
 */
export interface ExpressRequestLike extends IncomingMessage {
  /** Relative to the mount point inside `app.use(path, …)` and routers. */
  url: string;
  /** The client address, resolved by the app's `trust proxy` setting. */
  readonly ip?: string | undefined;
  /** What a body parser in front of paymount produced, if one ran. */
  body?: unknown;
}

/** An Express middleware, as `app.use()` and `express.Router().use()` take it. */
export type PaymountExpressMiddleware = (
  req: ExpressRequestLike,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

export interface PaymountExpressOptions {
  /** Where the routes live below the mount point, like `'/pay'`. Default `''`: the mount point itself. */
  readonly prefix?: string | undefined;
}

/** The path below `prefix`, or undefined outside it; case-insensitive, as Express's own mounting. */
function belowPrefix(path: string, prefix: string): string | undefined {
  if (prefix === '') return path;
  if (path.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return undefined;
  const rest = path.slice(prefix.length);
  return rest === '' ? '/' : rest.startsWith('/') ? rest : undefined;
}

/**
 * Express 4/5 middleware that serves a paymount handler — the payments routes
 * (checkout, callback, return, status), or any handler with core's HTTP contract —
 * below wherever it is mounted:
 *
 * ```ts
 * app.use('/pay', paymount(payments));             // or at the root, or inside express.Router()
 * app.use(paymount(payments, { prefix: '/pay' })); // the same, mounted at the root
 * ```
 *
 * Requests for other paths go to `next()` untouched, before anything is read.
 * Mount it before any global body parser so provider callbacks are checked on the
 * exact bytes received; a body that `express.json()`/`express.urlencoded()`
 * already parsed is still accepted. The client address is `req.ip`, so it follows
 * the app's `trust proxy` setting and nothing else. `loadOrder` receives `req`
 * itself as `context.request.frameworkRequest`, to read the shop's session.
 *
 * paymount answers its own errors itself (JSON, or a page or redirect for a browser):
 * they reach the shop's error handler only with `browserErrors: 'framework'`, and
 * nothing else on paymount's path (a provider's answer, a client's request) can throw
 * out of it or leave a promise rejected.
 */
export function paymount<M extends RouteMatch>(
  handler: PaymountHandler<M>,
  options: PaymountExpressOptions = {},
): PaymountExpressMiddleware {
  const { logger } = handler;
  const checkMountOrder = mountOrderCheck(handler);
  const prefix = mountPrefix(options.prefix);
  const serve = async (
    req: ExpressRequestLike,
    res: ServerResponse,
    next: (error?: unknown) => void,
    route: { path: string; rawQuery: string; matched: M },
  ) => {
    const { path, rawQuery, matched } = route;
    checkMountOrder(req, matched);
    const details = { path, rawQuery, ip: req.ip, parsedBody: req.body, frameworkRequest: req };
    const response = await handleNodeRequest(handler, req, details, matched);
    // `browserErrors: 'framework'`: the shop's error handler renders a buyer's error.
    if (response?.forwardError) next(response.forwardError);
    else if (response) writeNodeResponse(res, response, logger);
  };
  return function paymountMiddleware(req, res, next) {
    const { path: full, rawQuery } = splitUrl(req.url);
    const path = belowPrefix(full, prefix);
    const matched = path === undefined ? undefined : handler.match(req.method ?? 'GET', path);
    if (path === undefined || !matched) {
      next();
      return;
    }
    serve(req, res, next, { path, rawQuery, matched }).catch((error: unknown) =>
      writeNodeFailure(res, error, logger),
    );
  };
}
