import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { compareDecimal, parseDecimal } from '../shared/decimal.js';
import { send } from './http.js';
import { type AurpaySimOrder, type AurpaySimRefund, aurpayTime } from './order-book.js';
import type { AurpaySimState } from './state.js';

type Answer = { status: number; body: Record<string, unknown> };
const ok = (data: unknown): Answer => ({ status: 200, body: { code: 0, message: 'ok', data, result: true } });
const refused = (code: number, message: string): Answer => ({
  status: 200,
  body: { code, message, data: null, result: false },
});

const refundsOf = (order: AurpaySimOrder): AurpaySimRefund[] => {
  order.refunds ??= [];
  return order.refunds;
};

function sum(values: readonly string[]): string {
  let scale = 0;
  const parsed = values.map((v) => parseDecimal(v)!);
  for (const d of parsed) scale = Math.max(scale, d.scale);
  const units = parsed.reduce((t, d) => t + d.units * 10n ** BigInt(scale - d.scale), 0n);
  const digits = units.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** The order turns `REFUNDED` once its succeeded refunds cover its price. */
function settleOrder(state: AurpaySimState, order: AurpaySimOrder): void {
  const done = refundsOf(order).filter((r) => r.status === 'SUCCESS');
  if (done.length > 0 && compareDecimal(sum(done.map((r) => r.amount)), order.info.vs_price) >= 0) {
    state.touch(order, 'REFUNDED');
  }
}

/** Finishes a pending refund (`SUCCESS` or `FAILED`), as Aurpay's back office would. */
export function finishRefund(state: AurpaySimState, refundId: string, outcome: 'SUCCESS' | 'FAILED'): void {
  for (const order of state.book.orders.values()) {
    const refund = refundsOf(order).find((r) => r.refund_id === refundId);
    if (!refund) continue;
    if (refund.status !== 'PENDING') return;
    refund.status = outcome;
    refund.update_time = aurpayTime(state.now(), state.options.timeZoneOffsetMinutes);
    settleOrder(state, order);
    state.save();
    return;
  }
  throw new Error(`The Aurpay simulator has no refund "${refundId}".`);
}

/** Reads the address and amount from a refund body in the shape this simulator was told Aurpay uses. */
function readRefundBody(state: AurpaySimState, raw: string): { address: string; amount: string } | string {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return 'request body is not JSON';
  }
  if (typeof body !== 'object' || body === null) return 'request body is not an object';
  const fields = body as Record<string, unknown>;
  const [addressField, amountField] =
    state.options.refundRequestShape === 'refund-prefixed'
      ? ['refund_address', 'refund_amount']
      : ['address', 'amount'];
  const address = fields[addressField];
  const amount = fields[amountField];
  if (typeof address !== 'string' || address === '') return `${addressField} is required`;
  if (typeof amount !== 'string' || !parseDecimal(amount)) return `${amountField} must be a decimal string`;
  return { address, amount };
}

/** `POST /api/v2/order/refund/{order_id}`: a refund of a paid order, pending until finished. */
export async function refundRoute(
  state: AurpaySimState,
  orderId: string,
  raw: string,
): Promise<Answer | null> {
  const fault = state.faults.refund;
  if (fault === 'refuse') return refused(400, 'refund rejected by the sandbox');
  if (fault === 'error')
    return { status: 500, body: { code: 500, msg: 'Internal Server Error', data: null } };
  const order = state.book.orders.get(orderId);
  if (!order) return refused(404, 'order not found');
  if (order.info.status !== 'SUCCESS' && order.info.status !== 'RESOLVED') {
    return refused(400, `order is ${order.info.status}, not paid`);
  }
  const asked = readRefundBody(state, raw);
  if (typeof asked === 'string') return refused(400, asked);
  const taken = refundsOf(order).filter((r) => r.status !== 'FAILED');
  if (compareDecimal(sum([...taken.map((r) => r.amount), asked.amount]), order.info.vs_price) > 0) {
    return refused(400, 'refund amount exceeds the order');
  }
  const now = aurpayTime(state.now(), state.options.timeZoneOffsetMinutes);
  const refund: AurpaySimRefund = {
    refund_id: `rf${randomBytes(8).toString('hex')}`,
    order_id: orderId,
    amount: asked.amount,
    address: asked.address,
    status: 'PENDING',
    create_time: now,
    update_time: now,
  };
  refundsOf(order).push(refund);
  state.save();
  const delay = state.options.refundDelayMs;
  if (delay !== null) {
    void state.timers.wait(delay).then(() => {
      if (refund.status === 'PENDING') finishRefund(state, refund.refund_id, 'SUCCESS');
    });
  }
  // The refund is made either way; with the timeout fault its answer comes too late.
  if (fault === 'timeout') {
    await state.timers.wait(state.faults.apiDelayMs);
    return null;
  }
  return ok(state.options.refundAnswerShape === 'list' ? null : refund);
}

/** `GET /api/v2/order/refund-info/{order_id}`: the order's refunds, as one object (the latest) or a list. */
export function refundInfoRoute(state: AurpaySimState, orderId: string): Answer {
  const order = state.book.orders.get(orderId);
  if (!order) return refused(404, 'order not found');
  const refunds = refundsOf(order);
  if (state.options.refundAnswerShape === 'list') return ok(refunds);
  return ok(refunds.at(-1) ?? null);
}

/** Writes an answer of the refund routes (null: the connection is left without one). */
export function sendRefundAnswer(res: ServerResponse, answer: Answer | null): void {
  if (answer === null) {
    res.destroy();
    return;
  }
  send(res, answer.status, 'application/json', JSON.stringify(answer.body));
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `GET /cashier/refunds`: every refund, with buttons that finish a pending one. */
export function refundsPageHtml(state: AurpaySimState): string {
  const rows = [...state.book.orders.values()].flatMap(refundsOf).map((r) => {
    const form = (outcome: string, label: string): string =>
      `<form method="post" action="/cashier/refunds"><input type="hidden" name="refund" value="${escapeHtml(r.refund_id)}">` +
      `<button name="outcome" value="${outcome}">${label}</button></form>`;
    const actions = r.status === 'PENDING' ? `${form('SUCCESS', 'Complete')}${form('FAILED', 'Fail')}` : '';
    return `<tr data-refund="${escapeHtml(r.refund_id)}"><td>${escapeHtml(r.order_id)}</td><td>${escapeHtml(r.amount)}</td><td data-status>${r.status}</td><td>${actions}</td></tr>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Aurpay sandbox refunds</title></head>
<body><h1>Refunds</h1><table><tr><th>Order</th><th>Amount</th><th>Status</th><th></th></tr>${rows.join('')}</table></body></html>`;
}
