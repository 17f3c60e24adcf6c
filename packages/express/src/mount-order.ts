import type { PaymountHandler, RouteMatch } from '@paymount/core/node';

/** What a session or CSRF middleware leaves on a request it handled. */
interface TouchedRequest {
  readonly session?: unknown;
  readonly csrfToken?: unknown;
}

const SESSION_HINT =
  'mount paymount(payments.only("callback")) before the session middleware, and the buyer routes after it (README: "Where to mount")';
const CSRF_HINT =
  'mount paymount(payments.only("callback")) before the CSRF middleware: providers cannot send its token (README: "Where to mount")';

/**
 * Warns, once per mount and per kind, about middleware in front of paymount that breaks
 * provider callbacks: a CSRF middleware (csurf, tiny-csrf: `req.csrfToken`) refuses every
 * POSTed callback with 403 before paymount sees it, so only its traces on other requests
 * can tell; a session middleware (express-session: `req.session`) creates a session and
 * a cookie for every callback. Two property reads per request.
 */
export function mountOrderCheck<M extends RouteMatch>(handler: PaymountHandler<M>) {
  const { logger } = handler;
  let sessionWarned = false;
  let csrfWarned = false;
  return (request: object, matched: M): void => {
    if (!handler.servesProviderCallbacks) return;
    const req = request as TouchedRequest;
    if (!csrfWarned && typeof req.csrfToken === 'function') {
      csrfWarned = true;
      logger.warn(
        { hint: CSRF_HINT },
        'paymount: a CSRF middleware runs before paymount; it answers 403 to provider callbacks (POST) before paymount sees them, so their payments stay pending',
      );
    }
    if (!sessionWarned && matched.fromProvider && req.session !== undefined) {
      sessionWarned = true;
      logger.warn(
        { hint: SESSION_HINT },
        'paymount: a session middleware runs before paymount; every provider callback gets a session and a cookie',
      );
    }
  };
}
