import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkApiAuth } from './api-auth.js';
import { send } from './http.js';
import { AURPAY_SIM_DEFAULTS } from './options.js';
import { createOrder, type OrderKind } from './order-creation.js';
import { refundInfoRoute, refundRoute, sendRefundAnswer } from './refunds.js';
import type { AurpaySimState } from './state.js';

const envelope = (res: ServerResponse, status: number, body: Record<string, unknown>): void =>
  send(res, status, 'application/json', JSON.stringify(body));
/** Aurpay's success envelope. */
const ok = (res: ServerResponse, data: unknown): void =>
  envelope(res, 200, { code: 0, message: 'ok', data, result: true });
/** A refused request: `result: false` with an error code and message in the envelope. */
const fail = (res: ServerResponse, code: number, message: string): void =>
  envelope(res, 200, { code, message, data: null, result: false });

/** Answers the current API fault instead of the call; true when it did (`slow` only delays). */
async function answeredByFault(state: AurpaySimState, req: IncomingMessage, res: ServerResponse) {
  const fault = state.takeApiFault();
  switch (fault) {
    case null:
      return false;
    case 'slow':
      await state.timers.wait(state.faults.apiDelayMs);
      return false;
    case 'hang':
      return true; // no answer at all; close() ends the connection
    case 'reset':
      req.socket.destroy();
      return true;
    case 'down':
      send(res, 503, 'text/html', '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
      return true;
    case 'error':
      envelope(res, 500, { code: 500, msg: 'Internal Server Error', data: null, result: false });
      return true;
    case 'rate-limit': {
      const body = JSON.stringify({ code: 429, msg: 'Too Many Requests' });
      send(res, 429, 'application/json', body, {
        'retry-after': String(AURPAY_SIM_DEFAULTS.retryAfterSeconds),
      });
      return true;
    }
    case 'garbage':
      send(res, 200, 'text/html', '<html><body>Bad gateway {"code":0');
      return true;
  }
}

/** `POST /api/order/pay-url` and `/api/order/pay-info`: create an order from a JSON body. */
function createRoute(state: AurpaySimState, res: ServerResponse, raw: string, kind: OrderKind): void {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    fail(res, 400, 'request body is not JSON');
    return;
  }
  if (typeof body !== 'object' || body === null) {
    fail(res, 400, 'request body is not an object');
    return;
  }
  const order = createOrder(state, body as Record<string, unknown>, raw, kind);
  if (typeof order === 'string') {
    fail(res, 400, order);
    return;
  }
  if (kind === 'pay-url') {
    ok(res, { pay_url: state.payUrlOf(order) });
    return;
  }
  const info = order.info;
  ok(res, {
    order_id: info.order_id,
    status: info.status,
    amount: info['amount'],
    create_time: info['create_time'],
    vs_currency: info['vs_currency'],
    vs_price: info.vs_price,
    address: info['to_addr'],
    contract_addr: null,
    pay_url: state.payUrlOf(order),
  });
}

/** `GET /api/v2/order/?page&size`: the orders a page at a time, newest first unless `orderListOrder` says otherwise. */
function listRoute(state: AurpaySimState, res: ServerResponse, url: URL): void {
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const size = Math.min(100, Math.max(1, Number(url.searchParams.get('size') ?? 10) || 10));
  const all = [...state.book.orders.values()].map((o) => o.info);
  if (state.options.orderListOrder === 'newest-first') all.reverse();
  ok(res, {
    page,
    size,
    total: all.length,
    max_page: Math.max(1, Math.ceil(all.length / size)),
    data: all.slice((page - 1) * size, page * size),
  });
}

/** `GET /api/order/pay/real-currency`: the fiat currencies, in the configured shape. */
function currenciesRoute(state: AurpaySimState, res: ServerResponse): void {
  const { currencies, currencyListShape } = state.options;
  if (currencyListShape === 'strings') ok(res, currencies);
  else if (currencyListShape === 'map') ok(res, Object.fromEntries(currencies.map((c) => [c, c])));
  else
    ok(
      res,
      currencies.map((c) => ({ currency: c, name: c })),
    );
}

const DETAIL_PREFIX = '/api/v2/order/detail/';
const REFUND_PREFIX = '/api/v2/order/refund/';
const REFUND_INFO_PREFIX = '/api/v2/order/refund-info/';

/**
 * Serves one merchant API call (`/api/*`): applies the current fault, checks the API key or
 * signature auth as Aurpay documents it, then creates, shows or lists orders.
 */
export async function handleApi(
  state: AurpaySimState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  raw: string,
): Promise<void> {
  if (await answeredByFault(state, req, res)) return;
  const method = req.method ?? 'GET';
  const credentials = {
    apiKey: state.options.apiKey,
    signature: state.options.signature,
    maxSkewMs: AURPAY_SIM_DEFAULTS.maxSkewMs,
  };
  const request = { method, pathAndQuery: url.pathname + url.search, headers: req.headers, body: raw };
  const denied = checkApiAuth(request, credentials, state.now());
  if (denied) {
    envelope(res, 401, { code: 401, msg: `Unauthorized: ${denied}`, data: null, result: false });
    return;
  }
  const path = url.pathname;
  if (method === 'POST' && (path === '/api/order/pay-url' || path === '/api/order/pay-info')) {
    createRoute(state, res, raw, path.endsWith('pay-url') ? 'pay-url' : 'pay-info');
  } else if (method === 'GET' && path.startsWith(DETAIL_PREFIX)) {
    const order = state.book.orders.get(decodeURIComponent(path.slice(DETAIL_PREFIX.length)));
    if (!order) fail(res, 404, 'order not found');
    else ok(res, order.info);
  } else if (method === 'GET' && (path === '/api/v2/order/' || path === '/api/v2/order')) {
    listRoute(state, res, url);
  } else if (method === 'POST' && path.startsWith(REFUND_PREFIX)) {
    const orderId = decodeURIComponent(path.slice(REFUND_PREFIX.length));
    sendRefundAnswer(res, await refundRoute(state, orderId, raw));
  } else if (method === 'GET' && path.startsWith(REFUND_INFO_PREFIX)) {
    sendRefundAnswer(res, refundInfoRoute(state, decodeURIComponent(path.slice(REFUND_INFO_PREFIX.length))));
  } else if (method === 'GET' && path === '/api/order/pay/real-currency') {
    currenciesRoute(state, res);
  } else {
    envelope(res, 404, { code: 404, msg: 'not found', data: null, result: false });
  }
}
