// Refunds in the engine itself (memory store): the exact decimal arithmetic behind the
// "never more than was paid" rule, a provider without a refund API, refunds of anomalies
// and the provider's own report of a refunded payment. Refunds through a provider over
// HTTP, and on every store, are in test/refunds/.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { compareAmounts, remainingAmount, sumAmounts } from '../src/domain/money.js';
import { createPayments, isPaymentsError, memoryStore, type PaymentHook } from '../src/index.js';
import { testProvider } from '../src/testing.js';

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((p) => p.close()));
});

function engine(onRefunded: PaymentHook = () => {}) {
  const provider = testProvider();
  const payments = createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: 's'.repeat(40),
    store: memoryStore(),
    providers: { test: provider },
    loadOrder: async () => ({ amount: '10.00', currency: 'USD' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hookDelivery: { pollIntervalMs: 0 },
    hooks: { onRefunded },
    logger: false,
  });
  opened.push(payments);
  return payments;
}

const codeOf = (error: unknown): string => (isPaymentsError(error) ? error.code : String(error));

describe('refund arithmetic', () => {
  const cents = fc.bigInt({ min: 0n, max: 10n ** 12n });
  const amount = (units: bigint): string => `${units / 100n}.${String(units % 100n).padStart(2, '0')}`;

  it('adds and subtracts decimal amounts exactly, never through a float', () => {
    fc.assert(
      fc.property(fc.array(cents, { maxLength: 30 }), cents, (parts, limit) => {
        const total = parts.reduce((a, b) => a + b, 0n);
        expect(compareAmounts(sumAmounts(parts.map(amount)), amount(total))).toBe(0);
        const rest = limit > total ? limit - total : 0n;
        expect(compareAmounts(remainingAmount(amount(limit), amount(total)), amount(rest))).toBe(0);
      }),
    );
    expect(sumAmounts(['0.1', '0.2'])).toBe('0.3');
    expect(sumAmounts([])).toBe('0');
  });
});

describe('refunds in the engine', () => {
  it('answers refund_unsupported for a provider without a refund API, and stores nothing', async () => {
    const payments = engine();
    const { payment } = await payments.checkout({ orderId: 'E-1' });
    await payments.applyEvent(payment.id, { status: 'paid', amount: '10.00', currency: 'USD' });
    expect(codeOf(await payments.refund(payment.id).catch((e: unknown) => e))).toBe('refund_unsupported');
    expect(await payments.refunds(payment.id)).toEqual([]);
  });

  it('refunds an anomaly up to what arrived, and never a wrong currency', async () => {
    const payments = engine();
    const { payment } = await payments.checkout({ orderId: 'E-2' });
    await payments.applyEvent(payment.id, { status: 'paid', amount: '6.00', currency: 'USD' });
    expect((await payments.get(payment.id))?.anomaly).toBe('underpaid');
    const over = await payments.recordRefund(payment.id, { amount: '6.01' }).catch((e: unknown) => e);
    expect(codeOf(over)).toBe('refund_exceeds_payment');
    await payments.recordRefund(payment.id, { amount: '6.00' });
    expect((await payments.get(payment.id))?.status).toBe('refunded');

    const other = await payments.checkout({ orderId: 'E-3' });
    await payments.applyEvent(other.payment.id, { status: 'paid', amount: '10.00', currency: 'EUR' });
    const foreign = await payments
      .recordRefund(other.payment.id, { amount: '1.00' })
      .catch((e: unknown) => e);
    expect(codeOf(foreign)).toBe('refund_not_allowed');
  });

  it('gives onRefunded the refund, and null when the provider itself reports the payment refunded', async () => {
    const seen: unknown[] = [];
    const payments = engine((_payment, context) => void seen.push(context.refund?.amount ?? null));
    const first = await payments.checkout({ orderId: 'E-4' });
    await payments.applyEvent(first.payment.id, { status: 'paid', amount: '10.00', currency: 'USD' });
    await payments.recordRefund(first.payment.id, { amount: '2.50' });
    const second = await payments.checkout({ orderId: 'E-5' });
    await payments.applyEvent(second.payment.id, { status: 'paid', amount: '10.00', currency: 'USD' });
    await payments.applyEvent(second.payment.id, { status: 'refunded' });
    await payments.deliverHooks();
    expect(seen).toEqual(['2.50', null]);
  });
});
