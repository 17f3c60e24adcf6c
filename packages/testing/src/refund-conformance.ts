import {
  isPaymentsError,
  type JournalEntry,
  newPaymentId,
  type Payment,
  type PaymentStore,
  type Refund,
} from '@paymount/core/store';
import { expect, it } from 'vitest';
import { sampleHookJob, samplePayment } from './store-samples.js';

/** A fresh `requested` refund of `payment` for store tests. */
export function sampleRefund(payment: Payment, overrides: Partial<Refund> = {}): Refund {
  const now = new Date().toISOString();
  return {
    id: `rf_${newPaymentId().slice(3)}`,
    paymentId: payment.id,
    provider: payment.provider,
    amount: '1.00',
    currency: payment.currency,
    status: 'requested',
    source: 'provider',
    providerRef: null,
    providerStatus: null,
    reason: null,
    note: null,
    error: null,
    idempotencyKey: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...overrides,
  };
}

async function paidPayment(store: PaymentStore, amount: string): Promise<Payment> {
  const created = samplePayment({ amount });
  await store.createOrReuse(created, 0);
  const paid: Payment = { ...created, status: 'paid', paidAt: new Date().toISOString(), version: 2 };
  expect(await store.transition({ payment: paid, expectedVersion: 1, jobs: [] })).toBe(true);
  return paid;
}

const refusedAs = async (work: Promise<unknown>): Promise<string> => {
  try {
    await work;
    return 'stored';
  } catch (error) {
    return isPaymentsError(error) ? error.code : String(error);
  }
};

const entry = (paymentId: string, type: JournalEntry['type']): JournalEntry => ({
  id: `jr_${newPaymentId().slice(3)}`,
  paymentId,
  provider: 'test',
  at: new Date().toISOString(),
  type,
  data: {},
});

