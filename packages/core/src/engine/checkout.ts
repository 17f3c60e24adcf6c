import type { CheckoutInput, CheckoutOutcome } from '../contracts/actions.js';
import type { CheckoutResult, OrderDetails } from '../contracts/provider.js';
import { PaymentsError } from '../domain/errors.js';
import { isLive, isOrderId, newPaymentId, type Payment } from '../domain/payment.js';
import { normalizePayUrl } from '../providers/pay-url.js';
import { supersedeChanged } from './cancel.js';
import { type EngineContext, type ProviderEntry, providerEntry } from './context.js';
import { checkoutEntry, journalEntry, record, refusalOf } from './journal.js';
import { loadOrder, type NormalizedOrder, orderMetadata, sameMoney } from './order.js';
import { callProvider } from './provider-calls.js';
import { recheckBeforeReuse } from './provider-checks.js';
import { returnUrlFor } from './return-urls.js';
import { markPending } from './transitions.js';

function chooseProvider(engine: EngineContext, requested: string | undefined): string {
  if (requested !== undefined && requested !== '') {
    providerEntry(engine, requested);
    return requested;
  }
  if (engine.options.defaultProvider) return engine.options.defaultProvider;
  const names = [...engine.providers.keys()];
  if (names.length === 1) return names[0]!;
  throw new PaymentsError(
    'invalid_request',
    `Choose a payment provider with ?provider= (one of: ${names.join(', ')}).`,
  );
}

function alreadyPaid(engine: EngineContext, payment: Payment): CheckoutOutcome {
  return {
    payment,
    payUrl: null,
    redirectUrl: returnUrlFor(engine, payment),
    alreadyPaid: true,
    reused: true,
  };
}

/**
 * A live payment's pay page, handed out again. The stored URL is checked once more: one
 * stored before pay URLs were normalised must give a clear `provider_error`, never a
 * `Location` header that throws.
 */
function resumed(payment: Payment & { payUrl: string }): CheckoutOutcome {
  const payUrl = normalizePayUrl(payment.payUrl, payment.provider);
  return { payment, payUrl, redirectUrl: payUrl, alreadyPaid: false, reused: true };
}

const hasPayPage = (payment: Payment | null): payment is Payment & { payUrl: string } =>
  payment?.status === 'pending' && typeof payment.payUrl === 'string' && payment.payUrl !== '';

/**
 * The live payment of this order and provider that may be reused, or null. A changed
 * order amount first fails every live payment of the order that asks the old amount,
 * whatever its provider (their pay pages ask the wrong amount); an old pending one is
 * checked with the provider first, since it may have been paid meanwhile.
 */
async function reusable(
  engine: EngineContext,
  existing: readonly Payment[],
  provider: string,
  order: NormalizedOrder,
): Promise<Payment | null> {
  await supersedeChanged(engine, existing, order);
  let live = existing.find((p) => p.provider === provider && isLive(p) && sameMoney(p, order)) ?? null;
  const age = live ? engine.now().getTime() - Date.parse(live.createdAt) : 0;
  if (live?.status === 'pending' && age > engine.options.checkout.reuseWindowMs) {
    live = await recheckBeforeReuse(engine, live);
  }
  return live;
}

function newPayment(
  engine: EngineContext,
  orderId: string,
  provider: string,
  order: NormalizedOrder,
): Payment {
  const now = engine.now().toISOString();
  return {
    id: newPaymentId(),
    orderId,
    provider,
    amount: order.amount,
    currency: order.currency,
    status: 'created',
    providerRef: null,
    payUrl: null,
    providerStatus: null,
    paidAmount: null,
    paidCurrency: null,
    anomaly: null,
    description: order.details.description ?? null,
    metadata: orderMetadata(order.details),
    createdAt: now,
    updatedAt: now,
    paidAt: null,
    version: 1,
  };
}

/** A live payment handed out again (double click, second tab), noted in its journal. */
async function reused(
  engine: EngineContext,
  payment: Payment & { payUrl: string },
): Promise<CheckoutOutcome> {
  const outcome = resumed(payment);
  await record(engine, checkoutEntry('checkout.reused', payment, {}));
  return outcome;
}

