import { isLive, type Payment } from '../domain/payment.js';
import type { EngineContext } from './context.js';

/**
 * What paymount itself writes as `providerStatus` when the reconciler expires a payment
 * whose provider checkout never succeeded; such a payment is not asked about again.
 */
export const CHECKOUT_INCOMPLETE = 'checkout_incomplete';

/** Older live payments are asked less often: the pause grows with age, within [first check, cap]. */
function livePause(engine: EngineContext, payment: Payment, now: number): number {
  const { firstCheckAfterMs, maxBackoffMs } = engine.options.reconcile;
  const age = now - Date.parse(payment.createdAt);
  return Math.min(maxBackoffMs, Math.max(firstCheckAfterMs, Math.floor(age / 2)));
}

/**
 * The next look at an expired or anomalous payment: `recheckAfterMs` after it became so,
 * then at doubling pauses, `rechecks` looks in all. Counted from `updatedAt`, so the
 * schedule needs no counter of its own and starts again whenever the payment changes.
 */
function recheckAt(engine: EngineContext, payment: Payment, now: number): number | null {
  const { recheckAfterMs, rechecks } = engine.options.reconcile;
  const since = Date.parse(payment.updatedAt);
  for (let look = 0; look < rechecks; look++) {
    const at = since + recheckAfterMs * 2 ** look;
    if (at > now) return at;
  }
  return null;
}

/**
 * When the reconciler should next ask the provider about a payment (epoch ms), or null
 * for never. Live payments: by their age, and a `created` one no later than the moment it
 * expires. Expired and anomalous ones: a bounded number of slower looks (see
 * {@link recheckAt}). Paid, refunded and failed ones: never.
 */
export function nextCheckAt(engine: EngineContext, payment: Payment, now: number): number | null {
  if (isLive(payment)) {
    const next = now + livePause(engine, payment, now);
    if (payment.status !== 'created') return next;
    return Math.min(next, Date.parse(payment.createdAt) + engine.options.checkout.createdExpiryMs);
  }
  if (payment.status === 'expired' && payment.providerStatus === CHECKOUT_INCOMPLETE) return null;
  if (payment.status !== 'expired' && payment.status !== 'anomaly') return null;
  return recheckAt(engine, payment, now);
}
