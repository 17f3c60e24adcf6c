import { LIMITS } from '../config/defaults.js';
import type { ReconcileOptions, ReconcileReport } from '../contracts/actions.js';
import type { Payment } from '../domain/payment.js';
import { CHECKOUT_INCOMPLETE, nextCheckAt } from './check-schedule.js';
import type { EngineContext } from './context.js';
import { refresh } from './provider-checks.js';
import { withLostPayments } from './provider-sweeps.js';
import { withRefundSweep } from './refund-sweep.js';
import { applyEvent } from './transitions.js';

/**
 * A payment still `created` past `checkout.createdExpiryMs` never got a pay page (its
 * provider checkout failed and nobody retried): it expires, with `onExpired`, as any
 * expiry does. A checkout in flight in this process is left alone.
 */
async function expireIfStuck(engine: EngineContext, payment: Payment, now: number): Promise<Payment> {
  if (payment.status !== 'created' || engine.inflightCheckouts.has(payment.id)) return payment;
  if (now - Date.parse(payment.createdAt) < engine.options.checkout.createdExpiryMs) return payment;
  const event = { status: 'expired', providerStatus: CHECKOUT_INCOMPLETE } as const;
  return (await applyEvent(engine, payment.id, event)).payment;
}

/** One claimed payment: asked about, expired if stuck, and given its next check. */
async function checkOne(
  engine: EngineContext,
  claimed: Payment,
  now: number,
): Promise<'changed' | 'same' | 'error'> {
  let failed = false;
  const logFailure = (error: unknown): void => {
    failed = true;
    engine.logger.warn(
      { paymentId: claimed.id, err: error },
      'paymount: reconcile could not check a payment',
    );
  };
  let current = claimed;
  try {
    current = await refresh(engine, claimed.id, 'reconcile');
  } catch (error) {
    logFailure(error);
  }
  // Even when the provider could not say: a payment that never got a pay page still expires.
  try {
    current = await expireIfStuck(engine, current, now);
  } catch (error) {
    logFailure(error);
  }
  // Never due again in this round: `reconcile({ all: true })` loops until nothing is due.
  const next = nextCheckAt(engine, current, now);
  await engine.store.scheduleCheck(
    claimed.id,
    next === null ? null : Math.max(next, now + 1),
    engine.instanceId,
  );
  if (failed) return 'error';
  return current.status !== claimed.status ? 'changed' : 'same';
}

async function round(engine: EngineContext, now: number, limit: number): Promise<ReconcileReport> {
  const owner = engine.instanceId;
  const due = await engine.store.claimDueChecks({ now, limit, leaseMs: LIMITS.reconcileLeaseMs, owner });
  let changed = 0;
  let errors = 0;
  for (const payment of due) {
    const outcome = await checkOne(engine, payment, now);
    if (outcome === 'changed') changed++;
    if (outcome === 'error') errors++;
  }
  return { checked: due.length, changed, errors };
}

/**
 * Re-asks providers about payments: live ones left pending (lost notifications) by their
 * schedule, stuck `created` ones (expired after `checkout.createdExpiryMs`), and, with a
 * slower and bounded schedule, expired and anomalous ones a provider may still resolve.
 * One batch per call; with `all: true`, every live payment now, whatever its schedule, in
 * batches until none is left. Safe with several instances: the store leases each payment
 * to one.
 */
export async function reconcile(
  engine: EngineContext,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const now = engine.now().getTime();
  if (!options.all) {
    const report = await engine.telemetry.reconcileRound(() =>
      round(engine, now, options.limit ?? engine.options.reconcile.batchSize),
    );
    return withRefundSweep(engine, await withLostPayments(engine, report));
  }
  await engine.store.checkAllLiveAt(now);
  const total = { checked: 0, changed: 0, errors: 0 };
  for (;;) {
    const limit = options.limit ?? LIMITS.reconcileAllBatch;
    const report = await engine.telemetry.reconcileRound(() => round(engine, now, limit));
    if (report.checked === 0) return withRefundSweep(engine, await withLostPayments(engine, total), true);
    total.checked += report.checked;
    total.changed += report.changed;
    total.errors += report.errors;
    options.onBatch?.({ ...total });
  }
}
