import { isPaymentsError, type Payment, type PaymentStore } from '@paymount/core/store';
import { expect, it } from 'vitest';
import { sampleHookJob, samplePayment } from './store-samples.js';

/** Writes `changes` over the stored `p` (version + 1); the store's answer. */
function write(
  store: PaymentStore,
  p: Payment,
  changes: Partial<Payment>,
  extra: { nextCheckAt?: number | null } = {},
): Promise<boolean> {
  const next: Payment = { ...p, ...changes, version: p.version + 1 };
  return store.transition({ payment: next, expectedVersion: p.version, jobs: [], ...extra });
}

/** Two live payments of one order, through two providers (as from two tabs). */
async function twoPaymentsOfOneOrder(store: PaymentStore): Promise<[Payment, Payment]> {
  const first = samplePayment({ provider: 'one' });
  const second = samplePayment({ orderId: first.orderId, provider: 'two' });
  await store.createOrReuse(first, 0);
  await store.createOrReuse(second, 0);
  return [first, second];
}

const refusedAsTaken = (error: unknown): boolean =>
  isPaymentsError(error) && error.code === 'provider_ref_taken' && error.status === 409;

/**
 * The two rules a store keeps inside its transition (see `PaymentStore`): one provider
 * order binds to one payment, and an order has at most one paid payment.
 */
export function storeRuleCases(current: () => PaymentStore): void {
  it('binds a provider reference to the first payment written with it, and refuses it to any other', async () => {
    const store = current();
    const owner = samplePayment();
    const other = samplePayment();
    await store.createOrReuse(owner, 0);
    await store.createOrReuse(other, 0);
    expect(await store.findByProviderRef('test', 'ORDER-1')).toBeNull();
    expect(await write(store, owner, { status: 'pending', providerRef: 'ORDER-1' })).toBe(true);
    expect((await store.findByProviderRef('test', 'ORDER-1'))?.id).toBe(owner.id);

    const error = await write(store, other, { status: 'paid', providerRef: 'ORDER-1' }).catch((e) => e);
    expect(refusedAsTaken(error)).toBe(true);
    expect((error as { details?: unknown }).details).toMatchObject({
      paymentId: other.id,
      boundTo: owner.id,
    });
    expect(await store.get(other.id)).toEqual(other);
    expect(await store.listHookJobs({ paymentId: other.id })).toEqual([]);

    // The owner writes it again freely; the same reference at another provider is another order.
    const pending = (await store.get(owner.id))!;
    expect(await write(store, pending, { status: 'paid' })).toBe(true);
    const elsewhere = samplePayment({ provider: 'elsewhere' });
    await store.createOrReuse(elsewhere, 0);
    expect(await write(store, elsewhere, { providerRef: 'ORDER-1' })).toBe(true);
    expect((await store.findByProviderRef('elsewhere', 'ORDER-1'))?.id).toBe(elsewhere.id);
  });

  it('lets exactly one of 20 payments racing for one provider reference have it', async () => {
    const store = current();
    const racers = Array.from({ length: 20 }, () => samplePayment());
    for (const p of racers) await store.createOrReuse(p, 0);
    const results = await Promise.allSettled(
      racers.map((p) => write(store, p, { status: 'paid', providerRef: 'RACE-1' })),
    );
    const won = results.filter((r) => r.status === 'fulfilled' && r.value === true);
    const refused = results.filter((r) => r.status === 'rejected' && refusedAsTaken(r.reason));
    expect([won.length, refused.length]).toEqual([1, 19]);
    const holder = await store.findByProviderRef('test', 'RACE-1');
    expect(holder?.status).toBe('paid');
    const stored = await Promise.all(racers.map((p) => store.get(p.id)));
    expect(stored.filter((p) => p?.providerRef === 'RACE-1').map((p) => p?.id)).toEqual([holder?.id]);
  });

  it('keeps one paid payment per order: a second is not stored, but may become an anomaly', async () => {
    const store = current();
    const [first, second] = await twoPaymentsOfOneOrder(store);
    expect(await write(store, first, { status: 'paid' })).toBe(true);
    expect(await write(store, second, { status: 'paid' })).toBe(false);
    expect(await store.get(second.id)).toEqual(second);
    expect(await write(store, second, { status: 'anomaly', anomaly: 'paid_twice' })).toBe(true);
    // A refund frees the order: a later payment of it may be paid.
    const paid = (await store.get(first.id))!;
    expect(await write(store, paid, { status: 'refunded' })).toBe(true);
    const third = samplePayment({ orderId: first.orderId, provider: 'three' });
    await store.createOrReuse(third, 0);
    expect(await write(store, third, { status: 'paid' })).toBe(true);
  });

  it('stores exactly one of 100 concurrent paid writes split over two payments of one order', async () => {
    const store = current();
    const [first, second] = await twoPaymentsOfOneOrder(store);
    const attempts = Array.from({ length: 100 }, (_, i) => {
      const p = i % 2 === 0 ? first : second;
      const next: Payment = { ...p, status: 'paid', providerStatus: `attempt-${i}`, version: 2 };
      return store.transition({ payment: next, expectedVersion: 1, jobs: [sampleHookJob(next, 'onPaid')] });
    });
    const results = await Promise.all(attempts);
    expect(results.filter(Boolean)).toHaveLength(1);
    const stored = await store.findByOrder(first.orderId);
    expect(stored.filter((p) => p.status === 'paid')).toHaveLength(1);
    const jobs = [
      ...(await store.listHookJobs({ paymentId: first.id })),
      ...(await store.listHookJobs({ paymentId: second.id })),
    ];
    expect(jobs).toHaveLength(1);
  });
}

