import { randomUUID } from 'node:crypto';
import { compareDecimal } from '../shared/decimal.js';
import { sameText } from '../shared/server.js';
import type { AaioSimOrder } from './orders.js';
import { aaioSign } from './signature.js';
import { AaioApiError, type AaioSimState } from './state.js';

const ORDER_ID = /^[A-Za-z0-9:\-_[\]|]{1,64}$/;
const AMOUNT = /^\d{1,15}(?:\.\d{1,8})?$/;
const MAX_DESC_LENGTH = 512;
const LANGS = new Set(['', 'ru', 'en']);
const REQUIRED_FIELDS = ['merchant_id', 'amount', 'currency', 'order_id', 'sign'] as const;
type RequiredField = (typeof REQUIRED_FIELDS)[number];

/** Checks a payment creation's fields as AAIO documents them; throws the error AAIO would answer. */
function checkCreation(state: AaioSimState, fields: Record<string, string>): Record<RequiredField, string> {
  const missing = REQUIRED_FIELDS.filter((name) => !fields[name]);
  if (missing.length > 0) throw new AaioApiError(400, `Missing parameters: ${missing.join(', ')}`);
  const required = fields as Record<RequiredField, string>;
  const { merchant_id: merchantId, amount, currency, order_id: orderId } = required;
  if (merchantId !== state.merchant.merchantId) throw new AaioApiError(400, 'Shop not found');
  if (!AMOUNT.test(amount)) throw new AaioApiError(400, 'Invalid amount');
  if (!state.options.currencies.has(currency)) throw new AaioApiError(400, 'Invalid currency');
  if (!ORDER_ID.test(orderId)) throw new AaioApiError(400, 'Invalid order_id');
  if ((fields['desc'] ?? '').length > MAX_DESC_LENGTH) throw new AaioApiError(400, 'Invalid desc');
  if (!LANGS.has(fields['lang'] ?? '')) throw new AaioApiError(400, 'Invalid lang');
  const expected = aaioSign(merchantId, amount, currency, state.merchant.secret1, orderId);
  if (!sameText(expected, required.sign)) throw new AaioApiError(400, 'Invalid sign');
  checkMethodLimits(state, fields['method'] ?? '', amount, currency);
  return required;
}

/** A creation naming a method must fit that method's limits in its currency, as methods-pay lists them. */
function checkMethodLimits(state: AaioSimState, method: string, amount: string, currency: string): void {
  const limits = method === '' ? undefined : state.options.methods[method];
  if (!limits) return;
  const min = limits.min[currency];
  const max = limits.max[currency];
  const below = min !== undefined && compareDecimal(amount, String(min)) < 0;
  const above = max !== undefined && compareDecimal(amount, String(max)) > 0;
  if (below || above) {
    throw new AaioApiError(400, `Amount is outside the limits of the ${limits.name} method`);
  }
}

/**
 * Creates the order a `get_pay_url` (or legacy `/merchant/pay`) request asks for. A repeat
 * of the same creation returns the same order; the same `order_id` with another amount or
 * currency is refused.
 */
export function createOrder(state: AaioSimState, fields: Record<string, string>): AaioSimOrder {
  const { merchant_id: merchantId, amount, currency, order_id: orderId } = checkCreation(state, fields);
  const existing = state.orders.get(orderId);
  if (existing) {
    if (existing.amount !== amount || existing.currency !== currency) {
      throw new AaioApiError(400, 'order_id already used with other parameters');
    }
    return existing;
  }
  const created = state.now();
  const usVars: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (key.startsWith('us_')) usVars[key] = value;
  const order: AaioSimOrder = {
    invoiceId: randomUUID(),
    orderId,
    merchantId,
    amount,
    currency,
    desc: fields['desc'] ?? '',
    email: fields['email'] ?? '',
    lang: fields['lang'] ?? '',
    method: fields['method'] ?? '',
    usVars,
    status: 'in_process',
    paidAmount: null,
    createdAt: created,
    expiresAt: new Date(created.getTime() + state.options.orderLifetimeMs),
    completedAt: null,
  };
  state.orders.set(orderId, order);
  state.byInvoice.set(order.invoiceId, order);
  return order;
}
