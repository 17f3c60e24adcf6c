import { LIMITS } from '../config/defaults.js';
import type { ReconcileReport } from '../contracts/actions.js';
import type { LostPaymentFinder, UnsureMatch } from '../contracts/provider.js';
import type { Payment } from '../domain/payment.js';
import type { EngineContext, ProviderEntry } from './context.js';
import { providerChecked, record } from './journal.js';
import { callProvider } from './provider-calls.js';
import { applyEvent } from './transitions.js';

/**
 * Journals a payment the search could not match with certainty, for a person: once per
 * distinct set of candidates, not every round (the payment's newest such note says it;
 * status checks written in between do not make it new).
 */
async function noteUnsure(engine: EngineContext, payment: Payment, candidates: UnsureMatch): Promise<void> {
  const draft = providerChecked(payment, 'reconcile', null, candidates);
  try {
    const { entries } = await engine.store.listJournal({
      paymentId: payment.id,
      type: 'provider.checked',
      limit: LIMITS.unsureNoteLookback,
    });
    const newest = entries.find((entry) => entry.data['unsure'] !== undefined)?.data['unsure'];
    if (newest !== undefined && JSON.stringify(newest) === JSON.stringify(draft.data['unsure'])) return;
  } catch (error) {
    // The note is for a person; a journal that cannot be read must not stop the sweep.
    engine.logger.warn({ err: error, paymentId: payment.id }, 'paymount: the journal could not be read');
    return;
  }
  await record(engine, draft);
}

/**
 * One provider's lost-payment search: every live payment of it without a provider
 * reference, created within the finder's look-back, is handed over at once; each payment
 * the provider matches with certainty is bound to its order and moved as a status check
 * would move it. Returns how many payments changed status.
 */
async function sweepProvider(
  engine: EngineContext,
  name: string,
  entry: ProviderEntry,
  finder: LostPaymentFinder,
): Promise<number> {
  const since = new Date(engine.now().getTime() - finder.lookBackMs).toISOString();
  const limit = LIMITS.lostPaymentSearchLimit;
  const payments = await engine.store.findUnbound(name, since, limit + 1);
  if (payments.length === 0) return 0;
  if (payments.length > limit) {
    engine.logger.warn(
      { provider: name, limit },
      'paymount: too many payments without a provider order to search for them safely this round; they wait for their callbacks',
    );
    return 0;
  }
  const unsure = new Map<string, UnsureMatch>();
  const search = {
    payments,
    isBound: async (ref: string) => (await engine.store.findByProviderRef(name, ref)) !== null,
    unsure: (paymentId: string, candidates: UnsureMatch) => void unsure.set(paymentId, candidates),
  };
  const found = await callProvider(entry, 'sweep', () => finder.find(search, entry.ctx));
  const asked = new Map(payments.map((p) => [p.id, p]));
  for (const [paymentId, candidates] of unsure) {
    const payment = asked.get(paymentId);
    if (payment) await noteUnsure(engine, payment, candidates);
  }
  let changed = 0;
  for (const { paymentId, event } of found) {
    const before = asked.get(paymentId);
    if (!before) continue; // only the payments it was asked about
    try {
      const { payment } = await applyEvent(engine, paymentId, event);
      if (payment.status !== before.status) changed++;
      engine.logger.info(
        { paymentId, provider: name, providerRef: event.providerRef, status: payment.status },
        'paymount: found the provider order of a payment whose first callback never came',
      );
    } catch (error) {
      engine.logger.warn(
        { paymentId, provider: name, providerRef: event.providerRef, err: error },
        'paymount: could not bind a found provider order to its payment',
      );
    }
  }
  return changed;
}

/**
 * The reconciler's sweep of the providers that search their own order lists for lost
 * first callbacks (`PaymentProvider.lostPayments`): one search per provider per round.
 * A provider that cannot be asked is logged and asked again next round.
 */
export async function sweepLostPayments(engine: EngineContext): Promise<{ changed: number; errors: number }> {
  let changed = 0;
  let errors = 0;
  for (const [name, entry] of engine.providers) {
    const finder = entry.provider.lostPayments;
    if (!finder) continue;
    try {
      changed += await sweepProvider(engine, name, entry, finder);
    } catch (error) {
      errors++;
      engine.logger.warn(
        { provider: name, err: error },
        'paymount: the search for payments whose callback was lost failed; the next round tries again',
      );
    }
  }
  return { changed, errors };
}

/**
 * A reconcile round's report, after the round's one search for lost payments (run once
 * the scheduled checks are done), with what that search changed and whether it failed.
 */
export async function withLostPayments(
  engine: EngineContext,
  report: ReconcileReport,
): Promise<ReconcileReport> {
  const swept = await sweepLostPayments(engine);
  return { ...report, changed: report.changed + swept.changed, errors: report.errors + swept.errors };
}
