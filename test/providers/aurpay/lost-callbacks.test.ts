// A pay-url checkout has no Aurpay order id until a callback names one. When that first
// callback is lost, the reconciler looks through Aurpay's order list
// (GET /api/v2/order/?page=&size=) and binds an order only when it can be no other
// payment's; anything ambiguous is left pending and logged for a person.
import type { PaymentsOptions } from '@paymount/core';
import type { AurpaySimulatorOptions } from '@paymount/sandbox';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freshStore, removeStores, STORE_KINDS } from '../../reliability/support/stores.js';
import { API_KEY, closeShops, type Shop, startShop } from './support.js';

afterEach(closeShops);
afterAll(removeStores);

const DAY = 86_400_000;

interface Logged {
  readonly level: 'warn' | 'info';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

function recordingLogger(lines: Logged[]) {
  const keep =
    (level: Logged['level']) =>
    (fields: unknown, message?: string): void =>
      void lines.push({ level, fields: (fields ?? {}) as Record<string, unknown>, message: String(message) });
  return { info: keep('info'), warn: keep('warn'), error: () => {}, debug: () => {} };
}

async function shopWithLog(
  simOptions: AurpaySimulatorOptions = {},
  paymentsOptions: Partial<PaymentsOptions> = {},
  providerOptions: Parameters<typeof startShop>[0] = {},
): Promise<{ shop: Shop; log: Logged[] }> {
  const log: Logged[] = [];
  const shop = await startShop(providerOptions, simOptions, {
    logger: recordingLogger(log),
    ...paymentsOptions,
  });
  return { shop, log };
}

/** The buyer pays on Aurpay's page, and the callback never reaches the shop. */
async function paidWithoutCallback(shop: Shop, orderId: string, amount = '10.00') {
  const payment = await shop.checkout(orderId, amount);
  await shop.sim.pay(payment.payUrl!, { callback: false });
  return { payment, order: shop.sim.order(payment.payUrl!)! };
}

/** An order someone else made at Aurpay (a dashboard invoice, another shop on the account). */
async function foreignOrder(shop: Shop, price: string, currency = 'USD') {
  const res = await fetch(`${shop.sim.url}/api/order/pay-url`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'API-Key': API_KEY },
    body: `{"price":${price},"currency":"${currency}"}`,
  });
  const { data } = (await res.json()) as { data: { pay_url: string } };
  return shop.sim.order(data.pay_url)!;
}

/** The reconciler's notes on a payment it could not match for certain, newest first. */
async function unsureNotes(shop: Shop, paymentId: string) {
  const { entries } = await shop.payments.journal({ paymentId, type: 'provider.checked', limit: 50 });
  return entries.filter((e) => e.data['unsure'] !== undefined);
}

const listReads = (shop: Shop) => shop.sim.requests.filter((r) => r.path.startsWith('/api/v2/order/?'));
const needsPerson = (log: Logged[]) =>
  log.filter((l) => l.level === 'warn' && l.message.includes('a person'));

