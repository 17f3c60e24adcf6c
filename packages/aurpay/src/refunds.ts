import {
  compareAmounts,
  decimalFromProvider,
  isPaymentsError,
  PaymentsError,
  type Refund,
  type RefundAnswer,
  type RefundRequest,
} from '@paymount/core/provider';
import type { AurpayApiClient } from './api-client.js';
import type { ResolvedAurpayOptions } from './options.js';

/**
 * Aurpay's refunds: `POST /api/v2/order/refund/{order_id}` with the buyer's wallet address
 * and `GET /api/v2/order/refund-info/{order_id}`. Aurpay publishes neither's fields: the
 * request's field names are the `refundRequest` option; an answer may be one refund
 * object or a list of them (also under `list`, `data`, `refunds` or `records`), and both
 * are read.
 */

/** Refund status words taken as final; anything else (PENDING, PROCESSING, …) is still pending. */
const SUCCEEDED = new Set(['SUCCESS', 'SUCCEEDED', 'REFUNDED', 'COMPLETED', 'COMPLETE', 'DONE', 'FINISHED']);
const FAILED = new Set([
  'FAILED',
  'FAIL',
  'FAILURE',
  'REJECTED',
  'REFUSED',
  'CANCELLED',
  'CANCELED',
  'CLOSED',
]);

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : typeof value === 'number'
      ? String(value)
      : null;

/** One refund as Aurpay may describe it. */
interface AurpayRefund {
  readonly id: string | null;
  readonly status: string | null;
  readonly amount: string | null;
}

function readRefund(value: unknown): AurpayRefund | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const o = value as Record<string, unknown>;
  return {
    id: text(o['refund_id'] ?? o['refund_no'] ?? o['id']),
    status: text(o['status'] ?? o['refund_status'] ?? o['state'])?.toUpperCase() ?? null,
    amount: decimalFromProvider(o['amount'] ?? o['refund_amount'] ?? o['vs_amount']),
  };
}

/** Every refund an answer's `data` describes: one object, a list, or a list inside an object. */
export function readRefunds(data: unknown): AurpayRefund[] {
  let list: unknown = data;
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const o = data as Record<string, unknown>;
    list = [o['list'], o['data'], o['refunds'], o['records']].find(Array.isArray) ?? [data];
  }
  if (!Array.isArray(list)) return [];
  return list.map(readRefund).filter((r): r is AurpayRefund => r !== null);
}

function answerOf(found: AurpayRefund): RefundAnswer {
  const status = found.status;
  const base = { providerRef: found.id, providerStatus: status };
  if (status !== null && SUCCEEDED.has(status)) return { ...base, status: 'succeeded' };
  if (status !== null && FAILED.has(status))
    return { ...base, status: 'failed', error: `Aurpay reports the refund ${status}` };
  return { ...base, status: 'pending' };
}

/**
 * Which of the order's refunds is ours: the one with our reference when Aurpay gave one;
 * else the only one of our amount. Two of the same amount without ids: null (cannot say).
 */
function ours(refunds: readonly AurpayRefund[], refund: Refund): AurpayRefund | null {
  if (refund.providerRef !== null) return refunds.find((r) => r.id === refund.providerRef) ?? null;
  const same = refunds.filter((r) => r.amount !== null && compareAmounts(r.amount, refund.amount) === 0);
  return same.length === 1 ? (same[0] as AurpayRefund) : null;
}

/** An Aurpay error that certainly refused the call (its envelope said no, or auth failed): nothing was refunded. */
function refusedOutright(error: unknown): boolean {
  if (!isPaymentsError(error)) return false;
  if (error.code === 'provider_rate_limited') return true;
  if (error.code !== 'provider_error') return false;
  const details = error.details ?? {};
  const status = Number(details['status']);
  return 'aurpayCode' in details || status === 401 || status === 403;
}

function orderIdOf(request: Pick<RefundRequest, 'payment'>): string {
  const orderId = request.payment.providerRef;
  if (orderId === null) {
    throw new PaymentsError(
      'invalid_request',
      `Payment ${request.payment.id} has no Aurpay order id yet, so Aurpay cannot be asked to refund it.`,
    );
  }
  return orderId;
}

/** The refund call of the Aurpay provider. */
export async function refundAtAurpay(
  api: AurpayApiClient,
  options: ResolvedAurpayOptions,
  request: RefundRequest,
): Promise<RefundAnswer> {
  const orderId = orderIdOf(request);
  if (request.address === null) {
    throw new PaymentsError(
      'invalid_request',
      "Aurpay refunds to the buyer's wallet: pass its address, payments.refund(id, { address }).",
    );
  }
  const [addressField, amountField] =
    options.refundRequest === 'refund-prefixed' ? ['refund_address', 'refund_amount'] : ['address', 'amount'];
  const body = JSON.stringify({ [addressField]: request.address, [amountField]: request.refund.amount });
  let data: unknown;
  try {
    data = await api.post(`/api/v2/order/refund/${encodeURIComponent(orderId)}`, body);
  } catch (error) {
    if (!refusedOutright(error)) throw error;
    return { status: 'failed', error: (error as Error).message };
  }
  // An answer that says nothing of the refund is an accepted refund still to finish.
  const [found] = readRefunds(data);
  return found ? answerOf(found) : { status: 'pending' };
}

/** Where a refund stands, from `refund-info`; null when Aurpay lists no refund that is clearly ours. */
export async function refundStatusAtAurpay(
  api: AurpayApiClient,
  request: Pick<RefundRequest, 'payment' | 'refund'>,
): Promise<RefundAnswer | null> {
  const orderId = orderIdOf(request);
  const data = await api.get(`/api/v2/order/refund-info/${encodeURIComponent(orderId)}`);
  const found = ours(readRefunds(data), request.refund);
  return found ? answerOf(found) : null;
}
