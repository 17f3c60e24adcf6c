import { LIMITS } from '../config/defaults.js';
import type { ReconcileReport } from '../contracts/actions.js';
import { isLive, type Payment } from '../domain/payment.js';
import type { EngineContext } from './context.js';
import { refresh } from './provider-checks.js';

/** Older payments are asked less often: the pause grows with age, within [first check, cap]. */
function pauseFor(engine: EngineContext, payment: Payment, now: number): number {
  const { firstCheckAfterMs, maxBackoffMs } = engine.options.reconcile;
  const age = now - Date.parse(payment.createdAt);
  return Math.min(maxBackoffMs, Math.max(firstCheckAfterMs, Math.floor(age / 2)));
}

/**
 * Re-asks providers about payments left pending (lost notifications), a batch at
 * a time. Safe with several instances: the store leases each payment to one.
 */
export async function reconcile(
  engine: EngineContext,
  options: { limit?: number } = {},
): Promise<ReconcileReport> {
  const limit = options.limit ?? engine.options.reconcile.batchSize;
  const now = engine.now().getTime();
  const owner = engine.instanceId;
  const due = await engine.store.claimDueChecks({ now, limit, leaseMs: LIMITS.reconcileLeaseMs, owner });
  let changed = 0;
  let errors = 0;
  for (const payment of due) {
    let current: Payment = payment;
    try {
      current = await refresh(engine, payment.id, 'reconcile');
      if (current.status !== payment.status) changed++;
    } catch (error) {
      errors++;
      engine.logger.warn(
        { paymentId: payment.id, err: error },
        'paymount: reconcile could not check a payment',
      );
    }
    const next = isLive(current) ? now + pauseFor(engine, payment, now) : null;
    await engine.store.scheduleCheck(payment.id, next, owner);
  }
  return { checked: due.length, changed, errors };
}
