// Issue 14 in the engine itself (memory store, injected clock): sticky anomalies, the
// second question to loadOrder, the operator's resolution and the options that drive the
// reconciler's new schedules. The same behaviour over HTTP and on every store is in
// test/money-left-behind/.
import { afterEach, describe, expect, it } from 'vitest';
import { decideTransition } from '../src/domain/state-machine.js';
import {
  createPayments,
  type LoadOrderContext,
  memoryStore,
  type Payment,
  type PaymentsOptions,
} from '../src/index.js';
import { testProvider } from '../src/testing.js';

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((p) => p.close()));
});

const PAID = { status: 'paid', amount: '10.00', currency: 'USD' } as const;

function engine(overrides: Partial<PaymentsOptions> = {}) {
  const asked: LoadOrderContext[] = [];
  let order: { amount: string; currency: string } | null | Error = { amount: '10.00', currency: 'USD' };
  const payments = createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: 's'.repeat(40),
    store: memoryStore(),
    providers: { one: testProvider(), two: testProvider() },
    loadOrder: async (_orderId, context) => {
      asked.push(context);
      if (order instanceof Error) throw order;
      return order;
    },
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hookDelivery: { pollIntervalMs: 0 },
    logger: false,
    ...overrides,
  });
  opened.push(payments);
  const setOrder = (next: typeof order): void => {
    order = next;
  };
  return { payments, asked, setOrder };
}

const anomaly = (reason: Payment['anomaly']): Payment =>
  ({ status: 'anomaly', anomaly: reason, amount: '10.00', currency: 'USD' }) as Payment;

describe('anomalies that are not about the amount', () => {
  const options = { overpayment: 'anomaly', orderPaidElsewhere: false } as const;

  it('stay anomalies on a repeat of the paid event, and move only on a resolution', () => {
    for (const reason of ['paid_after_failure', 'paid_twice', 'order_changed'] as const) {
      expect(decideTransition(anomaly(reason), PAID, options), reason).toBeNull();
      expect(decideTransition(anomaly(reason), { ...PAID, resolved: true }, options)).toEqual({
        to: 'paid',
        anomaly: null,
      });
      expect(decideTransition(anomaly(reason), { status: 'refunded' }, options)?.to).toBe('refunded');
    }
    // An anomaly about the amount still pays when the full amount is reported.
    expect(decideTransition(anomaly('underpaid'), PAID, options)?.to).toBe('paid');
  });

  it('are accepted as paid only by an operator, and never while another payment of the order is paid', async () => {
    const { payments } = engine();
    const first = (await payments.checkout({ orderId: 'o-1', provider: 'one' })).payment;
    const second = (await payments.checkout({ orderId: 'o-1', provider: 'two' })).payment;
    await payments.applyEvent(first.id, PAID);
    expect((await payments.applyEvent(second.id, PAID)).payment.anomaly).toBe('paid_twice');
    await expect(payments.acceptAnomaly(second.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(payments.acceptAnomaly(first.id)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(payments.acceptAnomaly('pm_000000000000000000000000')).rejects.toMatchObject({
      code: 'payment_not_found',
    });
  });
});

describe('loadOrder before a payment is paid', () => {
  it('that no longer offers an order paid by another payment makes the second one paid_twice', async () => {
    // A shop that closes a paid order answers null or its settled amount: the money that
    // came second is a double payment to refund, not a changed order.
    const { payments, setOrder } = engine();
    const first = (await payments.checkout({ orderId: 'o-2', provider: 'one' })).payment;
    const second = (await payments.checkout({ orderId: 'o-2', provider: 'two' })).payment;
    const third = (await payments.checkout({ orderId: 'o-3', provider: 'one' })).payment;
    await payments.applyEvent(first.id, PAID);
    setOrder(null);
    const after = (await payments.applyEvent(second.id, PAID)).payment;
    expect([after.status, after.anomaly]).toEqual(['anomaly', 'paid_twice']);
    // An order that changed with no other payment paid is still order_changed.
    expect((await payments.applyEvent(third.id, PAID)).payment.anomaly).toBe('order_changed');
  });

  it('is asked with reason "confirm" and the payment, without a request', async () => {
    const { payments, asked } = engine();
    const { payment } = await payments.checkout({ orderId: 'o-1', provider: 'one' });
    expect(asked).toEqual([{ provider: 'one', reason: 'checkout' }]);
    await payments.applyEvent(payment.id, PAID);
    expect(asked[1]).toMatchObject({ provider: 'one', reason: 'confirm', payment: { id: payment.id } });
    expect(asked[1]).not.toHaveProperty('request');
    // Not asked again for a repeat, nor for events that do not pay.
    await payments.applyEvent(payment.id, PAID);
    expect(asked).toHaveLength(2);
  });

  it('that throws leaves the payment as it was (the provider or the reconciler tries again)', async () => {
    const { payments, setOrder } = engine();
    const { payment } = await payments.checkout({ orderId: 'o-1', provider: 'one' });
    setOrder(new Error('orders database down'));
    await expect(payments.applyEvent(payment.id, PAID)).rejects.toMatchObject({ code: 'internal_error' });
    expect((await payments.get(payment.id))?.status).toBe('pending');
    setOrder({ amount: '10.0', currency: 'USD' });
    expect((await payments.applyEvent(payment.id, PAID)).payment.status).toBe('paid');
  });

  it('turns a payment into order_changed for another currency, and an anomaly stays the one it was', async () => {
    const { payments, setOrder } = engine();
    const a = (await payments.checkout({ orderId: 'o-1', provider: 'one' })).payment;
    const b = (await payments.checkout({ orderId: 'o-2', provider: 'one' })).payment;
    await payments.applyEvent(b.id, { ...PAID, amount: '4.00' });
    setOrder({ amount: '10.00', currency: 'EUR' });
    expect((await payments.applyEvent(a.id, PAID)).payment.anomaly).toBe('order_changed');
    const after = (await payments.applyEvent(b.id, PAID)).payment;
    expect([after.status, after.anomaly]).toEqual(['anomaly', 'underpaid']);
  });
});

describe('the options of the new schedules', () => {
  it('are checked at start-up and have their defaults', () => {
    const make = (extra: Partial<PaymentsOptions>) => () => engine(extra);
    expect(make({ reconcile: { rechecks: 31 } })).toThrow(/reconcile\.rechecks/);
    expect(make({ reconcile: { recheckAfterMs: 0 } })).toThrow(/reconcile\.recheckAfterMs/);
    expect(make({ checkout: { createdExpiryMs: -1 } })).toThrow(/checkout\.createdExpiryMs/);
    expect(make({ reconcile: { rechecks: 0 }, checkout: { createdExpiryMs: 60_000 } })).not.toThrow();
  });

  it('stop looking at an expired payment with rechecks: 0', async () => {
    let now = Date.parse('2026-03-01T00:00:00Z');
    const { payments } = engine({ now: () => new Date(now), reconcile: { rechecks: 0 } });
    const { payment } = await payments.checkout({ orderId: 'o-1', provider: 'one' });
    await payments.applyEvent(payment.id, { status: 'expired' });
    now += 86_400_000;
    expect(await payments.reconcile()).toEqual({ checked: 0, changed: 0, errors: 0 });
  });
});
