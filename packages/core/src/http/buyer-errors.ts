import type { PaymentsRequest, PaymentsResponse } from '../contracts/http.js';
import type { PaymentsPort } from '../contracts/payments-port.js';
import type { PaymentsError } from '../domain/errors.js';
import { searchParamsOf, wantsHtml } from './request-reading.js';
import { errorResponse, htmlResponse, redirectResponse } from './responses.js';
import type { MatchedRoute } from './routes.js';

/** The routes a buyer's browser navigates to; status and callbacks are for scripts and providers. */
const BUYER_ROUTES: ReadonlySet<MatchedRoute['route']> = new Set(['checkout', 'return']);

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** paymount's own small page for an error that names no order to send the buyer to. */
function errorPage(error: PaymentsError, json: PaymentsResponse): PaymentsResponse {
  const { message } = JSON.parse(json.body).error as { message: string };
  const title = error.status >= 500 ? 'The payment could not be started' : 'This payment link does not work';
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${title}</title></head>
<body><h1>${title}</h1><p>${escapeHtml(message)}</p><p><small>${error.code}</small></p>
<p><a href="/">Back to the shop</a></p></body></html>`;
  const { 'content-type': _json, ...headers } = json.headers;
  return htmlResponse(json.status, body, headers);
}

/**
 * The answer to a failed checkout or return for a buyer's browser (a request that accepts
 * HTML and did not ask for JSON), per the `browserErrors` option; undefined where the JSON
 * error stays (API clients, the status and callback routes, `browserErrors: 'json'`).
 */
export function buyerErrorResponse(
  port: PaymentsPort,
  matched: MatchedRoute,
  request: PaymentsRequest,
  error: PaymentsError,
): PaymentsResponse | undefined {
  const mode = port.browserErrors;
  const { params } = searchParamsOf(request.query);
  if (mode === 'json' || !BUYER_ROUTES.has(matched.route) || !wantsHtml(request.headers, params)) {
    return undefined;
  }
  const page = errorPage(error, errorResponse(error, port.redact));
  if (mode === 'framework') return { ...page, forwardError: error };
  // Only a checkout names an order whose page the buyer can be sent to; a malformed id names none.
  if (matched.route !== 'checkout' || error.code === 'invalid_order_id') return page;
  const provider = params.get('provider') ?? undefined;
  return redirectResponse(port.failurePage(matched.param, provider, error.code));
}
