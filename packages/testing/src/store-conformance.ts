import { createPayments } from '@paymount/core';
import { newPaymentId, type Payment, type PaymentStore } from '@paymount/core/store';
import { testProvider } from '@paymount/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journalConformance } from './journal-conformance.js';
import { refundCases } from './refund-conformance.js';
import { engineRuleCases } from './store-conformance-engine.js';
import { listingCases } from './store-conformance-listing.js';
import { checkQueueCases, storeRuleCases } from './store-conformance-rules.js';
import { unboundCases } from './store-conformance-unbound.js';
import { sampleHookJob, samplePayment } from './store-samples.js';

export { sampleHookJob, samplePayment } from './store-samples.js';

/** How a store under test is made: a fresh, empty store, and how to throw it away. */
export interface StoreFactory {
  make(): Promise<PaymentStore>;
  /** Drops whatever `make` created (files, schemas). */
  destroy?(store: PaymentStore): Promise<void>;
}

/**
 * The behaviour every PaymentStore must have. Run it against a new store with
 * `storeConformance('my store', { make: () => myStore() })`.
 */
export function storeConformance(name: string, factory: StoreFactory): void {
  describe(`store conformance: ${name}`, () => {
    let store: PaymentStore;

    beforeEach(async () => {
      store = await factory.make();
    });

    afterEach(async () => {
      await factory.destroy?.(store);
      await store.close();
    });

    journalConformance(() => store);

    it('stores a payment and reads it back unchanged, including metadata', async () => {
      const p = samplePayment();
      const { created, payment: stored } = await store.createOrReuse(p, Date.now() + 60_000);
      expect(created).toBe(true);
      expect(stored).toEqual(p);
      expect(await store.get(p.id)).toEqual(p);
      expect(await store.get(newPaymentId())).toBeNull();
    });

    it('reuses the live payment of an order and provider instead of creating a second one', async () => {
      const first = samplePayment();
      await store.createOrReuse(first, 0);
      const second = samplePayment({ orderId: first.orderId });
      const result = await store.createOrReuse(second, 0);
      expect(result.created).toBe(false);
      expect(result.payment.id).toBe(first.id);
      const other = await store.createOrReuse(
        samplePayment({ orderId: first.orderId, provider: 'other' }),
        0,
      );
      expect(other.created).toBe(true);
      expect((await store.findByOrder(first.orderId)).map((p) => p.id)).toEqual([first.id, other.payment.id]);
    });

    it('creates a new payment for an order whose earlier payment is no longer live', async () => {
      const first = samplePayment();
      await store.createOrReuse(first, 0);
      const expired: Payment = { ...first, status: 'expired', version: 2 };
      expect(await store.transition({ payment: expired, expectedVersion: 1, jobs: [] })).toBe(true);
      const again = await store.createOrReuse(samplePayment({ orderId: first.orderId }), 0);
      expect(again.created).toBe(true);
    });

    it('keeps one live payment when checkouts of one order race', async () => {
      const orderId = `race-${Date.now()}`;
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.createOrReuse(samplePayment({ orderId }), 0)),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.payment.id)).size).toBe(1);
      expect(await store.findByOrder(orderId)).toHaveLength(1);
    });

    it('transitions by compare-and-set on version and writes hook jobs in the same step', async () => {
      const p = samplePayment();
      await store.createOrReuse(p, 0);
      const paid: Payment = { ...p, status: 'paid', paidAt: new Date().toISOString(), version: 2 };
      expect(
        await store.transition({ payment: paid, expectedVersion: 1, jobs: [sampleHookJob(paid, 'onPaid')] }),
      ).toBe(true);
      expect(await store.get(p.id)).toEqual(paid);
      const stale: Payment = { ...p, status: 'expired', version: 2 };
      expect(
        await store.transition({
          payment: stale,
          expectedVersion: 1,
          jobs: [sampleHookJob(stale, 'onExpired')],
        }),
      ).toBe(false);
      expect((await store.get(p.id))?.status).toBe('paid');
      const jobs = await store.listHookJobs({ paymentId: p.id });
      expect(jobs.map((j) => j.hook)).toEqual(['onPaid']);
      expect(jobs[0]?.payment).toEqual(paid);
    });

    it('lets exactly one of 100 concurrent transitions of one payment win', async () => {
      const p = samplePayment();
      await store.createOrReuse(p, 0);
      const attempts = Array.from({ length: 100 }, (_, i) => {
        const next: Payment = { ...p, status: 'paid', providerStatus: `attempt-${i}`, version: 2 };
        return store.transition({ payment: next, expectedVersion: 1, jobs: [sampleHookJob(next, 'onPaid')] });
      });
      const results = await Promise.all(attempts);
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect((await store.get(p.id))?.providerStatus).toBe(`attempt-${winner}`);
      expect(await store.listHookJobs({ paymentId: p.id })).toHaveLength(1);
    });

    it('remembers handled callbacks once', async () => {
      const p = samplePayment();
      await store.createOrReuse(p, 0);
      expect(await store.hasEvent('aaio:abc')).toBe(false);
      expect(await store.rememberEvent('aaio:abc', p.id)).toBe(true);
      expect(await store.rememberEvent('aaio:abc', p.id)).toBe(false);
      expect(await store.hasEvent('aaio:abc')).toBe(true);
      const concurrent = await Promise.all(
        Array.from({ length: 10 }, () => store.rememberEvent('aaio:xyz', p.id)),
      );
      expect(concurrent.filter(Boolean)).toHaveLength(1);
    });

    it('remembers a handled callback with the transition that carries it, only when it is stored', async () => {
      const p = samplePayment();
      await store.createOrReuse(p, 0);
      const paid: Payment = { ...p, status: 'paid', version: p.version + 1 };
      const stale = { payment: paid, expectedVersion: p.version + 5, jobs: [], rememberEvent: 'aaio:stale' };
      expect(await store.transition(stale)).toBe(false);
      expect(await store.hasEvent('aaio:stale')).toBe(false);
      const write = { payment: paid, expectedVersion: p.version, jobs: [], rememberEvent: 'aaio:paid' };
      expect(await store.transition(write)).toBe(true);
      expect(await store.hasEvent('aaio:paid')).toBe(true);
      // Remembered once: a later rememberEvent of the same key finds it there.
      expect(await store.rememberEvent('aaio:paid', p.id)).toBe(false);
    });

    it('claims due hook jobs under a lease, so two owners never hold the same job', async () => {
      const p = samplePayment({ status: 'paid', version: 2 });
      await store.createOrReuse({ ...p, status: 'created', version: 1 }, 0);
      await store.transition({
        payment: p,
        expectedVersion: 1,
        jobs: [
          sampleHookJob(p, 'onPaid'),
          sampleHookJob(p, 'onStatusChange'),
          sampleHookJob(p, 'onAnomaly', { nextAttemptAt: Date.now() + 60_000 }),
        ],
      });
      const now = Date.now();
      const [a, b] = await Promise.all([
        store.claimHookJobs({ now, limit: 10, leaseMs: 30_000, owner: 'a' }),
        store.claimHookJobs({ now, limit: 10, leaseMs: 30_000, owner: 'b' }),
      ]);
      const claimed = [...a, ...b].map((j) => j.id).sort();
      expect(claimed).toEqual([`${p.id}:paid:onPaid`, `${p.id}:paid:onStatusChange`].sort());
      // After the lease runs out (a crashed owner), another owner takes the job over.
      const later = await store.claimHookJobs({ now: now + 31_000, limit: 10, leaseMs: 30_000, owner: 'c' });
      expect(later.map((j) => j.id).sort()).toEqual(claimed);
      // The old owner's late completion is ignored; the new owner's counts.
      await store.completeHookJob(claimed[0]!, a.length ? 'a' : 'b');
      expect((await store.listHookJobs({ state: 'done' })).length).toBe(0);
      await store.completeHookJob(claimed[0]!, 'c');
      expect((await store.listHookJobs({ state: 'done' })).map((j) => j.id)).toEqual([claimed[0]]);
    });

    it('retries failed hook jobs later and dead-letters them, then replays a dead job', async () => {
      const p = samplePayment({ status: 'paid', version: 2 });
      await store.createOrReuse({ ...p, status: 'created', version: 1 }, 0);
      await store.transition({ payment: p, expectedVersion: 1, jobs: [sampleHookJob(p, 'onPaid')] });
      const now = Date.now();
      const [claimed] = await store.claimHookJobs({ now, limit: 10, leaseMs: 30_000, owner: 'w' });
      await store.failHookJob(claimed!.id, 'w', 'boom', now + 5_000);
      expect(await store.claimHookJobs({ now: now + 1_000, limit: 10, leaseMs: 30_000, owner: 'w' })).toEqual(
        [],
      );
      const [retry] = await store.claimHookJobs({ now: now + 5_000, limit: 10, leaseMs: 30_000, owner: 'w' });
      expect(retry?.attempts).toBe(1);
      expect(retry?.lastError).toBe('boom');
      await store.failHookJob(retry!.id, 'w', 'boom again', null);
      const dead = await store.listHookJobs({ state: 'dead' });
      expect(dead.map((j) => [j.id, j.attempts, j.lastError])).toEqual([[retry!.id, 2, 'boom again']]);
      expect(await store.claimHookJobs({ now: now + 10 ** 9, limit: 10, leaseMs: 1, owner: 'w' })).toEqual(
        [],
      );
      expect(await store.replayHookJob(retry!.id, now + 6_000)).toBe(true);
      expect(await store.replayHookJob(retry!.id, now + 6_000)).toBe(false);
      const [again] = await store.claimHookJobs({ now: now + 6_000, limit: 10, leaseMs: 1, owner: 'w' });
      expect(again?.attempts).toBe(0);
    });

    it('counts pending and dead hook jobs, and when the oldest pending one was written', async () => {
      expect(await store.countHookJobs()).toEqual({ pending: 0, dead: 0, oldestPendingAt: null });
      const p = samplePayment({ status: 'paid', version: 2 });
      await store.createOrReuse({ ...p, status: 'created', version: 1 }, 0);
      const jobs = [
        sampleHookJob(p, 'onPaid', { createdAt: 1_000 }),
        sampleHookJob(p, 'onStatusChange', { createdAt: 2_000 }),
      ];
      await store.transition({ payment: p, expectedVersion: 1, jobs });
      expect(await store.countHookJobs()).toEqual({ pending: 2, dead: 0, oldestPendingAt: 1_000 });
      const now = Date.now();
      const claimed = await store.claimHookJobs({ now, limit: 10, leaseMs: 30_000, owner: 'w' });
      const first = claimed.find((j) => j.hook === 'onPaid')!;
      const second = claimed.find((j) => j.hook === 'onStatusChange')!;
      await store.failHookJob(first.id, 'w', 'boom', null);
      // A done job is counted nowhere.
      await store.completeHookJob(second.id, 'w');
      expect(await store.countHookJobs()).toEqual({ pending: 0, dead: 1, oldestPendingAt: null });
      await store.replayHookJob(first.id, now);
      expect(await store.countHookJobs()).toEqual({ pending: 1, dead: 0, oldestPendingAt: 1_000 });
    });

    it('schedules provider checks for live payments only, leased to one owner at a time', async () => {
      const now = Date.now();
      const due = samplePayment();
      const later = samplePayment();
      const done = samplePayment();
      await store.createOrReuse(due, now - 1);
      await store.createOrReuse(later, now + 60_000);
      await store.createOrReuse(done, now - 1);
      await store.transition({
        payment: { ...done, status: 'paid', version: 2 },
        expectedVersion: 1,
        jobs: [],
      });
      const [a, b] = await Promise.all([
        store.claimDueChecks({ now, limit: 10, leaseMs: 30_000, owner: 'a' }),
        store.claimDueChecks({ now, limit: 10, leaseMs: 30_000, owner: 'b' }),
      ]);
      expect([...a, ...b].map((p) => p.id)).toEqual([due.id]);
      const owner = a.length ? 'a' : 'b';
      await store.scheduleCheck(due.id, now + 10_000, owner);
      expect(await store.claimDueChecks({ now: now + 5_000, limit: 10, leaseMs: 1, owner: 'a' })).toEqual([]);
      const next = await store.claimDueChecks({ now: now + 60_000, limit: 10, leaseMs: 1, owner: 'a' });
      expect(next.map((p) => p.id).sort()).toEqual([due.id, later.id].sort());
    });

    it('runs a whole payment through the engine with exactly one onPaid for 50 duplicate callbacks', async () => {
      const provider = testProvider();
      const paid: string[] = [];
      const payments = createPayments({
        publicUrl: 'https://shop.example/pay',
        secret: 'x'.repeat(32),
        store,
        providers: { test: provider },
        loadOrder: async () => ({ amount: '25.50', currency: 'EUR' }),
        returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
        hooks: { onPaid: (p) => void paid.push(p.id) },
        hookDelivery: { pollIntervalMs: 0 },
      });
      const { payment: p } = await payments.checkout({ orderId: 'conformance-1' });
      await Promise.all(
        Array.from({ length: 50 }, () =>
          payments.applyEvent(p.id, { status: 'paid', amount: '25.5', currency: 'EUR' }).catch(() => null),
        ),
      );
      await payments.deliverHooks();
      await payments.deliverHooks();
      expect(paid).toEqual([p.id]);
      expect((await payments.get(p.id))?.status).toBe('paid');
      await payments.close();
    });

    storeRuleCases(() => store);
    checkQueueCases(() => store);
    engineRuleCases(() => store);
    unboundCases(() => store);
    listingCases(() => store);
    refundCases(() => store);
  });
}