describe('aurpay: a lost first callback is found through the order list', () => {
  for (const kind of STORE_KINDS) {
    it(`binds the one order that fits and pays the payment, with one onPaid (${kind})`, async () => {
      const { shop } = await shopWithLog({}, { store: await freshStore(kind) });
      const { payment, order } = await paidWithoutCallback(shop, `L-${kind}`);
      expect((await shop.payments.get(payment.id))?.status).toBe('pending');

      const report = await shop.payments.reconcile();
      expect(report.changed).toBe(1);
      expect(await shop.payments.get(payment.id)).toMatchObject({
        status: 'paid',
        providerRef: order.info.order_id,
        providerStatus: 'SUCCESS',
        paidAmount: '10.0',
      });
      expect(await shop.hooks()).toEqual([`onPaid:${payment.id}`]);
      // The list was read once, then the order's detail: the status comes from the detail API.
      const reads = shop.sim.requests.filter((r) => r.method === 'GET').map((r) => r.path);
      expect(reads).toEqual(['/api/v2/order/?page=1&size=50', `/api/v2/order/detail/${order.info.order_id}`]);

      // A later round has nothing left to look for.
      await shop.payments.reconcile();
      expect(listReads(shop)).toHaveLength(1);
    });
  }

  it('reads the list once per round however many payments it looks for', async () => {
    const { shop } = await shopWithLog();
    const found = [];
    for (const [i, amount] of ['10.00', '11.00', '12.00'].entries()) {
      found.push(await paidWithoutCallback(shop, `L-many-${i}`, amount));
    }
    await shop.payments.reconcile();
    expect(listReads(shop)).toHaveLength(1);
    for (const { payment, order } of found) {
      expect(await shop.payments.get(payment.id)).toMatchObject({
        status: 'paid',
        providerRef: order.info.order_id,
      });
    }
  });

  it('binds an order still PENDING, and a later check follows it to paid', async () => {
    const { shop } = await shopWithLog({}, { reconcile: { firstCheckAfterMs: 0 } });
    const payment = await shop.checkout('L-pending', '10.00');
    const order = shop.sim.order(payment.payUrl!)!;
    await shop.payments.reconcile();
    expect(await shop.payments.get(payment.id)).toMatchObject({
      status: 'pending',
      providerRef: order.info.order_id,
      providerStatus: 'PENDING',
    });
    await shop.sim.pay(payment.payUrl!, { callback: false });
    // Checked now whatever its schedule: the first check may have been moments ago.
    await shop.payments.reconcile({ all: true });
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
    expect(listReads(shop)).toHaveLength(1);
  });

  it('takes no order of another price, currency or time for the payment, and still finds its own', async () => {
    const { shop } = await shopWithLog();
    await foreignOrder(shop, '10.01');
    await foreignOrder(shop, '10.00', 'EUR');
    const old = await foreignOrder(shop, '10.00');
    old.info['create_time'] = new Date(Date.now() - 3 * DAY).toISOString().slice(0, 19);
    const { payment, order } = await paidWithoutCallback(shop, 'L-others');
    await shop.payments.reconcile();
    expect(await shop.payments.get(payment.id)).toMatchObject({
      status: 'paid',
      providerRef: order.info.order_id,
    });
  });

  it('two orders fit one payment: binds neither, leaves it pending and logs it for a person', async () => {
    const { shop, log } = await shopWithLog();
    const { payment, order } = await paidWithoutCallback(shop, 'L-two-orders');
    const other = await foreignOrder(shop, '10.00');
    await shop.sim.pay(other.info.order_id, { callback: false });
    await shop.payments.reconcile();
    expect(await shop.payments.get(payment.id)).toMatchObject({ status: 'pending', providerRef: null });
    expect(await shop.hooks()).toEqual([]);
    const [line] = needsPerson(log);
    expect(line?.fields).toMatchObject({ paymentId: payment.id });
    expect(line?.fields['aurpayOrderIds']).toEqual(
      expect.arrayContaining([order.info.order_id, other.info.order_id]),
    );
    // Journaled on the payment for the console, and not again by a round that finds the same.
    await shop.payments.reconcile();
    const notes = await unsureNotes(shop, payment.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.data).toMatchObject({ why: 'reconcile', answer: null });
    expect(notes[0]?.data['unsure']).toMatchObject({
      providerRefs: expect.arrayContaining([order.info.order_id, other.info.order_id]),
      otherPaymentIds: [],
    });
  });

  it('one order fits two payments of the same price: binds none, both stay pending, both logged', async () => {
    const { shop, log } = await shopWithLog();
    const first = await shop.checkout('L-same-1', '10.00');
    const second = await shop.checkout('L-same-2', '10.00');
    // Only the second buyer pays; both checkouts opened an Aurpay order of 10.00 USD.
    await shop.sim.pay(second.payUrl!, { callback: false });
    await shop.payments.reconcile();
    for (const payment of [first, second]) {
      expect(await shop.payments.get(payment.id)).toMatchObject({ status: 'pending', providerRef: null });
    }
    expect(await shop.hooks()).toEqual([]);
    expect(needsPerson(log).map((l) => l.fields['paymentId'])).toEqual(
      expect.arrayContaining([first.id, second.id]),
    );
    const [note] = await unsureNotes(shop, first.id);
    expect(note?.data['unsure']).toMatchObject({ otherPaymentIds: [second.id] });
  });

  it('a payment not due for a check yet is looked for too: an order that fits both goes to neither', async () => {
    let offset = 0;
    const { shop } = await shopWithLog({}, { now: () => new Date(Date.now() + offset) });
    const first = await shop.checkout('L-due-1', '10.00');
    offset = 2 * 60_000; // the first is due now (firstCheckAfterMs 60 s), the second is not
    const second = await shop.checkout('L-due-2', '10.00');
    await shop.sim.pay(second.payUrl!, { callback: false });
    const report = await shop.payments.reconcile();
    expect(report.checked).toBe(1);
    expect((await shop.payments.get(first.id))?.providerRef).toBeNull();
    expect((await shop.payments.get(second.id))?.providerRef).toBeNull();
  });

  it('skips an order already bound to another payment, and binds the payment to its own', async () => {
    const { shop } = await shopWithLog();
    const settled = await shop.checkout('L-bound-1', '10.00');
    await shop.sim.pay(settled.payUrl!); // its callback arrives: that order is bound
    expect((await shop.payments.get(settled.id))?.status).toBe('paid');
    const { payment, order } = await paidWithoutCallback(shop, 'L-bound-2');
    await shop.payments.reconcile();
    expect(await shop.payments.get(payment.id)).toMatchObject({
      status: 'paid',
      providerRef: order.info.order_id,
    });
  });

  it('with lostOrderSearch: false reads no list and the payment waits for its callback', async () => {
    const { shop } = await shopWithLog({}, {}, { lostOrderSearch: false });
    const { payment } = await paidWithoutCallback(shop, 'L-off');
    await shop.payments.reconcile();
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
    expect(listReads(shop)).toHaveLength(0);
  });

  it('an order list outage changes nothing, counts as an error, and the next round finds the order', async () => {
    const { shop } = await shopWithLog();
    const { payment } = await paidWithoutCallback(shop, 'L-down');
    shop.sim.faults.api = 'down';
    const report = await shop.payments.reconcile();
    expect(report.errors).toBeGreaterThanOrEqual(1);
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
    shop.sim.faults.api = null;
    await shop.payments.reconcile();
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
  });

  it('looks only for payments created within lookBackMs', async () => {
    let offset = 0;
    const { shop } = await shopWithLog(
      {},
      { now: () => new Date(Date.now() + offset) },
      { lostOrderSearch: { lookBackMs: 3_600_000 } },
    );
    const { payment } = await paidWithoutCallback(shop, 'L-old');
    offset = 3_600_000 + 60_000;
    await shop.payments.reconcile();
    expect(listReads(shop)).toHaveLength(0);
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
  });
});

