import { LIMITS } from '../config/defaults.js';
import type { JournalEntry } from '../contracts/journal.js';
import type { RefundAnswer } from '../contracts/provider.js';
import type { Refund } from '../contracts/refunds.js';
import type { HookJob, TransitionWrite } from '../contracts/store.js';
import { PaymentsError } from '../domain/errors.js';
import { compareAmounts, formatAmount, sumAmounts } from '../domain/money.js';
import { newPaymentId, type Payment } from '../domain/payment.js';
import type { EngineContext } from './context.js';
import { journalEntry, statusChanged } from './journal.js';
import { jobsFor } from './transitions.js';

/**
 * What happens to a refund record once it exists: it settles (`succeeded`, with its
 * `onRefunded` and, when it completes the refunds, the payment's move to `refunded`),
 * fails (its amount freed), or stays pending. Each is one compare-and-set store step,
 * retried against concurrent writers; a refund that is already final is left as it is.
 */

/** A new refund id: `rf_` and 24 random lower-case letters and digits. */
export function newRefundId(): string {
  return `rf_${newPaymentId().slice(3)}`;
}

/**
 * What a payment took in, and so the most its refunds may add up to: the amount the
 * provider reported when it is in the payment's currency and precision, else the price
 * (a provider that names no paid amount, as Aurpay's `PARTIAL`, refuses more than it took).
 */
export function refundLimit(engine: EngineContext, payment: Payment): string {
  const sameCurrency = payment.paidCurrency === null || payment.paidCurrency === payment.currency;
  if (payment.paidAmount !== null && sameCurrency) {
    try {
      return formatAmount(payment.paidAmount, payment.currency, engine.options.currencyScales);
    } catch {
      // A paid amount that is no amount of this currency: the price is what was asked.
    }
  }
  return payment.amount;
}

/** A journal entry about one refund. */
export function refundEntry(
  engine: EngineContext,
  type: 'refund.requested' | 'refund.succeeded' | 'refund.failed',
  refund: Refund,
): JournalEntry {
  const data: Record<string, unknown> = {
    refundId: refund.id,
    amount: refund.amount,
    currency: refund.currency,
    source: refund.source,
    providerRef: refund.providerRef,
  };
  if (type === 'refund.requested') Object.assign(data, { reason: refund.reason, note: refund.note });
  if (type === 'refund.failed') data['error'] = refund.error === null ? null : engine.redact(refund.error);
  return journalEntry(engine, { type, paymentId: refund.paymentId, provider: refund.provider, data });
}

/** The refund's own `onRefunded` job: its id (and idempotency key) names the refund. */
function refundJob(engine: EngineContext, refund: Refund, from: Payment, to: Payment): HookJob[] {
  if (!engine.hookNames.has('onRefunded')) return [];
  const now = engine.now().getTime();
  return [
    {
      id: `${to.id}:${refund.id}:onRefunded`,
      paymentId: to.id,
      hook: 'onRefunded',
      from: from.status,
      to: to.status,
      payment: to,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      createdAt: now,
    },
  ];
}

/** The refund an `onRefunded` job is about, or null for a payment the provider reported refunded itself. */
export async function refundOfJob(engine: EngineContext, job: HookJob): Promise<Refund | null> {
  const middle = job.id.split(':').at(-2) ?? '';
  return middle.startsWith('rf_') ? engine.store.getRefund(middle) : null;
}

type Change = Pick<Refund, 'status'> & Partial<Pick<Refund, 'providerRef' | 'providerStatus' | 'error'>>;

/** The refund after a change, version raised. */
function changed(engine: EngineContext, refund: Refund, change: Change): Refund {
  return {
    ...refund,
    status: change.status,
    providerRef: change.providerRef ?? refund.providerRef,
    providerStatus: change.providerStatus ?? refund.providerStatus,
    error: change.error === undefined ? refund.error : change.error,
    updatedAt: engine.now().toISOString(),
    version: refund.version + 1,
  };
}