/** The refund cases of the store conformance suite: the reservation rule, keys, and the atomic write. */
export function refundCases(current: () => PaymentStore): void {
  it('stores refunds, reads them back unchanged and lists a payment’s refunds oldest first', async () => {
    const store = current();
    const payment = await paidPayment(store, '10.00');
    const first = sampleRefund(payment, { reason: 'damaged', idempotencyKey: 'k-1' });
    const second = sampleRefund(payment, { amount: '2.50', source: 'recorded', note: 'by hand' });
    expect(await store.createRefund(first, '10.00')).toEqual({ refund: first, created: true });
    expect(await store.createRefund(second, '10.00')).toEqual({ refund: second, created: true });
    expect(await store.getRefund(first.id)).toEqual(first);
    expect(await store.getRefund(`rf_${'x'.repeat(24)}`)).toBeNull();
    expect(await store.listRefunds(payment.id)).toEqual([first, second]);
    expect(await store.listRefunds(newPaymentId())).toEqual([]);
  });

  it('refuses a refund that would take the refunds past the limit, and a failed one frees its amount', async () => {
    const store = current();
    const payment = await paidPayment(store, '10.00');
    const big = sampleRefund(payment, { amount: '9.00' });
    await store.createRefund(big, '10.00');
    expect(await refusedAs(store.createRefund(sampleRefund(payment, { amount: '1.01' }), '10.00'))).toBe(
      'refund_exceeds_payment',
    );
    expect(await store.listRefunds(payment.id)).toHaveLength(1);
    const failed: Refund = { ...big, status: 'failed', error: 'refused', version: 2 };
    expect(await store.updateRefund({ refund: failed, expectedVersion: 1, jobs: [], journal: [] })).toBe(
      true,
    );
    const again = sampleRefund(payment, { amount: '10.00' });
    expect((await store.createRefund(again, '10.00')).created).toBe(true);
  });

  it('lets exactly 25 of 50 concurrent refunds of 1.00 on a 25.00 payment through', async () => {
    const store = current();
    const payment = await paidPayment(store, '25.00');
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () =>
        refusedAs(store.createRefund(sampleRefund(payment, { amount: '1.00' }), '25.00')),
      ),
    );
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(25);
    expect(outcomes.filter((o) => o === 'refund_exceeds_payment')).toHaveLength(25);
    const stored = await store.listRefunds(payment.id);
    expect(stored.filter((r) => r.status !== 'failed')).toHaveLength(25);
  });

  it('gives back the refund already stored under an idempotency key, also to 20 concurrent requests', async () => {
    const store = current();
    const payment = await paidPayment(store, '10.00');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        store.createRefund(sampleRefund(payment, { idempotencyKey: 'same-key' }), '10.00'),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.refund.id)).size).toBe(1);
    expect(await store.listRefunds(payment.id)).toHaveLength(1);
    // Keys are per payment: another payment may use the same key.
    const other = await paidPayment(store, '10.00');
    const elsewhere = await store.createRefund(sampleRefund(other, { idempotencyKey: 'same-key' }), '10.00');
    expect(elsewhere.created).toBe(true);
  });

  it('updates a refund by compare-and-set, with its jobs and journal in the same step', async () => {
    const store = current();
    const payment = await paidPayment(store, '10.00');
    const refund = sampleRefund(payment);
    await store.createRefund(refund, '10.00');
    const done: Refund = { ...refund, status: 'succeeded', providerRef: 'r-1', version: 2 };
    const job = sampleHookJob(payment, 'onRefunded', { id: `${payment.id}:${refund.id}:onRefunded` });
    const write = {
      refund: done,
      expectedVersion: 1,
      jobs: [job],
      journal: [entry(payment.id, 'refund.succeeded')],
    };
    expect(await store.updateRefund(write)).toBe(true);
    expect(await store.updateRefund(write)).toBe(false);
    expect(await store.getRefund(refund.id)).toEqual(done);
    expect((await store.listHookJobs({ paymentId: payment.id })).map((j) => j.id)).toEqual([job.id]);
    const page = await store.listJournal({ paymentId: payment.id, type: 'refund.succeeded', limit: 10 });
    expect(page.entries).toHaveLength(1);
  });

  it('writes a refund and its payment’s transition together, or neither', async () => {
    const store = current();
    const payment = await paidPayment(store, '1.00');
    const refund = sampleRefund(payment);
    await store.createRefund(refund, '1.00');
    const done: Refund = { ...refund, status: 'succeeded', version: 2 };
    const refunded: Payment = { ...payment, status: 'refunded', version: payment.version + 1 };
    const stale = { payment: refunded, expectedVersion: payment.version - 1, jobs: [] };
    expect(
      await store.updateRefund({
        refund: done,
        expectedVersion: 1,
        jobs: [],
        journal: [],
        transition: stale,
      }),
    ).toBe(false);
    expect((await store.getRefund(refund.id))?.status).toBe('requested');
    const transition = { payment: refunded, expectedVersion: payment.version, jobs: [], nextCheckAt: null };
    const movedRefund = {
      refund: { ...done, version: 3 },
      expectedVersion: 2,
      jobs: [],
      journal: [],
      transition,
    };
    expect(await store.updateRefund(movedRefund)).toBe(false);
    expect((await store.get(payment.id))?.status).toBe('paid');
    expect(
      await store.updateRefund({ refund: done, expectedVersion: 1, jobs: [], journal: [], transition }),
    ).toBe(true);
    expect((await store.get(payment.id))?.status).toBe('refunded');
    expect((await store.getRefund(refund.id))?.status).toBe('succeeded');
  });

  it('lists unfinished refunds not updated since a time, least recently updated first', async () => {
    const store = current();
    const payment = await paidPayment(store, '10.00');
    const at = (minutes: number): string => new Date(Date.UTC(2000, 0, 1, 0, minutes)).toISOString();
    const old = sampleRefund(payment, { status: 'pending', updatedAt: at(1) });
    const older = sampleRefund(payment, { updatedAt: at(0) });
    const finished = sampleRefund(payment, { status: 'succeeded', updatedAt: at(0) });
    const recent = sampleRefund(payment, { status: 'pending', updatedAt: at(30) });
    for (const r of [old, older, finished, recent]) await store.createRefund(r, '10.00');
    const due = await store.unsettledRefunds(at(10), 10);
    expect(due.filter((r) => r.paymentId === payment.id).map((r) => r.id)).toEqual([older.id, old.id]);
    expect(await store.unsettledRefunds(at(10), 1)).toHaveLength(1);
  });
}
