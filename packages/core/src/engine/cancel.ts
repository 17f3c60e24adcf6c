import { isLive, type Payment } from '../domain/payment.js';
import type { EngineContext } from './context.js';
import { type NormalizedOrder, sameMoney } from './order.js';
import { applyEvent } from './transitions.js';

/** What paymount writes as `providerStatus` when it voids a live payment itself. */
export const VOIDED = {
  /** A newer checkout of the order asks another amount or currency. */
  superseded: 'superseded',
  /** The shop called `payments.cancel(orderId)`. */
  cancelled: 'cancelled',
} as const;

async function voidPayments(
  engine: EngineContext,
  payments: readonly Payment[],
  providerStatus: string,
): Promise<Payment[]> {
  const voided: Payment[] = [];
  for (const payment of payments) {
    const result = await applyEvent(engine, payment.id, { status: 'failed', providerStatus });
    if (result.changed) voided.push(result.payment);
  }
  return voided;
}

/**
 * Fails every live payment of the order, whatever its provider, whose amount or currency
 * is not the order's any more: its pay page asks the old price. Money paid there later
 * becomes the anomaly `paid_after_failure`, never `paid`.
 */
export function supersedeChanged(
  engine: EngineContext,
  existing: readonly Payment[],
  order: NormalizedOrder,
): Promise<Payment[]> {
  const stale = existing.filter((p) => isLive(p) && !sameMoney(p, order));
  return voidPayments(engine, stale, VOIDED.superseded);
}

/**
 * Voids every live payment of an order (the shop edits or withdraws it): each becomes
 * `failed` with `providerStatus: 'cancelled'` and its `onFailed`. Money that still arrives
 * on one of their pay pages becomes the anomaly `paid_after_failure`. Returns the payments
 * it voided.
 */
export async function cancelOrder(engine: EngineContext, orderId: string): Promise<Payment[]> {
  const existing = await engine.store.findByOrder(orderId);
  return voidPayments(engine, existing.filter(isLive), VOIDED.cancelled);
}