/** Reads the refund again for a retry; a final one ends the loop. */
async function reread(engine: EngineContext, id: string): Promise<Refund> {
  const refund = await engine.store.getRefund(id);
  if (!refund) throw new PaymentsError('internal_error', `The refund "${id}" vanished from the store.`);
  return refund;
}

const isFinal = (refund: Refund): boolean => refund.status === 'succeeded' || refund.status === 'failed';

/**
 * The refund succeeded: stored with its `onRefunded` job and, when the succeeded refunds
 * now cover all the payment took in, the payment's move to `refunded` (with
 * `onStatusChange`, not a second `onRefunded`), in one store step. A payment the provider
 * already reported `refunded` by itself owed its `onRefunded` then: none is added.
 */
export async function settleRefund(
  engine: EngineContext,
  known: Refund,
  answer: Omit<RefundAnswer, 'status'> = {},
): Promise<Refund> {
  let refund = known;
  for (let attempt = 0; attempt < LIMITS.transitionAttempts; attempt++) {
    if (attempt > 0) refund = await reread(engine, refund.id);
    if (isFinal(refund)) return refund;
    const payment = await engine.store.get(refund.paymentId);
    if (!payment) throw new PaymentsError('payment_not_found', `There is no payment "${refund.paymentId}".`);
    const next = changed(engine, refund, { status: 'succeeded', ...answer, error: null });
    const others = (await engine.store.listRefunds(payment.id)).filter(
      (r) => r.id !== refund.id && r.status === 'succeeded',
    );
    const total = sumAmounts([...others.map((r) => r.amount), next.amount]);
    const whole = compareAmounts(total, refundLimit(engine, payment)) >= 0;
    const journal = [refundEntry(engine, 'refund.succeeded', next)];
    let after = payment;
    let transition: TransitionWrite | undefined;
    if (whole && (payment.status === 'paid' || payment.status === 'anomaly')) {
      after = { ...payment, status: 'refunded', updatedAt: next.updatedAt, version: payment.version + 1 };
      const jobs = jobsFor(engine, payment, after).filter((job) => job.hook !== 'onRefunded');
      journal.push(statusChanged(engine, payment, after));
      transition = { payment: after, expectedVersion: payment.version, jobs, nextCheckAt: null };
    }
    const jobs = payment.status === 'refunded' ? [] : refundJob(engine, next, payment, after);
    const write = { refund: next, expectedVersion: refund.version, jobs, journal };
    if (await engine.store.updateRefund(transition ? { ...write, transition } : write)) {
      engine.kickHooks();
      return next;
    }
  }
  throw new PaymentsError('conflict', 'The refund kept changing concurrently; try again.');
}

/** The provider refused the refund: it is `failed`, and its amount is refundable again. */
export async function failRefund(engine: EngineContext, known: Refund, change: Omit<Change, 'status'>) {
  return storeRefundChange(engine, known, { ...change, status: 'failed' }, true);
}

/** The refund is not finished (or its outcome is not known): `pending`, noted, asked about again later. */
export async function keepPending(engine: EngineContext, known: Refund, change: Omit<Change, 'status'>) {
  return storeRefundChange(engine, known, { ...change, status: 'pending' }, false);
}

async function storeRefundChange(
  engine: EngineContext,
  known: Refund,
  change: Change,
  journaled: boolean,
): Promise<Refund> {
  let refund = known;
  for (let attempt = 0; attempt < LIMITS.transitionAttempts; attempt++) {
    if (attempt > 0) refund = await reread(engine, refund.id);
    if (isFinal(refund)) return refund;
    const next = changed(engine, refund, change);
    const journal = journaled ? [refundEntry(engine, 'refund.failed', next)] : [];
    const write = { refund: next, expectedVersion: refund.version, jobs: [], journal };
    if (await engine.store.updateRefund(write)) return next;
  }
  throw new PaymentsError('conflict', 'The refund kept changing concurrently; try again.');
}
