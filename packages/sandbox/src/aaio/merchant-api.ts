import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sameText } from '../shared/server.js';
import { firstFields, sendJson } from './http.js';
import { AAIO_SIM_DEFAULTS, type AaioApiPermission } from './options.js';
import { createOrder } from './order-creation.js';
import { type AaioSimOrder, jsonNumber } from './orders.js';
import { payFormUrl } from './pay-form.js';
import { AaioApiError, type AaioSimState } from './state.js';

/** One merchant API call: the request (for its headers) and its fields, from the query or the form. */
interface ApiCall {
  readonly req: IncomingMessage;
  readonly fields: Record<string, string>;
}

type ApiRoute = (state: AaioSimState, call: ApiCall) => unknown;

/** `2025-02-06 10:00:00`: how `info-pay` writes dates. */
function formatDate(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Answers the current fault instead of the call; true when it did (`slow` only delays). */
async function answeredByFault(state: AaioSimState, res: ServerResponse): Promise<boolean> {
  const fault = state.takeFault();
  if (!fault) return false;
  switch (fault.mode) {
    case 'slow':
      await state.timers.wait(fault.delayMs ?? AAIO_SIM_DEFAULTS.faultDelayMs);
      return false;
    case 'down':
      res.writeHead(fault.status ?? AAIO_SIM_DEFAULTS.faultStatus, {
        'content-type': 'text/html; charset=utf-8',
      });
      res.end('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
      return true;
    case 'garbage':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>{"type":"succ');
      return true;
    case 'rate-limit': {
      const retryAfter = String(fault.retryAfterSeconds ?? AAIO_SIM_DEFAULTS.faultRetryAfterSeconds);
      const body = { type: 'error', code: '429', message: 'Too many requests' };
      sendJson(res, 429, body, { 'retry-after': retryAfter });
      return true;
    }
  }
}

/** The headers AAIO's API requires, and the API key with the permission a call needs. */
function checkApiHeaders(
  state: AaioSimState,
  req: IncomingMessage,
  needsKey: AaioApiPermission | null,
): void {
  const accept = req.headers.accept ?? '';
  if (!accept.includes('application/json'))
    throw new AaioApiError(400, 'Accept: application/json is required');
  if (req.method === 'POST') {
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('application/x-www-form-urlencoded')) {
      throw new AaioApiError(400, 'Content-Type: application/x-www-form-urlencoded is required');
    }
  }
  if (!needsKey) return;
  const key = req.headers['x-api-key'];
  if (typeof key !== 'string' || !sameText(key, state.merchant.apiKey)) {
    throw new AaioApiError(401, 'Invalid API key');
  }
  if (!state.options.permissions.has(needsKey))
    throw new AaioApiError(401, 'The API key lacks this permission');
}

function checkMerchant(state: AaioSimState, fields: Record<string, string>): void {
  if (fields['merchant_id'] !== state.merchant.merchantId) throw new AaioApiError(400, 'Shop not found');
}

/** An order as `POST /api/info-pay` describes it. */
function infoPayAnswer(state: AaioSimState, order: AaioSimOrder): Record<string, unknown> {
  const amountText = order.paidAmount ?? order.amount;
  const amount = state.settings.infoPayAmounts === 'number' ? jsonNumber(amountText) : amountText;
  const paid = order.status === 'success' || order.status === 'hold';
  return {
    type: 'success',
    id: order.invoiceId,
    order_id: order.orderId,
    desc: order.desc,
    merchant_id: order.merchantId,
    merchant_domain: '127.0.0.1',
    method: order.method || null,
    amount,
    currency: order.currency,
    profit: paid ? amount : null,
    commission: paid ? 0 : null,
    commission_client: paid ? 0 : null,
    commission_type: '100:0',
    email: order.email || null,
    status: order.status,
    date: formatDate(order.createdAt),
    expired_date: formatDate(order.expiresAt),
    complete_date: order.completedAt ? formatDate(order.completedAt) : null,
    us_vars: Object.keys(order.usVars).length > 0 ? order.usVars : [],
  };
}

/** `POST /api/methods-pay`: the configured methods with their limits per currency. */
function methodsPayAnswer(state: AaioSimState): Record<string, unknown> {
  return { type: 'success', list: state.options.methods };
}

const infoPay: ApiRoute = (state, { req, fields }) => {
  checkApiHeaders(state, req, 'info-pay');
  checkMerchant(state, fields);
  const order = state.orders.get(fields['order_id'] ?? '');
  if (!order) throw new AaioApiError(404, 'Order not found');
  return infoPayAnswer(state, state.current(order));
};

/** The merchant API by `METHOD path`; each route returns the JSON body of a 200 answer. */
const ROUTES: Readonly<Record<string, ApiRoute>> = {
  'POST /merchant/get_pay_url': (state, { req, fields }) => {
    checkApiHeaders(state, req, null);
    return { type: 'success', url: payFormUrl(state, createOrder(state, fields)) };
  },
  'GET /api/info-pay': infoPay,
  'POST /api/info-pay': infoPay,
  'GET /api/public/ips': (state) => ({ type: 'success', list: state.options.notificationIps }),
  'POST /api/methods-pay': (state, { req, fields }) => {
    checkApiHeaders(state, req, 'methods-pay');
    checkMerchant(state, fields);
    return methodsPayAnswer(state);
  },
  'POST /api/balance': (state, { req }) => {
    checkApiHeaders(state, req, 'balance');
    return { type: 'success', balance: 0, referral: 0, hold: 0 };
  },
};

/**
 * Serves one merchant API call (`/merchant/get_pay_url`, `/api/*`): records it, applies the
 * current fault, then answers as AAIO documents. Throws {@link AaioApiError} for AAIO's errors
 * (and `BodyTooLargeError`), which the server answers as AAIO's JSON error.
 */
export async function handleApi(
  state: AaioSimState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  state.apiCalls.push({ method, path: url.pathname });
  if (await answeredByFault(state, res)) return;
  const fields = firstFields(method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams);
  const route = ROUTES[`${method} ${url.pathname}`];
  if (!route) throw new AaioApiError(404, 'Method not found');
  sendJson(res, 200, route(state, { req, fields }));
}