describe('aurpay: the order list search is bounded and does not depend on the list order', () => {
  /** Thirty older orders of other prices, then the lost payment's own order. */
  async function crowded(shop: Shop) {
    for (let i = 0; i < 30; i++) {
      const order = await foreignOrder(shop, `${20 + i}.00`);
      order.info['create_time'] = new Date(Date.now() - 3 * DAY - i * 60_000).toISOString().slice(0, 19);
    }
    return paidWithoutCallback(shop, 'L-crowd');
  }

  for (const orderListOrder of ['newest-first', 'oldest-first'] as const) {
    it(`finds the order and stops at a page of only older orders (${orderListOrder})`, async () => {
      const { shop } = await shopWithLog({ orderListOrder }, {}, { lostOrderSearch: { pageSize: 10 } });
      const { payment, order } = await crowded(shop);
      await shop.payments.reconcile();
      expect(await shop.payments.get(payment.id)).toMatchObject({
        status: 'paid',
        providerRef: order.info.order_id,
      });
      // 31 orders in pages of 10: newest first reads pages 1 and 2; oldest first reads
      // page 1 (all old), then from the last page back: 4 and 3.
      const pages = listReads(shop).map((r) => new URL(r.path, 'http://x').searchParams.get('page'));
      expect(pages).toEqual(orderListOrder === 'newest-first' ? ['1', '2'] : ['1', '4', '3']);
    });
  }

  it('stops at lostOrderSearch.maxPages, logged, and binds nothing that round, not even an order it saw', async () => {
    const { shop, log } = await shopWithLog({}, {}, { lostOrderSearch: { pageSize: 10, maxPages: 1 } });
    const { payment } = await crowded(shop);
    // Newest first, page 1 holds the payment's own order, but pages were left unread.
    await shop.payments.reconcile();
    expect(listReads(shop)).toHaveLength(1);
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
    expect(log.some((l) => l.level === 'warn' && l.message.includes('page limit'))).toBe(true);
  });

  it('stops at lostOrderSearch.maxPages when the list is oldest first, and binds nothing it did not see', async () => {
    const { shop, log } = await shopWithLog(
      { orderListOrder: 'oldest-first' },
      {},
      { lostOrderSearch: { pageSize: 10, maxPages: 1 } },
    );
    const { payment } = await crowded(shop);
    await shop.payments.reconcile();
    expect(listReads(shop)).toHaveLength(1);
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
    expect(log.some((l) => l.level === 'warn' && l.message.includes('page limit'))).toBe(true);
  });
});
