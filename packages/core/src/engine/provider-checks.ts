import { LIMITS } from '../config/defaults.js';
import { PaymentsError } from '../domain/errors.js';
import { isLive, type Payment } from '../domain/payment.js';
import type { EngineContext } from './context.js';
import { providerEntry } from './context.js';
import { callProvider } from './provider-calls.js';
import { returnUrlFor } from './return-urls.js';
import { applyEvent } from './transitions.js';

async function stored(engine: EngineContext, paymentId: string): Promise<Payment> {
  const payment = await engine.store.get(paymentId);
  if (!payment) throw new PaymentsError('payment_not_found', `There is no payment "${paymentId}".`);
  return payment;
}

/** Asks the payment's provider where it stands and applies the answer. */
export async function refresh(engine: EngineContext, paymentId: string): Promise<Payment> {
  const payment = await stored(engine, paymentId);
  const entry = providerEntry(engine, payment.provider);
  const event = await callProvider(entry, 'status', () => entry.provider.fetchStatus(payment, entry.ctx));
  if (!event) return payment;
  return (await applyEvent(engine, paymentId, event)).payment;
}

/**
 * One more look at the provider for a buyer who is waiting on a live payment, at most
 * once per `intervalMs` per payment; a provider failure leaves the payment as stored.
 */
async function refreshIfDue(engine: EngineContext, payment: Payment, intervalMs: number): Promise<Payment> {
  if (!isLive(payment)) return payment;
  const now = engine.now().getTime();
  const checks = engine.buyerChecks;
  const last = checks.get(payment.id);
  if (last !== undefined && now - last < intervalMs) return payment;
  if (checks.size >= LIMITS.buyerCheckEntries) checks.clear();
  checks.set(payment.id, now);
  try {
    return await refresh(engine, payment.id);
  } catch (error) {
    engine.logger.warn(
      { paymentId: payment.id, err: error },
      'paymount: could not check the payment with its provider',
    );
    return payment;
  }
}

/** Resolves a buyer's return: one more look at the provider if still pending, then the shop page. */
export async function resolveReturn(
  engine: EngineContext,
  paymentId: string,
): Promise<{ payment: Payment; redirectUrl: string }> {
  const payment = await refreshIfDue(engine, await stored(engine, paymentId), LIMITS.returnCheckIntervalMs);
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
  return interval > 0 ? refreshIfDue(engine, payment, interval) : payment;
}

/** Looks up a provider's own return redirect (AAIO's Success/Fail URL) for a payment id. */
export function paymentIdFromReturn(engine: EngineContext, query: URLSearchParams): string | null {
  for (const { provider } of engine.providers.values()) {
    const id = provider.paymentIdFromReturn?.(query);
    if (id) return id;
  }
  return null;
}
