// payments.resolveAnomaly(): an operator accepts an anomaly's money as paid, or records that
// it was refunded by hand, with a note, through the public API on the memory store and SQLite.
import {
  createPayments,
  type JournalEntry,
  memoryStore,
  type Payment,
  type PaymentStore,
} from '@paymount/core';
import { testProvider } from '@paymount/core/testing';
import { sqliteStore } from '@paymount/sqlite';
import { afterEach, describe, expect, it } from 'vitest';

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

function shop(store: PaymentStore) {
  const hooks: string[] = [];
  const record = (hook: string) => (p: Payment) => void hooks.push(`${hook}:${p.id}`);
  const payments = createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: 's'.repeat(40),
    store,
    providers: { one: testProvider(), two: testProvider() },
    loadOrder: async () => ({ amount: '10.00', currency: 'USD' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hooks: { onPaid: record('onPaid'), onRefunded: record('onRefunded'), onAnomaly: record('onAnomaly') },
    hookDelivery: { pollIntervalMs: 0 },
    logger: false,
  });
  opened.push(store, payments);
  return { payments, hooks };
}

/** An order with one payment short by 2.00: the anomaly `underpaid`. */
async function underpaid(payments: ReturnType<typeof shop>['payments'], orderId: string): Promise<Payment> {
  const { payment } = await payments.checkout({ orderId, provider: 'one' });
  const applied = await payments.applyEvent(payment.id, { status: 'paid', amount: '8.00', currency: 'USD' });
  expect(applied.payment).toMatchObject({ status: 'anomaly', anomaly: 'underpaid' });
  return applied.payment;
}

const stores: Array<[string, () => PaymentStore]> = [
  ['memory', () => memoryStore()],
  ['SQLite', () => sqliteStore({ path: ':memory:' })],
];

describe.each(stores)('resolving an anomaly on %s', (_name, makeStore) => {
  it('accepts the money as paid: onPaid runs, and the journal names the operator and the note in one step', async () => {
    const { payments, hooks } = shop(makeStore());
    const payment = await underpaid(payments, 'o-paid');
    const done = await payments.resolveAnomaly(payment.id, {
      as: 'paid',
      note: '  Buyer paid the 2.00 by bank transfer, ticket 812  ',
      operator: { id: 'ana', name: 'Ana' },
      source: 'test',
    });
    expect(done).toMatchObject({ status: 'paid', anomaly: null, paidAmount: '8.00' });
    expect(await payments.get(payment.id)).toEqual(done);
    await payments.deliverHooks();
    expect(hooks).toEqual([`onAnomaly:${payment.id}`, `onPaid:${payment.id}`]);
    const history = await payments.history(payment.id);
    const action = history.find((e) => e.type === 'operator.action') as JournalEntry;
    expect(action.data).toEqual({
      who: 'ana',
      name: 'Ana',
      what: 'anomaly.accept',
      note: 'Buyer paid the 2.00 by bank transfer, ticket 812',
      source: 'test',
      anomaly: 'underpaid',
    });
    // Written with the change itself: right before its status.changed, in one store step.
    const last = history.slice(history.indexOf(action), history.indexOf(action) + 2);
    expect(last.map((e) => e.type)).toEqual(['operator.action', 'status.changed']);
    expect(last[1]?.data).toMatchObject({ from: 'anomaly', to: 'paid' });
  });

  it('records a refund made by hand: refunded, onRefunded, the anomaly kept as the reason', async () => {
    const { payments, hooks } = shop(makeStore());
    const payment = await underpaid(payments, 'o-refund');
    const done = await payments.resolveAnomaly(payment.id, {
      as: 'refunded',
      note: 'Refunded 8.00 in the provider dashboard',
      operator: { id: 'ben' },
    });
    expect(done).toMatchObject({ status: 'refunded', anomaly: 'underpaid', paidAt: null });
    await payments.deliverHooks();
    expect(hooks).toEqual([`onAnomaly:${payment.id}`, `onRefunded:${payment.id}`]);
    const actions = (await payments.history(payment.id)).filter((e) => e.type === 'operator.action');
    expect(actions.map((e) => e.data)).toEqual([
      {
        who: 'ben',
        name: null,
        what: 'anomaly.refunded',
        note: 'Refunded 8.00 in the provider dashboard',
        source: null,
        anomaly: 'underpaid',
      },
    ]);
    // Resolved once: a second resolution is refused, and nothing more is written.
    await expect(
      payments.resolveAnomaly(payment.id, { as: 'paid', note: 'again', operator: { id: 'ben' } }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    expect((await payments.history(payment.id)).filter((e) => e.type === 'operator.action')).toHaveLength(1);
  });

  it('refuses to pay an anomaly while another payment of its order is paid, but lets it be refunded', async () => {
    const { payments } = shop(makeStore());
    const first = (await payments.checkout({ orderId: 'o-twice', provider: 'one' })).payment;
    const second = (await payments.checkout({ orderId: 'o-twice', provider: 'two' })).payment;
    await payments.applyEvent(first.id, { status: 'paid', amount: '10.00', currency: 'USD' });
    const twice = await payments.applyEvent(second.id, { status: 'paid', amount: '10.00', currency: 'USD' });
    expect(twice.payment.anomaly).toBe('paid_twice');
    const note = { note: 'Paid twice', operator: { id: 'ana' } };
    await expect(payments.resolveAnomaly(second.id, { as: 'paid', ...note })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await payments.get(second.id))?.status).toBe('anomaly');
    expect((await payments.history(second.id)).some((e) => e.type === 'operator.action')).toBe(false);
    expect((await payments.resolveAnomaly(second.id, { as: 'refunded', ...note })).status).toBe('refunded');
  });

  it('refuses what is not a resolution with a clear code, and changes nothing', async () => {
    const { payments } = shop(makeStore());
    const payment = await underpaid(payments, 'o-bad');
    const ok = { as: 'paid', note: 'fine', operator: { id: 'ana' } } as const;
    const cases: Array<[unknown, string, string]> = [
      [{ ...ok, note: '   ' }, payment.id, 'invalid_request'],
      [{ ...ok, note: 'x'.repeat(2_001) }, payment.id, 'invalid_request'],
      [{ ...ok, operator: { id: '' } }, payment.id, 'invalid_request'],
      [{ ...ok, as: 'shipped' }, payment.id, 'invalid_request'],
      [ok, 'pm_000000000000000000000000', 'payment_not_found'],
    ];
    for (const [resolution, id, code] of cases) {
      await expect(payments.resolveAnomaly(id, resolution as typeof ok), code).rejects.toMatchObject({
        code,
      });
    }
    const pending = (await payments.checkout({ orderId: 'o-live', provider: 'one' })).payment;
    await expect(payments.resolveAnomaly(pending.id, ok)).rejects.toMatchObject({ code: 'invalid_request' });
    expect((await payments.get(payment.id))?.status).toBe('anomaly');
    // acceptAnomaly still works, and now journals its status change too.
    expect((await payments.acceptAnomaly(payment.id)).status).toBe('paid');
    const types = (await payments.history(payment.id)).map((e) => e.type);
    expect(types.at(-1)).toBe('status.changed');
  });
});
