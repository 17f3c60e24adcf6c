import type { PaymentsResponse } from '@paymount/core/node';
import { document, layout } from '../html/layout.js';
import { htmlResponse } from '../html/response.js';
import { html } from '../html/template.js';
import type { PageContext } from './context.js';

/**
 * The answer to a request `authorize` refused: a page with nothing but the refusal (and
 * the shop's sign-in link), never payment data.
 */
export function unauthorizedPage(
  base: string,
  title: string,
  signInUrl: string | undefined,
): PaymentsResponse {
  const signIn = signInUrl ? html`<p><a class="button" href="${signInUrl}">Sign in</a></p>` : '';
  const page = document(
    base,
    'Sign in required',
    title,
    html`<header class="top"><div class="bar"><span class="brand">${title}</span></div></header>
<main id="main" class="narrow"><h1>Sign in required</h1>
<p>This console shows payments and lets operators act on them. You are not signed in, or not allowed to use it.</p>
${signIn}</main>`,
  );
  return htmlResponse(401, page, { 'www-authenticate': 'Bearer realm="paymount console"' });
}

/** A signed-in operator's request the console refuses or cannot answer, as a page with a stable code. */
export function problemPage(
  ctx: PageContext,
  status: number,
  code: string,
  message: string,
  extra: Readonly<Record<string, string>> = {},
): PaymentsResponse {
  const heading =
    status === 403
      ? 'Not allowed'
      : status === 404
        ? 'Not found'
        : status >= 500
          ? 'Something failed'
          : 'Refused';
  const body = html`<h1>${heading}</h1>
<p>${message}</p>
<p class="muted">Code <code id="problem-code">${code}</code> · HTTP ${status}</p>`;
  return htmlResponse(status, layout(ctx, null, heading, body), extra);
}
