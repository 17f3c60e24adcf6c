import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Payments } from '@paymount/core';
import { handleNodeRequest, splitUrl, writeNodeFailure, writeNodeResponse } from '@paymount/core/node';

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

/**
 * Express 4/5 middleware that serves paymount's routes (checkout, callback,
 * return, status) below wherever it is mounted:
 *
 * ```ts
 * app.use('/pay', paymount(payments));          // or at the root, or inside express.Router()
 * ```
 *
 * Requests for other paths go to `next()` untouched, before anything is read.
 * Mount it before any global body parser so provider callbacks are checked on the
 * exact bytes received; a body that `express.json()`/`express.urlencoded()`
 * already parsed is still accepted. The client address is `req.ip`, so it follows
 * the app's `trust proxy` setting and nothing else. `loadOrder` receives `req`
 * itself as `context.request.frameworkRequest`, to read the shop's session.
 *
 * paymount answers its own errors as JSON: they never reach the shop's error
 * handler, and nothing on paymount's path (a provider's answer, a client's request)
 * can throw out of it or leave a promise rejected.
 */
export function paymount(payments: Payments): PaymountExpressMiddleware {
  const { logger } = payments;
  const serve = async (
    req: ExpressRequestLike,
    res: ServerResponse,
    next: () => void,
    url: { path: string; rawQuery: string },
  ): Promise<void> => {
    const details = { ...url, ip: req.ip, parsedBody: req.body, frameworkRequest: req };
    const response = await handleNodeRequest(payments, req, details);
    if (response) writeNodeResponse(res, response, logger);
    else next();
  };
  return function paymountMiddleware(req, res, next) {
    const url = splitUrl(req.url);
    if (!payments.match(req.method ?? 'GET', url.path)) {
      next();
      return;
    }
    serve(req, res, next, url).catch((error: unknown) => writeNodeFailure(res, error, logger));
  };
}
