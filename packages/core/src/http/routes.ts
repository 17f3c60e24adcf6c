import type { RouteMatch } from '../contracts/http.js';

export type RouteName = 'checkout' | 'callback' | 'return' | 'status';

/** A request path that belongs to paymount. */
export interface MatchedRoute extends RouteMatch {
  readonly route: RouteName;
  /** The decoded path parameter: order id, provider name or payment id ('' for a bare `/return`). */
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

const PREFIXES: ReadonlyArray<readonly [string, RouteName]> = [
  ['/checkout/', 'checkout'],
  ['/callback/', 'callback'],
  ['/return/', 'return'],
  ['/status/', 'status'],
];

/**
 * Matches a path below the mount point. Costs a few `startsWith` calls for
 * paths that are not paymount's, so a shop's own routes pay next to nothing.
 */
export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  if (path.length < 7 || path.charCodeAt(0) !== 47 /* / */) {
    return undefined;
  }
  if (path === '/return' || path === '/return/') return { route: 'return', param: '', needsBody: false };
  for (const [prefix, route] of PREFIXES) {
    if (!path.startsWith(prefix)) continue;
    let raw = path.slice(prefix.length);
    if (raw.endsWith('/')) raw = raw.slice(0, -1);
    if (raw === '' || raw.includes('/')) return undefined;
    let param: string;
    try {
      param = decodeURIComponent(raw);
    } catch {
      param = '\u0000';
    }
    // Checkout reads a POSTed form for its `provider` field (a shop's "Pay with …" buttons).
    const needsBody = method === 'POST' && (route === 'callback' || route === 'checkout');
    return { route, param, needsBody };
  }
  return undefined;
}
