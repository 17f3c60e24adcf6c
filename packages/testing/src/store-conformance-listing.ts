import { createPayments, type Payments, silentLogger } from '@paymount/core';
import type { Payment, PaymentListing, PaymentStatus, PaymentStore } from '@paymount/core/store';
import { testProvider } from '@paymount/core/testing';
import { expect, it } from 'vitest';
import { samplePayment } from './store-samples.js';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

/** Stores a payment created `minutes` after T0, moved to `status` when it is not `created`. */
async function stored(
  store: PaymentStore,
  minutes: number,
  overrides: Partial<Payment> & { status?: PaymentStatus } = {},
): Promise<Payment> {
  const { status = 'created', ...rest } = overrides;
  const first = samplePayment({ createdAt: at(minutes), updatedAt: at(minutes), ...rest, status: 'created' });
  await store.createOrReuse(first, 0);
  if (status === 'created') return first;
  const next: Payment = { ...first, status, version: 2 };
  expect(await store.transition({ payment: next, expectedVersion: 1, jobs: [] })).toBe(true);
  return next;
}

const ids = (payments: readonly Payment[]): string[] => payments.map((p) => p.id);
const all = (overrides: Partial<PaymentListing> = {}): PaymentListing => ({
  statuses: [],
  limit: 100,
  ...overrides,
});

