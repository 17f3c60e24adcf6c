import { LIMITS } from '../config/defaults.js';
import type { ApplyResult } from '../contracts/actions.js';
import type { JournalEntry } from '../contracts/journal.js';
import type { CheckoutResult } from '../contracts/provider.js';
import type { HookJob } from '../contracts/store.js';
import { isPaymentsError, PaymentsError } from '../domain/errors.js';
import { isLive, isSettled, type Payment } from '../domain/payment.js';
import {
  decideTransition,
  hooksFor,
  type ProviderEvent,
  type TransitionDecision,
} from '../domain/state-machine.js';
import { nextCheckAt } from './check-schedule.js';
import type { EngineContext } from './context.js';
import { appendEntries, statusChanged } from './journal.js';
import { orderStillMatches } from './order.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The outbox rows a transition writes: one job per configured hook of the new status. */
export function jobsFor(engine: EngineContext, from: Payment, to: Payment, at = engine.now()): HookJob[] {
  const now = at.getTime();
  return hooksFor(to.status, engine.hookNames).map((hook) => ({
    id: `${to.id}:${to.status}:${hook}`,
    paymentId: to.id,
    hook,
    from: from.status,
    to: to.status,
    payment: to,
    state: 'pending' as const,
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    createdAt: now,
  }));
}

/**
 * What an event that moves no status still teaches: a provider reference learned
 * now (some providers name their order only in callbacks, and later checks need
 * it), or a new provider status for the same standing (AAIO's `hold` released to
 * `success`). Null when there is nothing to note. A late event of another standing
 * (a timeout after payment) is not noted: it would misdescribe the payment.
 */
function noteWithoutTransition(
  engine: EngineContext,
  payment: Payment,
  event: ProviderEvent,
): Payment | null {
  const newRef = event.providerRef && !payment.providerRef ? event.providerRef : null;
  const sameStanding =
    (event.status === 'paid' && payment.status === 'paid') || (event.status === 'pending' && isLive(payment));
  const newStatus =
    sameStanding && event.providerStatus && event.providerStatus !== payment.providerStatus
      ? event.providerStatus
      : null;
  if (newRef === null && newStatus === null) return null;
  return {
    ...payment,
    providerRef: newRef ?? payment.providerRef,
    providerStatus: newStatus ?? payment.providerStatus,
    updatedAt: engine.now().toISOString(),
    version: payment.version + 1,
  };
}

function logTransition(engine: EngineContext, from: Payment, to: Payment): void {
  if (!engine.logsInfo) return;
  engine.logger.info(
    {
      paymentId: to.id,
      orderId: to.orderId,
      provider: to.provider,
      from: from.status,
      to: to.status,
      anomaly: to.anomaly,
      providerStatus: to.providerStatus,
    },
    `paymount: payment ${to.status}`,
  );
}

/** The payment after a decided transition, made at `at`. */
function moved(payment: Payment, event: ProviderEvent, decision: TransitionDecision, at: Date): Payment {
  const now = at.toISOString();
  return {
    ...payment,
    status: decision.to,
    anomaly: decision.anomaly ?? (decision.to === 'paid' ? null : payment.anomaly),
    providerRef: event.providerRef ?? payment.providerRef,
    providerStatus: event.providerStatus ?? payment.providerStatus,
    paidAmount: event.amount ?? payment.paidAmount,
    paidCurrency: event.currency ? event.currency.toUpperCase() : payment.paidCurrency,
    paidAt: decision.to === 'paid' ? now : payment.paidAt,
    updatedAt: now,
    version: payment.version + 1,
  };
}

/**
 * Stores `next` over `from` with its hook jobs and its next provider check, in one store
 * step; false when another writer was first. A provider reference already bound to
 * another payment is refused by the store (`provider_ref_taken`): logged here, for the
 * merchant, and passed on.
 */
export async function storeTransition(
  engine: EngineContext,
  from: Payment,
  next: Payment,
  jobs: readonly HookJob[],
  // The transition's journal entries: its status.changed and what caused it.
  journal: readonly JournalEntry[] = [],
  // The callback's dedupe key, remembered in the same store step.
  rememberEvent?: string,
): Promise<boolean> {
  // A live payment keeps its place in the reconciler's queue; any other gets its next look, or none.
  const check = isLive(next) ? {} : { nextCheckAt: nextCheckAt(engine, next, engine.now().getTime()) };
  try {
    const stored = await engine.store.transition({
      payment: next,
      expectedVersion: from.version,
      jobs,
      journal,
      ...check,
      ...(rememberEvent === undefined ? {} : { rememberEvent }),
    });
    if (stored && jobs.length > 0) engine.kickHooks();
    if (stored && from.status !== next.status)
      engine.telemetry.transition(next.provider, from.status, next.status);
    return stored;
  } catch (error) {
    if (isPaymentsError(error) && error.code === 'provider_ref_taken') {
      engine.logger.warn(
        { ...error.details, orderId: next.orderId, code: error.code },
        'paymount: a provider order already bound to another payment was refused for this one',
      );
    }
    throw error;
  }
}

/**
 * Where a `paid` decision really goes: the shop is asked once more about the order
 * (`loadOrder` with `reason: 'confirm'`), and a changed or gone order makes the payment
 * the anomaly `order_changed`, never `paid` — or `paid_twice` when another payment of the
 * order is paid already (a shop closes a paid order, so its answer no longer matches).
 * `asked` carries the answer across the retries of one event, so the shop is asked once.
 */