/** The reconciler's queue beyond live payments: the slower looks at expired and anomalous ones. */
export function checkQueueCases(current: () => PaymentStore): void {
  it('queues an expired or anomalous payment when the write says so, and never a paid one', async () => {
    const store = current();
    const now = Date.now();
    const [expired, anomaly, paid, quiet] = Array.from({ length: 4 }, () => samplePayment());
    for (const p of [expired, anomaly, paid, quiet]) await store.createOrReuse(p!, now - 1);
    await write(store, expired!, { status: 'expired' }, { nextCheckAt: now + 1_000 });
    await write(store, anomaly!, { status: 'anomaly', anomaly: 'underpaid' }, { nextCheckAt: now + 2_000 });
    await write(store, paid!, { status: 'paid' }, { nextCheckAt: now + 1_000 });
    // Without nextCheckAt a payment that is not live leaves the queue, as before.
    await write(store, quiet!, { status: 'expired' });
    expect(await store.claimDueChecks({ now, limit: 10, leaseMs: 1_000, owner: 'a' })).toEqual([]);
    const due = await store.claimDueChecks({ now: now + 5_000, limit: 10, leaseMs: 1_000, owner: 'a' });
    expect(due.map((p) => p.id).sort()).toEqual([expired!.id, anomaly!.id].sort());
    await store.scheduleCheck(expired!.id, now + 10_000, 'a');
    await store.scheduleCheck(anomaly!.id, null, 'a');
    const later = await store.claimDueChecks({ now: now + 60_000, limit: 10, leaseMs: 1_000, owner: 'b' });
    expect(later.map((p) => p.id)).toEqual([expired!.id]);
    // A payment that became paid meanwhile is dropped from the queue by the next schedule.
    const current_ = (await store.get(expired!.id))!;
    await write(store, current_, { status: 'paid' });
    await store.scheduleCheck(expired!.id, now + 70_000, 'b');
    expect(await store.claimDueChecks({ now: now + 10 ** 8, limit: 10, leaseMs: 1, owner: 'c' })).toEqual([]);
  });

  it('makes every live payment due now with checkAllLiveAt, and nothing else', async () => {
    const store = current();
    const now = Date.now();
    const soon = samplePayment();
    const later = samplePayment();
    const finished = samplePayment();
    await store.createOrReuse(soon, now - 10);
    await store.createOrReuse(later, now + 3_600_000);
    await store.createOrReuse(finished, now + 3_600_000);
    await write(store, finished, { status: 'expired' }, { nextCheckAt: now + 3_600_000 });
    expect(await store.checkAllLiveAt(now)).toBe(1);
    const due = await store.claimDueChecks({ now, limit: 10, leaseMs: 1_000, owner: 'a' });
    expect(due.map((p) => p.id).sort()).toEqual([soon.id, later.id].sort());
  });
}
