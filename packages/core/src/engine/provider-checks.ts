import { LIMITS } from '../config/defaults.js';
import type { ProviderCheckReason } from '../contracts/journal.js';
import { PaymentsError } from '../domain/errors.js';
import { isLive, type Payment } from '../domain/payment.js';
import type { EngineContext } from './context.js';
import { providerEntry } from './context.js';
import { appendEntries, journalEntry, providerChecked } from './journal.js';
import { callProvider } from './provider-calls.js';
import { returnUrlFor } from './return-urls.js';
import { applyEvent } from './transitions.js';

async function stored(engine: EngineContext, paymentId: string): Promise<Payment> {
  const payment = await engine.store.get(paymentId);
  if (!payment) throw new PaymentsError('payment_not_found', `There is no payment "${paymentId}".`);
  return payment;
}

/** Asks the payment's provider where it stands and applies the answer; `why` goes into the journal. */
export async function refresh(
  engine: EngineContext,
  paymentId: string,
  why: ProviderCheckReason = 'refresh',
): Promise<Payment> {
  const payment = await stored(engine, paymentId);
  const entry = providerEntry(engine, payment.provider);
  const event = await callProvider(entry, 'status', () => entry.provider.fetchStatus(payment, entry.ctx));
  // The check rides in the store step of the change it causes (applyEvent writes it alone when there is none).
  const checked = journalEntry(engine, providerChecked(payment, why, event));
  if (!event) {
    await appendEntries(engine, [checked]);
    return payment;
  }
  return (await applyEvent(engine, paymentId, event, undefined, [checked])).payment;
}

/** The buyer-facing routes that check a live payment with its provider, each on its own clock. */
type BuyerCheck = 'return' | 'status';

/**
 * One more look at the provider for a buyer who is waiting on a live payment, at most
 * once per `intervalMs` per payment and route: a waiting page's status poll never uses
 * up the check of the buyer's return, which decides the page the buyer lands on. A
 * provider failure leaves the payment as stored.
 */
async function refreshIfDue(
  engine: EngineContext,
  payment: Payment,
  route: BuyerCheck,
  intervalMs: number,
): Promise<Payment> {
  if (!isLive(payment)) return payment;
  const now = engine.now().getTime();
  const checks = engine.buyerChecks;
  const key = `${route}:${payment.id}`;
  const last = checks.get(key);
  if (last !== undefined && now - last < intervalMs) return payment;
  if (checks.size >= LIMITS.buyerCheckEntries) checks.clear();
  checks.set(key, now);
  try {
    return await refresh(engine, payment.id, route);
  } catch (error) {
    engine.logger.warn(
      { paymentId: payment.id, err: error },
      'paymount: could not check the payment with its provider',
    );
    return payment;
  }
}

/**
 * A pending payment about to be handed out again, checked with its provider first (it may
 * have been paid meanwhile). When the provider cannot answer, the stored payment is
 * resumed as it is, and that is logged: its pay page may be gone too (a sandbox
 * simulator restarted without its state file, or on another port).
 */
export async function recheckBeforeReuse(engine: EngineContext, payment: Payment): Promise<Payment> {
  try {
    return await refresh(engine, payment.id, 'checkout');
  } catch (error) {
    engine.logger.warn(
      {
        paymentId: payment.id,
        provider: payment.provider,
        err: error,
        hint: 'if the provider stays unreachable the buyer gets a dead pay page: check its baseUrl; a sandbox simulator needs a fixed port and a stateFile to survive restarts',
      },
      'paymount: could not check a pending payment with its provider before resuming it; its stored pay page is handed out again',
    );
    return payment;
  }
}

/** Resolves a buyer's return: one more look at the provider if still pending, then the shop page. */
export async function resolveReturn(
  engine: EngineContext,
  paymentId: string,
): Promise<{ payment: Payment; redirectUrl: string }> {
  const payment = await refreshIfDue(
    engine,
    await stored(engine, paymentId),
    'return',
    LIMITS.returnCheckIntervalMs,
  );
  return { payment, redirectUrl: returnUrlFor(engine, payment) };
}

/**
 * The payment for the status route: a live one is checked with the provider at most
 * once per `statusCheckIntervalMs`, so a waiting page turns paid even when the
 * provider's notification was lost, without letting polling hammer the provider.
 */
export async function statusOf(engine: EngineContext, paymentId: string): Promise<Payment | null> {
  const payment = await engine.store.get(paymentId);
  if (!payment) return null;
  const interval = engine.options.statusCheckIntervalMs;
  return interval > 0 ? refreshIfDue(engine, payment, 'status', interval) : payment;
}

/** Looks up a provider's own return redirect (AAIO's Success/Fail URL) for a payment id. */
export function paymentIdFromReturn(engine: EngineContext, query: URLSearchParams): string | null {
  for (const { provider } of engine.providers.values()) {
    const id = provider.paymentIdFromReturn?.(query);
    if (id) return id;
  }
  return null;
}
