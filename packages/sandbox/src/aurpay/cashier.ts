import type { ServerResponse } from 'node:http';
import { expireOrder, payOrder } from './buyer-actions.js';
import { send } from './http.js';
import { type AurpaySimOrder, ninetyPercent } from './order-book.js';
import { donePageHtml, payPageHtml } from './pay-page.js';
import { finishRefund, refundsPageHtml } from './refunds.js';
import type { AurpaySimState } from './state.js';

const HTML = 'text/html; charset=utf-8';

/** The cashier's GET pages, by path: how each shows an order, and what it says for an unknown token. */
const PAGES: Readonly<Record<string, { render: (order: AurpaySimOrder) => string; unknown: string }>> = {
  '/cashier/choose': { render: payPageHtml, unknown: '<p>This payment link is not valid.</p>' },
  '/cashier/done': { render: donePageHtml, unknown: '<p>Unknown order.</p>' },
};

/**
 * The hosted cashier: `GET /cashier/choose?token=` shows the pay page, `GET /cashier/done`
 * the end of a payment without a return URL, and `POST /cashier/act` performs the buyer's
 * choice (`pay`, `less`, `expire`) and redirects to the merchant's return URL. Returns false
 * for any other request.
 */
export async function serveCashier(
  state: AurpaySimState,
  method: string,
  url: URL,
  res: ServerResponse,
  raw: string,
): Promise<boolean> {
  const page = method === 'GET' ? PAGES[url.pathname] : undefined;
  if (page) {
    const order = state.book.find(url.searchParams.get('token') ?? '');
    if (!order) send(res, 404, HTML, page.unknown);
    else send(res, 200, HTML, page.render(order));
    return true;
  }
  if (url.pathname === '/cashier/refunds') {
    serveRefundsPage(state, method, res, raw);
    return true;
  }
  if (method !== 'POST' || url.pathname !== '/cashier/act') return false;
  const form = new URLSearchParams(raw);
  const order = state.book.find(form.get('token') ?? '');
  const action = form.get('action');
  if (!order || (action !== 'pay' && action !== 'less' && action !== 'expire')) {
    send(res, 400, HTML, '<p>Unknown order or action.</p>');
    return true;
  }
  if (action === 'expire') await expireOrder(state, order.token);
  else
    await payOrder(
      state,
      order.token,
      action === 'less' ? { amount: ninetyPercent(order.info.vs_price) } : {},
    );
  const next = action === 'expire' ? order.timeoutUrl : order.succeedUrl;
  send(res, 303, 'text/plain', '', {
    location: next ?? `${state.baseUrl}/cashier/done?token=${order.token}`,
  });
  return true;
}

/** The merchant's refunds page: `GET` lists them, `POST` completes or fails a pending one. */
function serveRefundsPage(state: AurpaySimState, method: string, res: ServerResponse, raw: string): void {
  if (method === 'POST') {
    const form = new URLSearchParams(raw);
    const outcome = form.get('outcome');
    try {
      finishRefund(state, form.get('refund') ?? '', outcome === 'FAILED' ? 'FAILED' : 'SUCCESS');
    } catch {
      send(res, 404, HTML, '<p>Unknown refund.</p>');
      return;
    }
    send(res, 303, 'text/plain', '', { location: `${state.baseUrl}/cashier/refunds` });
    return;
  }
  send(res, 200, HTML, refundsPageHtml(state));
}
