import { timingSafeEqual } from 'node:crypto';
import type { ConsoleOptions } from '@paymount/console';
import { html } from '@paymount/console';
import { silentLogger } from '@paymount/core';
import type { PaymentsRequest, PaymentsResponse, PaymountHandler, RouteMatch } from '@paymount/core/node';

/** The cookie the demo's console sign-in sets. */
const COOKIE = 'paymount_console';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The demo's operator check: the token printed at start, as `Authorization: Bearer …` (for
 * curl) or as the cookie its sign-in form sets. A real shop asks its own session instead.
 */
export function demoAuthorize(token: string): ConsoleOptions['authorize'] {
  return ({ headers, cookies }) => {
    const bearer = /^Bearer (.+)$/.exec(String(headers['authorization'] ?? ''))?.[1];
    const sent = bearer ?? cookies[COOKIE] ?? '';
    return same(sent, token) ? { id: 'demo-operator', name: 'Demo operator' } : null;
  };
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
};

function form(message: string): PaymentsResponse {
  const page = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · paymount demo console</title></head>
<body><main><h1>Operator sign-in</h1><p>${message}</p>
<form method="post"><label for="token">Console token (printed when the demo started)</label><br>
<input id="token" name="token" type="password" autocomplete="off" required size="50"> <button type="submit">Sign in</button></form></main></body></html>`;
  return { status: message ? 401 : 200, headers: PAGE_HEADERS, body: page.toString() };
}

/**
 * The demo's sign-in page, a tiny handler mounted next to the console: GET shows a form,
 * POST with the right token sets an HttpOnly, SameSite=Strict cookie and goes to the console.
 */
export function demoSignIn(token: string, consolePath: string): PaymountHandler<RouteMatch> {
  return {
    match: (method, path) =>
      path === '/' && (method === 'GET' || method === 'POST') ? { needsBody: method === 'POST' } : undefined,
    async respond(request: PaymentsRequest) {
      if (request.method === 'GET') return form('');
      const body = request.body;
      const text =
        typeof body === 'string'
          ? body
          : body instanceof Uint8Array
            ? Buffer.from(body).toString('utf8')
            : '';
      const sent = new URLSearchParams(text).get('token') ?? '';
      if (!same(sent, token)) return form('That is not the console token.');
      return {
        status: 303,
        headers: {
          location: `${consolePath}/`,
          'set-cookie': `${COOKIE}=${encodeURIComponent(token)}; Path=/admin; HttpOnly; SameSite=Strict`,
          'cache-control': 'no-store',
        },
        body: '',
      };
    },
    maxBodyBytes: 4096,
    logger: silentLogger,
  };
}
