import type { RouteMatch } from '../contracts/http.js';

export type RouteName = 'checkout' | 'callback' | 'return' | 'status';

/** A request path that belongs to paymount. */
export interface MatchedRoute extends RouteMatch {
  readonly route: RouteName;
  /** The path parameter exactly as sent: order id, provider name or payment id ('' for a bare `/return`). */
  readonly param: string;
  /** The route reads a request body (provider callbacks). */
  readonly needsBody: boolean;
}

/** The methods each route answers, as its `Allow` header lists them. */
export const ALLOWED: Readonly<Record<RouteName, string>> = {
  checkout: 'GET, POST, OPTIONS',
  callback: 'GET, POST, OPTIONS',
  return: 'GET, HEAD, OPTIONS',
  status: 'GET, HEAD, OPTIONS',
};

/** The same methods as sets, so a request's method is checked without splitting the header text. */
export const ALLOWED_METHODS: Readonly<Record<RouteName, ReadonlySet<string>>> = {
  checkout: new Set(ALLOWED.checkout.split(', ')),
  callback: new Set(ALLOWED.callback.split(', ')),
  return: new Set(ALLOWED.return.split(', ')),
  status: new Set(ALLOWED.status.split(', ')),
};

const PREFIXES: ReadonlyArray<readonly [string, RouteName]> = [
  ['/checkout/', 'checkout'],
  ['/callback/', 'callback'],
  ['/return/', 'return'],
  ['/status/', 'status'],
];

/**
 * Matches a path below the mount point. Costs a few `startsWith` calls for
 * paths that are not paymount's, so a shop's own routes pay next to nothing.
 *
 * There is one spelling of each route, the one the shop's router sees: the
 * parameter is taken literally (never percent-decoded; provider names and ids have
 * a fixed alphabet, so an encoded one names nothing of ours) and a trailing slash
 * makes the path not paymount's. So a guard the shop puts on
 * `/pay/checkout/:orderId` or `/pay/callback/aaio` runs for every request paymount serves.
 */
export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  if (path.length < 7 || path.charCodeAt(0) !== 47 /* / */) {
    return undefined;
  }
  if (path === '/return') return { route: 'return', param: '', needsBody: false };
  for (const [prefix, route] of PREFIXES) {
    if (!path.startsWith(prefix)) continue;
    const param = path.slice(prefix.length);
    if (param === '' || param.includes('/')) return undefined;
    // Checkout reads a POSTed form for its `provider` field (a shop's "Pay with …" buttons).
    const needsBody = method === 'POST' && (route === 'callback' || route === 'checkout');
    return {
      route,
      param,
      needsBody,
      bodyOptional: route === 'checkout',
      fromProvider: route === 'callback',
    };
  }
  return undefined;
}