async function createAtProvider(
  engine: EngineContext,
  payment: Payment,
  order: OrderDetails,
  entry: ProviderEntry,
): Promise<CheckoutResult> {
  const inflight = engine.inflightCheckouts.get(payment.id);
  if (inflight) return inflight;
  const call = callProvider(entry, 'checkout', async () => {
    const result = await entry.provider.createCheckout({ payment, order }, entry.ctx);
    // Normalised here, before it is stored: it becomes a `Location` header for every later visit.
    return { ...result, payUrl: normalizePayUrl(result.payUrl, entry.ctx.name) };
  })
    .catch(async (error: unknown) => {
      engine.logger.warn(
        { paymentId: payment.id, provider: entry.ctx.name, err: error },
        'paymount: provider refused or failed the checkout; the payment stays created and a retry resumes it',
      );
      await record(engine, checkoutEntry('checkout.failed', payment, { ...refusalOf(engine, error) }));
      throw error;
    })
    .finally(() => engine.inflightCheckouts.delete(payment.id));
  engine.inflightCheckouts.set(payment.id, call);
  return call;
}

/**
 * Creates or reuses the payment for an order and returns where to send the buyer.
 * The amount always comes from `loadOrder`; an order already paid is never charged again.
 */
export function checkout(engine: EngineContext, input: CheckoutInput): Promise<CheckoutOutcome> {
  return engine.telemetry.checkout(input.provider || engine.options.defaultProvider, () =>
    run(engine, input),
  );
}

async function run(engine: EngineContext, input: CheckoutInput): Promise<CheckoutOutcome> {
  const { orderId } = input;
  if (!isOrderId(orderId)) {
    throw new PaymentsError(
      'invalid_order_id',
      'Order ids are 1–64 characters of letters, digits and . _ : - [ ] |, starting with a letter or digit.',
    );
  }
  const name = chooseProvider(engine, input.provider);
  const entry = providerEntry(engine, name);
  const existing = await engine.store.findByOrder(orderId);
  const paid = existing.find((p) => p.status === 'paid');
  if (paid) return alreadyPaid(engine, paid);

  const order = await loadOrder(engine, orderId, {
    provider: name,
    reason: 'checkout',
    ...(input.request ? { request: input.request } : {}),
  });
  const validate = entry.provider.validateOrder;
  if (validate)
    await callProvider(entry, 'validate', () => validate.call(entry.provider, order.details, entry.ctx));
  const live = await reusable(engine, existing, name, order);
  if (live?.status === 'paid') return alreadyPaid(engine, live);
  if (hasPayPage(live)) return reused(engine, live);

  const firstCheckAt = engine.now().getTime() + engine.options.reconcile.firstCheckAfterMs;
  const candidate = newPayment(engine, orderId, name, order);
  const { payment, created } = await engine.store.createOrReuse(candidate, firstCheckAt);
  if (hasPayPage(payment)) return reused(engine, payment);
  if (!sameMoney(payment, order)) {
    throw new PaymentsError('conflict', 'The order changed while it was being checked out; try again.');
  }
  const result = await createAtProvider(engine, payment, order.details, entry);
  const createdEntry = journalEntry(
    engine,
    checkoutEntry('checkout.created', payment, { resumed: !created }),
  );
  const stored = await markPending(engine, payment, result, [createdEntry]);
  if (stored.status === 'paid') return alreadyPaid(engine, stored);
  const payUrl = normalizePayUrl(stored.payUrl ?? result.payUrl, name);
  if (engine.logsInfo) {
    engine.logger.info(
      { paymentId: stored.id, orderId, provider: name, amount: stored.amount, currency: stored.currency },
      created ? 'paymount: payment created' : 'paymount: payment resumed',
    );
  }
  return { payment: stored, payUrl, redirectUrl: payUrl, alreadyPaid: false, reused: !created };
}
