import { createPayments, type Payment, type Payments, silentLogger } from '@paymount/core';
import type { PaymentStore } from '@paymount/core/store';
import { type TestProvider, testProvider } from '@paymount/core/testing';
import { expect, it } from 'vitest';

interface EngineOnStore {
  readonly payments: Payments;
  readonly providers: { readonly one: TestProvider; readonly two: TestProvider };
  /** The hooks run so far, as `hook:paymentId`. */
  readonly hooks: string[];
}

/** A paymount engine on the store under test, with two test providers and every order at 10.00 USD. */
function engineOn(store: PaymentStore): EngineOnStore {
  const hooks: string[] = [];
  const record = (hook: string) => (p: Payment) => void hooks.push(`${hook}:${p.id}`);
  const providers = { one: testProvider(), two: testProvider() };
  const payments = createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: 'x'.repeat(32),
    store,
    providers,
    loadOrder: async () => ({ amount: '10.00', currency: 'USD' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hooks: { onPaid: record('onPaid'), onAnomaly: record('onAnomaly') },
    hookDelivery: { pollIntervalMs: 0 },
    logger: silentLogger,
  });
  return { payments, providers, hooks };
}

const PAID = { status: 'paid', amount: '10.00', currency: 'USD' } as const;

/** The store's two rules as a shop sees them, through the engine. */
export function engineRuleCases(current: () => PaymentStore): void {
  it('pays one of two payments of an order confirmed 100 times at once, and makes the other paid_twice', async () => {
    const { payments, hooks } = engineOn(current());
    const first = (await payments.checkout({ orderId: 'twice-1', provider: 'one' })).payment;
    const second = (await payments.checkout({ orderId: 'twice-1', provider: 'two' })).payment;
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => payments.applyEvent(i % 2 === 0 ? first.id : second.id, PAID)),
    );
    expect(results.filter((r) => r.changed)).toHaveLength(2);
    const stored = await payments.findByOrder('twice-1');
    const byStatus = stored.map((p) => [p.status, p.anomaly]).sort();
    expect(byStatus).toEqual([
      ['anomaly', 'paid_twice'],
      ['paid', null],
    ]);
    await payments.deliverHooks();
    const paid = stored.find((p) => p.status === 'paid')!;
    const twice = stored.find((p) => p.status === 'anomaly')!;
    expect(hooks.sort()).toEqual([`onAnomaly:${twice.id}`, `onPaid:${paid.id}`].sort());
    await payments.close();
  });

  it('refuses a provider order that pays one payment to any other, by event and by status check', async () => {
    const { payments, providers } = engineOn(current());
    const a = (await payments.checkout({ orderId: 'bound-a', provider: 'one' })).payment;
    const b = (await payments.checkout({ orderId: 'bound-b', provider: 'one' })).payment;
    await payments.applyEvent(a.id, { ...PAID, providerRef: 'PROVIDER-ORDER-9' });
    const taken = { code: 'provider_ref_taken', status: 409 };
    await expect(
      payments.applyEvent(b.id, { ...PAID, providerRef: 'PROVIDER-ORDER-9' }),
    ).rejects.toMatchObject(taken);
    providers.one.setStatus(b.id, { ...PAID, providerRef: 'PROVIDER-ORDER-9' });
    await expect(payments.refresh(b.id)).rejects.toMatchObject(taken);
    expect((await payments.get(b.id))?.status).toBe('pending');
    expect((await payments.get(a.id))?.status).toBe('paid');
    await payments.close();
  });
}