async function checkedWithShop(
  engine: EngineContext,
  payment: Payment,
  decision: TransitionDecision | null,
  asked: { matches?: boolean },
): Promise<TransitionDecision | null> {
  if (decision?.to !== 'paid') return decision;
  asked.matches ??= await orderStillMatches(engine, payment);
  if (asked.matches) return decision;
  // An anomaly stays the anomaly it is: the order changing too adds no transition.
  if (payment.status === 'anomaly') return null;
  // Read only here, off the paying path: the first attempt skips the order's other payments.
  return {
    to: 'anomaly',
    anomaly: (await orderPaidElsewhere(engine, payment)) ? 'paid_twice' : 'order_changed',
  };
}

/** True when another payment of this payment's order is paid (one store read). */
async function orderPaidElsewhere(engine: EngineContext, payment: Payment): Promise<boolean> {
  const siblings = await engine.store.findByOrder(payment.orderId);
  return siblings.some((p) => p.id !== payment.id && p.status === 'paid');
}

/**
 * Moves a payment by a provider event, atomically and forward only. A duplicate,
 * late or out-of-order event changes nothing. `known` is a copy of the payment the
 * caller just read, used for the first attempt. `alongside` are journal entries about
 * the event itself (the callback that brought it): written in the same store step as
 * the change when there is one, on their own otherwise. `dedupeKey` (a callback's) is
 * remembered in the store step of a change that settles the payment.
 */
export async function applyEvent(
  engine: EngineContext,
  paymentId: string,
  event: ProviderEvent,
  known?: Payment,
  alongside: readonly JournalEntry[] = [],
  dedupeKey?: string,
): Promise<ApplyResult> {
  const { store } = engine;
  const asked: { matches?: boolean } = {};
  for (let attempt = 0; attempt < LIMITS.transitionAttempts; attempt++) {
    // A payment read moments ago is fine for the first try: the store's compare-and-set
    // on its version refuses the write if it changed meanwhile, and the loop reads again.
    const fromCaller = attempt === 0 && known?.id === paymentId;
    const payment = fromCaller ? known : await store.get(paymentId);
    if (!payment) throw new PaymentsError('payment_not_found', `There is no payment "${paymentId}".`);
    // The first attempt does not read the order's other payments: the store itself refuses
    // a second paid payment of an order (false, as for a lost race), and the next attempt
    // reads them and decides paid_twice.
    const decided = decideTransition(payment, event, {
      overpayment: engine.options.overpayment,
      orderPaidElsewhere:
        event.status === 'paid' && attempt > 0 && (await orderPaidElsewhere(engine, payment)),
    });
    // "Nothing to do" is only trusted from the store itself: on a copy the caller read, a
    // refund could look like a no-op against an older status.
    if (!decided && fromCaller) continue;
    // Only a payment about to be paid asks the shop: the rest decide without a wait.
    const decision =
      decided?.to === 'paid' ? await checkedWithShop(engine, payment, decided, asked) : decided;
    if (!decision) {
      const noted = noteWithoutTransition(engine, payment, event);
      if (!noted) {
        await appendEntries(engine, alongside);
        return { payment, changed: false };
      }
      if (await storeTransition(engine, payment, noted, [], alongside))
        return { payment: noted, changed: false };
      continue;
    }
    // One reading of the clock for the move, its journal entry and its hook jobs.
    const at = engine.now();
    const next = moved(payment, event, decision, at);
    // The store refuses a second paid payment of one order like a lost race: the next
    // attempt reads the order again and decides `paid_twice`.
    const journal = [...alongside, statusChanged(engine, payment, next, at)];
    const remember = dedupeKey !== undefined && isSettled(next) ? dedupeKey : undefined;
    if (await storeTransition(engine, payment, next, jobsFor(engine, payment, next, at), journal, remember)) {
      logTransition(engine, payment, next);
      return { payment: next, changed: true };
    }
    // Someone else moved the payment first: read it again and decide again.
    if (attempt > LIMITS.transitionAttemptsBeforeBackoff) await sleep(Math.random() * 5 * attempt);
  }
  throw new PaymentsError('conflict', 'The payment kept changing concurrently; the provider will retry.');
}

/** Records a created payment as pending at its provider, with the pay page it got. */
export async function markPending(
  engine: EngineContext,
  payment: Payment,
  result: CheckoutResult,
  // Written with the transition, before its status.changed: the checkout that caused it.
  before: readonly JournalEntry[] = [],
): Promise<Payment> {
  for (let attempt = 0; attempt < LIMITS.markPendingAttempts; attempt++) {
    // The payment checkout just stored or read is the first try: the store's compare-and-set
    // refuses it if anything moved it meanwhile, and the next attempt reads it again.
    const current = attempt === 0 ? payment : ((await engine.store.get(payment.id)) ?? payment);
    if (current.status !== 'created') return current;
    const next: Payment = {
      ...current,
      status: 'pending',
      payUrl: result.payUrl,
      providerRef: result.providerRef ?? current.providerRef,
      updatedAt: engine.now().toISOString(),
      version: current.version + 1,
    };
    const journal = [...before, statusChanged(engine, current, next)];
    if (await storeTransition(engine, current, next, jobsFor(engine, current, next), journal)) return next;
  }
  throw new PaymentsError('conflict', 'The payment kept changing while it was being created; try again.');
}
