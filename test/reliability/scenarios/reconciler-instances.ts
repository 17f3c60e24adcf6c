// The background reconciler with several instances on one PostgreSQL database: each
// pending payment is checked by one instance at a time, a payment found paid runs onPaid
// once across all instances, and close() stops the worker for good.
import { createPayments, type Payment, type Payments, type ProviderEvent } from '@paymount/core';
import { testProvider } from '@paymount/core/testing';
import { postgresStore } from '@paymount/postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLogger, SECRETS } from '../support/capture.js';
import { figure } from '../support/figures.js';
import { dropSchema, freshSchema, testPgUrl } from '../support/stores.js';

const INSTANCES = 3;
const PAYMENTS = 12;

/** What the provider "knows", shared by every instance, and how the instances asked about it. */
class ProviderTruth {
  readonly paid = new Set<string>();
  readonly inFlight = new Map<string, number>();
  maxInFlight = 0;
  checks = 0;
  readonly checksBy = new Map<string, number>();
  readonly #waiters: { ready: () => boolean; resolve: () => void }[] = [];

  async check(instance: string, payment: Payment): Promise<ProviderEvent | null> {
    const now = (this.inFlight.get(payment.id) ?? 0) + 1;
    this.inFlight.set(payment.id, now);
    this.maxInFlight = Math.max(this.maxInFlight, now);
    this.checks++;
    this.checksBy.set(instance, (this.checksBy.get(instance) ?? 0) + 1);
    try {
      // A provider round trip: long enough for another instance to try the same payment meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 15));
      return this.paid.has(payment.id) ? { status: 'paid', amount: '10.00', currency: 'USD' } : null;
    } finally {
      this.inFlight.set(payment.id, (this.inFlight.get(payment.id) ?? 1) - 1);
      this.notify();
    }
  }

  /** Resolves once `ready()` holds, re-checked after every provider check and hook call. */
  until(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ ready, resolve }));
  }

  notify(): void {
    for (const waiter of [...this.#waiters]) {
      if (!waiter.ready()) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}

describe('background reconciler on PostgreSQL', () => {
  const schema = freshSchema();
  const stores = Array.from({ length: INSTANCES }, () =>
    postgresStore({ connectionString: testPgUrl(), schema, max: 4 }),
  );
  afterAll(async () => {
    for (const store of stores) await store.close();
    await dropSchema(schema);
  });

  it(`${INSTANCES} instances check each pending payment one at a time, pay it once, and stop on close()`, async () => {
    await stores[0]!.ready();
    await Promise.all(stores.map((s) => s.ready()));
    const truth = new ProviderTruth();
    const onPaid: string[] = [];
    const instances: Payments[] = stores.map((store, i) => {
      const name = `instance-${i}`;
      const provider = testProvider();
      return createPayments({
        publicUrl: 'https://shop.example/pay',
        secret: SECRETS.paymount,
        store,
        providers: { test: { ...provider, fetchStatus: (payment) => truth.check(name, payment) } },
        loadOrder: async () => ({ amount: '10.00', currency: 'USD' }),
        returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
        hooks: {
          onPaid: (payment) => {
            onPaid.push(payment.id);
            truth.notify();
          },
        },
        hookDelivery: { pollIntervalMs: 30 },
        reconcile: { intervalMs: 20, firstCheckAfterMs: 0, maxBackoffMs: 40, batchSize: 4 },
        instanceId: name,
        logger: captureLogger(),
      });
    });
    const ids: string[] = [];
    for (let i = 0; i < PAYMENTS; i++) {
      const { payment } = await instances[i % INSTANCES]!.checkout({ orderId: `REC-${i}` });
      ids.push(payment.id);
    }
    // Let the instances race over the pending payments for a while, then the money arrives.
    await truth.until(() => truth.checks >= PAYMENTS * 6);
    for (const id of ids) truth.paid.add(id);
    await truth.until(() => new Set(onPaid).size === PAYMENTS);
    await Promise.all(instances.map((p) => p.close()));
    const atClose = truth.checks;
    const inFlightAtClose = [...truth.inFlight.values()].reduce((a, b) => a + b, 0);
    // Nothing can announce that nothing happens: give the stopped workers many intervals to misbehave.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const statuses = await Promise.all(ids.map((id) => stores[0]!.get(id)));
    const jobs = await stores[0]!.listHookJobs();
    const byInstance = [...truth.checksBy.entries()].map(([k, v]) => `${k.slice(-1)}:${v}`).join(' ');
    await figure(
      {
        area: 'reconciler',
        scenario: `${INSTANCES} instances on PostgreSQL, ${PAYMENTS} pending payments`,
        sent: truth.checks,
        result: `checks=${atClose} (${byInstance}) maxConcurrentPerPayment=${truth.maxInFlight} onPaid=${onPaid.length} afterClose=${truth.checks - atClose}`,
      },
      () => {
        expect(truth.maxInFlight).toBe(1);
        expect(truth.checksBy.size).toBeGreaterThanOrEqual(2);
        expect(onPaid.sort()).toEqual([...ids].sort());
        expect(statuses.every((p) => p?.status === 'paid')).toBe(true);
        expect(jobs.map((j) => j.state)).toEqual(Array(PAYMENTS).fill('done'));
        expect(inFlightAtClose).toBe(0);
        expect(truth.checks).toBe(atClose);
      },
    );
  });
});
