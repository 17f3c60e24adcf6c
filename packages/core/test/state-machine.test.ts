import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canTransition } from '../src/domain/state-machine.js';
import {
  createPayments,
  memoryStore,
  type Payment,
  type PaymentStatus,
  type ProviderEvent,
} from '../src/index.js';
import { testProvider } from '../src/testing.js';

const eventArb: fc.Arbitrary<ProviderEvent> = fc.oneof(
  fc.record({
    status: fc.constant('paid' as const),
    amount: fc.constantFrom('10.00', '10', '9.99', '10.01'),
    currency: fc.constantFrom('USD', 'EUR'),
  }),
  fc.record({
    status: fc.constantFrom(
      'pending' as const,
      'expired' as const,
      'failed' as const,
      'partial' as const,
      'refunded' as const,
    ),
  }),
);

const RANK: Record<PaymentStatus, number> = {
  created: 0,
  pending: 1,
  expired: 2,
  failed: 2,
  anomaly: 3,
  paid: 4,
  refunded: 5,
};

function engine() {
  const calls: Array<{ hook: string; key: string }> = [];
  const record = (hook: string) => (_p: Payment, ctx: { idempotencyKey: string }) =>
    void calls.push({ hook, key: ctx.idempotencyKey });
  const payments = createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: 's'.repeat(40),
    store: memoryStore(),
    providers: { test: testProvider() },
    loadOrder: async () => ({ amount: '10.00', currency: 'USD' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hooks: {
      onPaid: record('onPaid'),
      onExpired: record('onExpired'),
      onFailed: record('onFailed'),
      onAnomaly: record('onAnomaly'),
      onRefunded: record('onRefunded'),
      onStatusChange: record('onStatusChange'),
    },
    hookDelivery: { pollIntervalMs: 0 },
  });
  return { payments, calls };
}

describe('state machine', () => {
  it('only ever moves forward', () => {
    const statuses: PaymentStatus[] = [
      'created',
      'pending',
      'paid',
      'expired',
      'failed',
      'anomaly',
      'refunded',
    ];
    for (const from of statuses) {
      for (const to of statuses) {
        if (canTransition(from, to)) expect(RANK[to], `${from} → ${to}`).toBeGreaterThan(RANK[from]);
      }
    }
    expect(canTransition('paid', 'expired')).toBe(false);
    expect(canTransition('paid', 'anomaly')).toBe(false);
    expect(canTransition('expired', 'paid')).toBe(true);
    expect(canTransition('anomaly', 'paid')).toBe(true);
    expect(canTransition('refunded', 'paid')).toBe(false);
  });

  it('never moves a paid payment back, whatever events follow, and runs each hook once per transition (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 1, maxLength: 12 }), async (events) => {
        const { payments, calls } = engine();
        const { payment } = await payments.checkout({ orderId: 'prop-1' });
        const seen: PaymentStatus[] = ['created', payment.status];
        let everPaid = false;
        for (const event of events) {
          const { payment: now } = await payments.applyEvent(payment.id, event);
          if (now.status !== seen[seen.length - 1]) seen.push(now.status);
          if (now.status === 'paid') everPaid = true;
          if (everPaid) expect(['paid', 'refunded']).toContain(now.status);
        }
        // Twice: a second round must find nothing left to deliver.
        await payments.deliverHooks();
        await payments.deliverHooks();
        const keys = calls.map((c) => c.key);
        expect(new Set(keys).size).toBe(keys.length);
        // One onStatusChange per transition (created → pending included), one specific hook per reached status.
        expect(calls.filter((c) => c.hook === 'onStatusChange')).toHaveLength(seen.length - 1);
        const specific = {
          paid: 'onPaid',
          expired: 'onExpired',
          failed: 'onFailed',
          anomaly: 'onAnomaly',
          refunded: 'onRefunded',
        } as const;
        for (const status of seen.slice(1)) {
          if (status in specific) {
            expect(calls.filter((c) => c.hook === specific[status as keyof typeof specific])).toHaveLength(1);
          }
        }
        await payments.close();
      }),
      { numRuns: 150 },
    );
  });

  it('records why a payment is an anomaly', async () => {
    const { payments } = engine();
    const cases: Array<[ProviderEvent, string]> = [
      [{ status: 'paid', amount: '9.99', currency: 'USD' }, 'underpaid'],
      [{ status: 'paid', amount: '10.01', currency: 'USD' }, 'overpaid'],
      [{ status: 'paid', amount: '10.00', currency: 'EUR' }, 'wrong_currency'],
      [{ status: 'partial' }, 'partial'],
    ];
    for (const [i, [event, reason]] of cases.entries()) {
      const { payment } = await payments.checkout({ orderId: `anomaly-${i}` });
      const { payment: after } = await payments.applyEvent(payment.id, event);
      expect([after.status, after.anomaly]).toEqual(['anomaly', reason]);
    }
    await payments.close();
  });

  it('pays a late payment after expiry and resolves an anomaly to paid, but not a failed one', async () => {
    const { payments } = engine();
    const a = (await payments.checkout({ orderId: 'late-1' })).payment;
    await payments.applyEvent(a.id, { status: 'expired' });
    expect(
      (await payments.applyEvent(a.id, { status: 'paid', amount: '10.00', currency: 'USD' })).payment.status,
    ).toBe('paid');
    const b = (await payments.checkout({ orderId: 'late-2' })).payment;
    await payments.applyEvent(b.id, { status: 'paid', amount: '5.00', currency: 'USD' });
    expect(
      (await payments.applyEvent(b.id, { status: 'paid', amount: '10.00', currency: 'USD' })).payment.status,
    ).toBe('paid');
    const c = (await payments.checkout({ orderId: 'late-3' })).payment;
    await payments.applyEvent(c.id, { status: 'failed' });
    const after = (await payments.applyEvent(c.id, { status: 'paid', amount: '10.00', currency: 'USD' }))
      .payment;
    expect([after.status, after.anomaly]).toEqual(['anomaly', 'paid_after_failure']);
    await payments.close();
  });

  it('makes a second paid payment of one order an anomaly (paid twice)', async () => {
    const provider = testProvider();
    const payments = createPayments({
      publicUrl: 'https://shop.example/pay',
      secret: 's'.repeat(40),
      store: memoryStore(),
      providers: { one: provider, two: testProvider() },
      loadOrder: async () => ({ amount: '10.00', currency: 'USD' }),
      returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
      hookDelivery: { pollIntervalMs: 0 },
    });
    const first = (await payments.checkout({ orderId: 'twice', provider: 'one' })).payment;
    const second = (await payments.checkout({ orderId: 'twice', provider: 'two' })).payment;
    await payments.applyEvent(first.id, { status: 'paid', amount: '10.00', currency: 'USD' });
    const after = (await payments.applyEvent(second.id, { status: 'paid', amount: '10.00', currency: 'USD' }))
      .payment;
    expect([after.status, after.anomaly]).toEqual(['anomaly', 'paid_twice']);
    await payments.close();
  });
});
