import type { CallbackResult } from '../contracts/actions.js';
import type { CallbackInput } from '../contracts/http.js';
import { PaymentsError } from '../domain/errors.js';
import { isSettled, type Payment } from '../domain/payment.js';
import type { ProviderEvent } from '../domain/state-machine.js';
import { providerRefTaken } from '../stores/store-rules.js';
import { type EngineContext, providerEntry } from './context.js';
import { callbackAccepted, callbackRefused, journalEntry, providerChecked, record } from './journal.js';
import { callProvider } from './provider-calls.js';
import { applyEvent } from './transitions.js';

/**
 * What the provider's order named in a callback says before anything is confirmed: bound
 * to another payment, the callback is refused (`provider_ref_taken`, whatever event or
 * URL it came on); bound to this payment and the payment settled, it is a repeat.
 */
async function boundElsewhereOrSettled(
  engine: EngineContext,
  payment: Payment,
  claimed: ProviderEvent,
  providerRef: string,
): Promise<boolean> {
  const holder = await engine.store.findByProviderRef(payment.provider, providerRef);
  if (holder && holder.id !== payment.id) {
    const error = providerRefTaken({ ...payment, providerRef }, holder.id);
    engine.logger.warn(
      { ...error.details, orderId: payment.orderId, code: error.code },
      'paymount: a callback named a provider order already bound to another payment; refused',
    );
    throw error;
  }
  // A refund announced for a settled payment is news, not a repeat.
  return holder !== null && isSettled(holder) && claimed.status !== 'refunded';
}

/**
 * Handles a provider callback that arrived over HTTP: the provider verifies it, the
 * engine applies it. Throws `PaymentsError` for a refused callback. What happens to a
 * duplicate: a repeat of a callback that already settled its payment is answered at
 * once, from the store's dedupe keys or from the binding of the provider's order to this
 * settled payment, without asking the provider again.
 */
export async function handleCallback(
  engine: EngineContext,
  providerName: string,
  input: CallbackInput,
): Promise<CallbackResult> {
  try {
    const result = await settle(engine, providerName, input);
    engine.telemetry.callback(providerName, result.duplicate ? 'duplicate' : 'accepted');
    return result;
  } catch (error) {
    engine.telemetry.callback(providerName, 'refused', error);
    await record(engine, await callbackRefused(engine, providerName, input, error));
    throw error;
  }
}

async function settle(
  engine: EngineContext,
  providerName: string,
  input: CallbackInput,
): Promise<CallbackResult> {
  const entry = providerEntry(engine, providerName);
  const verified = await callProvider(entry, 'verify', () => entry.provider.verifyCallback(input, entry.ctx));
  const dedupeKey = verified.dedupeKey ? `${providerName}:${verified.dedupeKey}` : undefined;
  const payment =
    verified.payment?.id === verified.paymentId
      ? verified.payment
      : await engine.store.get(verified.paymentId);
  if (!payment || payment.provider !== providerName) {
    throw new PaymentsError('payment_not_found', 'The callback names no payment of this shop.');
  }
  // Checked before confirming: a repeat of a callback that already settled the payment
  // needs no provider call (rate limits, AAIO's manual resends, retried webhooks). A
  // payment that holds no provider order yet has none bound to it, so the callback is no
  // repeat; and without a provider call to spare, the store's transition, which binds the
  // order, refuses one bound elsewhere itself (provider_ref_taken): no lookup needed.
  const { providerRef } = verified.event;
  const lookUp = providerRef && (payment.providerRef !== null || verified.confirm !== undefined);
  if (lookUp && (await boundElsewhereOrSettled(engine, payment, verified.event, providerRef))) {
    return { payment, changed: false, duplicate: true };
  }
  // A key is remembered only once its callback settled the payment, and a settled payment
  // never becomes unsettled: for one that is not settled, there is nothing to look up.
  if (dedupeKey && isSettled(payment) && (await engine.store.hasEvent(dedupeKey))) {
    await record(engine, callbackAccepted(engine, payment, input, verified.event, true));
    return { payment, changed: false, duplicate: true };
  }
  // Written with the change the callback makes, in one store step.
  const notes = [journalEntry(engine, callbackAccepted(engine, payment, input, verified.event, false))];
  const confirm = verified.confirm;
  const event = confirm ? await callProvider(entry, 'confirm', confirm) : verified.event;
  if (confirm) notes.push(journalEntry(engine, providerChecked(payment, 'callback', event)));
  const result = await applyEvent(engine, payment.id, event, payment, notes, dedupeKey);
  // Only a settled payment is final for its callback: an expiry or an anomaly may still be
  // resolved by the same callback later (Aurpay resends it when the merchant resolves). A
  // change that settled it remembered the key in its own store step.
  if (dedupeKey && isSettled(result.payment) && !result.changed) {
    await engine.store.rememberEvent(dedupeKey, payment.id);
  }
  return { ...result, duplicate: false };
}
