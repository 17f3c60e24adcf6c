// A provider whose checkout gives no reference before its first callback finds lost
// payments in its own order list (`PaymentProvider.lostPayments`); what it cannot match
// for certain it reports as unsure, and the reconciler journals that for a person.
import { afterEach, describe, expect, it } from 'vitest';
import { createPayments, memoryStore, type PaymentProvider, type Payments } from '../src/index.js';
import type { UnsureMatch } from '../src/provider.js';
import { testProvider } from '../src/testing.js';

const opened: Payments[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((p) => p.close()));
});

/** A pay-url provider (no reference at checkout) whose search reports `candidates` as unsure. */
function shop(candidates: { current: UnsureMatch }) {
  const provider: PaymentProvider = {
    ...testProvider(),
    createCheckout: async ({ payment }) => ({ payUrl: `https://pay.example.test/${payment.id}` }),
    lostPayments: {
      lookBackMs: 86_400_000,
      async find(search) {
        for (const p of search.payments) search.unsure(p.id, candidates.current);
        return [];
      },
    },
  };
  const payments = createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: 's'.repeat(40),
    store: memoryStore(),
    providers: { coin: provider },
    loadOrder: async () => ({ amount: '10.00', currency: 'USD' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hookDelivery: { pollIntervalMs: 0 },
    logger: false,
  });
  opened.push(payments);
  return payments;
}

const unsureNotes = async (payments: Payments, paymentId: string) =>
  (await payments.history(paymentId))
    .filter((e) => e.data['unsure'] !== undefined)
    .map((e) => e.data['unsure']);

describe('a lost-payment search that cannot match a payment for certain', () => {
  it('leaves it as it is and journals the candidates once per distinct set', async () => {
    const candidates = { current: { providerRefs: ['A-1', 'A-2'], otherPaymentIds: [] } as UnsureMatch };
    const payments = shop(candidates);
    const { payment } = await payments.checkout({ orderId: 'o-1', provider: 'coin' });
    await payments.reconcile();
    await payments.reconcile();
    expect(await payments.get(payment.id)).toMatchObject({ status: 'pending', providerRef: null });
    expect(await unsureNotes(payments, payment.id)).toEqual([
      { providerRefs: ['A-1', 'A-2'], otherPaymentIds: [] },
    ]);
    // A status check written in between does not make the same set new.
    await payments.refresh(payment.id).catch(() => undefined);
    await payments.reconcile();
    expect(await unsureNotes(payments, payment.id)).toHaveLength(1);
    // Another set is news.
    candidates.current = { providerRefs: ['A-1', 'A-2', 'A-3'], otherPaymentIds: [] };
    await payments.reconcile();
    expect(await unsureNotes(payments, payment.id)).toHaveLength(2);
    const [entry] = (await payments.journal({ paymentId: payment.id, type: 'provider.checked', limit: 1 }))
      .entries;
    expect(entry?.data).toMatchObject({ why: 'reconcile', answer: null });
  });
});
