import type { PaymentsResponse } from '@paymount/core/node';
import type { SafeHtml } from './template.js';

/**
 * What every console answer carries. No script may run (the console needs none), styles
 * come only from its own stylesheet, forms post only to itself, no other site may frame it,
 * and neither browsers nor proxies keep a copy of a page with payment data.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** An HTML page answer with the console's headers. */
export function htmlResponse(
  status: number,
  page: SafeHtml,
  extra: Readonly<Record<string, string>> = {},
): PaymentsResponse {
  return {
    status,
    headers: { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', ...extra },
    body: page.toString(),
  };
}

/** A 303 after an action, to a console page (a path the console built itself). */
export function redirectResponse(location: string): PaymentsResponse {
  return { status: 303, headers: { ...SECURITY_HEADERS, location }, body: '' };
}

/** Plain text for answers that are no page (405 on the stylesheet). */
export function textResponse(status: number, text: string, extra: Readonly<Record<string, string>> = {}) {
  return {
    status,
    headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', ...extra },
    body: text,
  } satisfies PaymentsResponse;
}