/** Every page of a listing, following `after` from the last payment of each page. */
async function pages(store: PaymentStore, listing: PaymentListing): Promise<Payment[][]> {
  const found: Payment[][] = [];
  let after: PaymentListing['after'];
  for (;;) {
    const page = await store.listPayments({ ...listing, ...(after ? { after } : {}) });
    if (page.length === 0) return found;
    found.push(page);
    const last = page.at(-1)!;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

function engineOn(store: PaymentStore): Payments {
  return createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: 'x'.repeat(32),
    store,
    providers: { one: testProvider() },
    loadOrder: async () => ({ amount: '10.00', currency: 'USD' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hookDelivery: { pollIntervalMs: 0 },
    logger: silentLogger,
  });
}

/**
 * `listPayments` and `countPayments`: what the operator's console and CLI read. Registered
 * by `storeConformance`, inside its describe.
 */
export function listingCases(current: () => PaymentStore): void {
  it('listing: lists payments newest first, ties by id, and pages after a payment without gaps or repeats', async () => {
    const store = current();
    const made: Payment[] = [];
    // Three payments share each creation time: the id decides their order.
    for (let i = 0; i < 12; i++) made.push(await stored(store, Math.floor(i / 3)));
    const expected = [...made]
      .sort((a, b) =>
        a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
      )
      .map((p) => p.id);
    expect(ids(await store.listPayments(all()))).toEqual(expected);
    expect(ids(await store.listPayments(all({ limit: 4 })))).toEqual(expected.slice(0, 4));
    const paged = await pages(store, all({ limit: 5 }));
    expect(paged.map((page) => page.length)).toEqual([5, 5, 2]);
    expect(paged.flat().map((p) => p.id)).toEqual(expected);
    expect(paged.flat()[0]).toEqual(made.find((p) => p.id === expected[0]));
  });

  it('listing: filters by status, provider, creation time and an exact order id, payment id or provider reference', async () => {
    const store = current();
    const paid = await stored(store, 1, { status: 'paid', provider: 'aaio', providerRef: 'INV-77' });
    const anomaly = await stored(store, 2, { status: 'anomaly', provider: 'aurpay', orderId: 'order-42' });
    const pending = await stored(store, 3, { status: 'pending', provider: 'aaio', orderId: 'order-42' });
    const created = await stored(store, 4, { provider: 'aurpay' });

    expect(ids(await store.listPayments(all({ statuses: ['paid'] })))).toEqual([paid.id]);
    expect(ids(await store.listPayments(all({ statuses: ['anomaly', 'pending'] })))).toEqual([
      pending.id,
      anomaly.id,
    ]);
    expect(ids(await store.listPayments(all({ provider: 'aurpay' })))).toEqual([created.id, anomaly.id]);
    expect(ids(await store.listPayments(all({ search: 'order-42' })))).toEqual([pending.id, anomaly.id]);
    expect(ids(await store.listPayments(all({ search: paid.id })))).toEqual([paid.id]);
    expect(ids(await store.listPayments(all({ search: 'INV-77' })))).toEqual([paid.id]);
    // Exact matches only: a prefix finds nothing.
    expect(await store.listPayments(all({ search: 'INV-7' }))).toEqual([]);
    expect(await store.listPayments(all({ search: 'order-4' }))).toEqual([]);
    // Since is inclusive, until exclusive.
    expect(ids(await store.listPayments(all({ createdSince: at(2), createdUntil: at(4) })))).toEqual([
      pending.id,
      anomaly.id,
    ]);
    expect(
      ids(
        await store.listPayments(
          all({ statuses: ['pending', 'paid'], provider: 'aaio', createdSince: at(2) }),
        ),
      ),
    ).toEqual([pending.id]);
    const after = { createdAt: pending.createdAt, id: pending.id };
    expect(ids(await store.listPayments(all({ search: 'order-42', after })))).toEqual([anomaly.id]);
  });

  it('listing: counts payments per status and provider created in a window', async () => {
    const store = current();
    await stored(store, 0, { status: 'paid', provider: 'aaio' });
    await stored(store, 1, { status: 'paid', provider: 'aaio' });
    await stored(store, 2, { status: 'paid', provider: 'aurpay' });
    await stored(store, 3, { status: 'anomaly', provider: 'aaio' });
    await stored(store, 10, { status: 'expired', provider: 'aaio' });
    const sorted = (counts: readonly { status: string; provider: string; count: number }[]) =>
      counts.map((c) => `${c.status}/${c.provider}=${Number(c.count)}`).sort();
    expect(sorted(await store.countPayments({ since: at(0) }))).toEqual([
      'anomaly/aaio=1',
      'expired/aaio=1',
      'paid/aaio=2',
      'paid/aurpay=1',
    ]);
    expect(sorted(await store.countPayments({ since: at(1), until: at(10) }))).toEqual([
      'anomaly/aaio=1',
      'paid/aaio=1',
      'paid/aurpay=1',
    ]);
    expect(await store.countPayments({ since: at(11) })).toEqual([]);
  });

  it('listing: pages through payments.list() with its cursor and refuses a malformed query', async () => {
    const store = current();
    const payments = engineOn(store);
    try {
      const made: string[] = [];
      for (let i = 0; i < 7; i++) made.push((await payments.checkout({ orderId: `list-${i}` })).payment.id);
      const seen: string[] = [];
      let page = await payments.list({ limit: 3 });
      seen.push(...ids(page.payments));
      while (page.nextCursor) {
        page = await payments.list({ limit: 3, cursor: page.nextCursor });
        seen.push(...ids(page.payments));
      }
      expect(seen.sort()).toEqual([...made].sort());
      expect(new Set(seen).size).toBe(7);
      expect((await payments.list({ search: 'list-3' })).payments.map((p) => p.orderId)).toEqual(['list-3']);
      const since = new Date(Date.now() - 3_600_000).toISOString();
      expect(await payments.counts({ since })).toEqual([{ status: 'pending', provider: 'one', count: 7 }]);
      for (const bad of [
        { cursor: 'not-a-cursor' },
        { status: 'paid-ish' as PaymentStatus },
        { createdSince: 'yesterday' },
        { limit: 0 },
      ]) {
        await expect(payments.list(bad)).rejects.toMatchObject({ code: 'invalid_request' });
      }
      await expect(payments.counts({ since: 'soon' })).rejects.toMatchObject({ code: 'invalid_request' });
    } finally {
      await payments.close();
    }
  });
}
