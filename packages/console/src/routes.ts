import type { RouteMatch } from '@paymount/core/node';

/** The actions an operator can take; each has a confirm page (GET) and does it on POST. */
export const ACTIONS = ['refresh', 'replay', 'reconcile', 'resolve', 'refund', 'record'] as const;
export type ActionName = (typeof ACTIONS)[number];

export type ConsolePage = 'overview' | 'payments' | 'payment' | 'hooks';

/** A console path `match` recognised. */
export type ConsoleMatch = RouteMatch &
  (
    | { readonly kind: 'page'; readonly page: ConsolePage; readonly paymentId?: string }
    | { readonly kind: 'confirm' | 'act'; readonly action: ActionName }
    | { readonly kind: 'asset' }
    | { readonly kind: 'method_not_allowed'; readonly allow: string }
  );

/** The stylesheet's path below the mount point. */
export const STYLESHEET_PATH = '/assets/console.css';

const PAGES: Readonly<Record<string, ConsolePage>> = {
  '/': 'overview',
  '/payments': 'payments',
  '/hooks': 'hooks',
};

const NO_BODY = { needsBody: false } as const;

function isAction(name: string): name is ActionName {
  return (ACTIONS as readonly string[]).includes(name);
}

function pageMatch(path: string): ConsoleMatch | undefined {
  const page = PAGES[path];
  if (page) return { ...NO_BODY, kind: 'page', page };
  const payment = /^\/payments\/([^/]+)$/.exec(path);
  if (payment)
    return { ...NO_BODY, kind: 'page', page: 'payment', paymentId: decodeURIComponent(payment[1]!) };
  return undefined;
}

/** The console's route for a method and a path below its mount point; undefined: not the console's. */
export function matchConsole(method: string, rawPath: string): ConsoleMatch | undefined {
  const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
  const read = method === 'GET' || method === 'HEAD';
  if (path === STYLESHEET_PATH) {
    return read
      ? { ...NO_BODY, kind: 'asset' }
      : { ...NO_BODY, kind: 'method_not_allowed', allow: 'GET, HEAD' };
  }
  const action = /^\/actions\/([a-z]+)$/.exec(path)?.[1];
  if (action !== undefined && isAction(action)) {
    if (read) return { ...NO_BODY, kind: 'confirm', action };
    if (method === 'POST') return { needsBody: true, kind: 'act', action };
    return { ...NO_BODY, kind: 'method_not_allowed', allow: 'GET, HEAD, POST' };
  }
  let page: ConsoleMatch | undefined;
  try {
    page = pageMatch(path);
  } catch {
    return undefined; // a malformed %-escape: not a console path
  }
  if (!page) return undefined;
  return read ? page : { ...NO_BODY, kind: 'method_not_allowed', allow: 'GET, HEAD' };
}
