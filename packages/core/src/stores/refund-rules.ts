import type { Refund } from '../contracts/refunds.js';
import { PaymentsError } from '../domain/errors.js';
import { compareAmounts, remainingAmount, sumAmounts } from '../domain/money.js';

/** What a refund reserves until it fails: every refund that is not `failed` counts. */
export function reservedTotal(refunds: readonly Refund[]): string {
  return sumAmounts(refunds.filter((r) => r.status !== 'failed').map((r) => r.amount));
}

/** The refund of the same payment with the same idempotency key, if one is stored. */
export function sameKeyRefund(refunds: readonly Refund[], refund: Refund): Refund | undefined {
  if (refund.idempotencyKey === null) return undefined;
  return refunds.find((r) => r.paymentId === refund.paymentId && r.idempotencyKey === refund.idempotencyKey);
}

/**
 * The store's refund rule, kept by every store inside its atomic step: the refunds of a
 * payment that are not `failed`, with the new one, stay within `limit`. Throws
 * `refund_exceeds_payment` (nothing may then be stored), naming what is still refundable.
 */
export function checkRefundFits(existing: readonly Refund[], refund: Refund, limit: string): void {
  const reserved = reservedTotal(existing);
  if (compareAmounts(sumAmounts([reserved, refund.amount]), limit) <= 0) return;
  const refundable = remainingAmount(limit, reserved);
  throw new PaymentsError(
    'refund_exceeds_payment',
    `A refund of ${refund.amount} ${refund.currency} exceeds what is still refundable of payment ${refund.paymentId}: ${refundable} ${refund.currency}.`,
    { details: { paymentId: refund.paymentId, requested: refund.amount, refundable, limit } },
  );
}
