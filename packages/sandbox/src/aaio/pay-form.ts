import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../shared/server.js';
import { expireOrder, payOrder } from './buyer-actions.js';
import { firstFields, sendHtml } from './http.js';
import { createOrder } from './order-creation.js';
import { type AaioSimOrder, halfAmount } from './orders.js';
import { messagePage, payFormPage } from './pay-form-page.js';
import { AaioApiError, type AaioSimState } from './state.js';

/** Where a pay form lives: `/form/{invoice_id}`. */
export const PAY_FORM_PREFIX = '/form/';

/** The absolute URL of an order's pay form, which `get_pay_url` answers. */
export function payFormUrl(state: AaioSimState, order: AaioSimOrder): string {
  return `${state.baseUrl}${PAY_FORM_PREFIX}${order.invoiceId}`;
}

/**
 * Sends the buyer to the shop's Success or Fail URL with `order_id`, `amount` and `currency`
 * appended, or shows a plain page when the shop set none.
 */
function redirectBuyer(
  state: AaioSimState,
  res: ServerResponse,
  order: AaioSimOrder,
  succeeded: boolean,
): void {
  const target = succeeded ? state.settings.successUrl : state.settings.failUrl;
  if (!target) {
    const title = succeeded ? 'Payment complete' : 'Payment not completed';
    sendHtml(res, 200, messagePage(title, `Order ${order.orderId}: ${order.status}.`));
    return;
  }
  const url = new URL(target);
  url.searchParams.set('order_id', order.orderId);
  url.searchParams.set('amount', order.amount);
  url.searchParams.set('currency', order.currency);
  res.writeHead(303, { location: url.toString() });
  res.end();
}

/**
 * The hosted pay form of one invoice: GET shows it, POST performs the buyer's choice (`pay`,
 * `hold`, `less`, `expire`) and redirects as AAIO would.
 */
export async function servePayForm(
  state: AaioSimState,
  req: IncomingMessage,
  res: ServerResponse,
  invoiceId: string,
): Promise<void> {
  const found = state.byInvoice.get(invoiceId);
  if (!found) {
    sendHtml(res, 404, messagePage('Not found', 'There is no such payment.'));
    return;
  }
  const order = state.current(found);
  const formPath = `${PAY_FORM_PREFIX}${invoiceId}`;
  if (req.method !== 'POST') {
    sendHtml(res, 200, payFormPage(order, formPath));
    return;
  }
  const action = firstFields(new URLSearchParams(await readBody(req)))['action'];
  if (order.status !== 'in_process') {
    sendHtml(res, 409, payFormPage(order, formPath));
    return;
  }
  switch (action) {
    case 'pay':
    case 'hold':
    case 'less':
      await payOrder(state, order.orderId, {
        hold: action === 'hold',
        ...(action === 'less' ? { amount: halfAmount(order.amount) } : {}),
      });
      redirectBuyer(state, res, order, true);
      return;
    case 'expire':
      expireOrder(state, order.orderId);
      redirectBuyer(state, res, order, false);
      return;
    default:
      sendHtml(res, 400, messagePage('Bad request', 'Unknown action.'));
  }
}

/** AAIO's legacy `GET /merchant/pay?…`: creates the order and redirects to its pay form. */
export function serveLegacyPay(state: AaioSimState, res: ServerResponse, query: URLSearchParams): void {
  try {
    const order = createOrder(state, firstFields(query));
    res.writeHead(302, { location: payFormUrl(state, order) });
    res.end();
  } catch (error) {
    if (!(error instanceof AaioApiError)) throw error;
    sendHtml(res, error.status, messagePage('Payment error', error.message));
  }
}

/** The order behind a pay URL the simulator issued (a pay form or a legacy `/merchant/pay` link). */
export function orderForPayUrl(state: AaioSimState, url: string): AaioSimOrder | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.pathname === '/merchant/pay') {
    const orderId = parsed.searchParams.get('order_id');
    return orderId ? (state.orders.get(orderId) ?? null) : null;
  }
  const { pathname } = parsed;
  const invoiceId = pathname.startsWith(PAY_FORM_PREFIX) ? pathname.slice(PAY_FORM_PREFIX.length) : '';
  return state.byInvoice.get(invoiceId) ?? null;
}
