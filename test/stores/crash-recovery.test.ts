import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPayments, type PaymentStore } from '@paymount/core';
import { testProvider } from '@paymount/core/testing';
import { postgresStore } from '@paymount/postgres';
import { sqliteStore } from '@paymount/sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { startFixture } from './fixtures/store-child-process.js';
import type { FixtureStoreEnv } from './fixtures/store-fixture-store.js';
import { adminPool, dropSchema, testPgUrl, uniqueSchema } from './fixtures/store-test-database.js';

interface DurableStore {
  /** Environment that makes the crash fixture open this store. */
  env: FixtureStoreEnv;
  /** Opens the same store again in this process: the restart. */
  open(): PaymentStore;
}

const dir = mkdtempSync(join(tmpdir(), 'paymount-crash-'));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
const sqlite = (): DurableStore => {
  const path = join(dir, `shop-${++files}.db`);
  return {
    env: { PAYMOUNT_FIXTURE_STORE: 'sqlite', PAYMOUNT_FIXTURE_SQLITE_PATH: path },
    open: () => sqliteStore({ path }),
  };
};

let admin: ReturnType<typeof adminPool> | undefined;
const postgres = (): DurableStore => {
  const url = testPgUrl();
  if (!admin) {
    const pool = adminPool();
    admin = pool;
    cleanups.push(() => pool.end());
  }
  const schema = uniqueSchema('crash');
  const pool = admin;
  cleanups.unshift(() => dropSchema(pool, schema));
  return {
    env: {
      PAYMOUNT_FIXTURE_STORE: 'postgres',
      PAYMOUNT_TEST_PG_URL: url,
      PAYMOUNT_FIXTURE_PG_SCHEMA: schema,
    },
    open: () => postgresStore({ connectionString: url, schema, max: 4 }),
  };
};

/** The restarted shop: counts onPaid calls; `clock.offsetMs` moves its time forward. */
function restartedShop(store: PaymentStore, options: { pollIntervalMs?: number } = {}) {
  const calls: { paymentId: string; attempt: number; key: string }[] = [];
  const clock = { offsetMs: 0 };
  let onFirstCall: () => void = () => {};
  const firstCall = new Promise<void>((resolve) => {
    onFirstCall = resolve;
  });
  const payments = createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: 'crash-fixture-secret-0123456789abcdefgh',
    store,
    providers: { test: testProvider() },
    loadOrder: async () => ({ amount: '10.00', currency: 'USD' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hooks: {
      onPaid: (payment, ctx) => {
        calls.push({ paymentId: payment.id, attempt: ctx.attempt, key: ctx.idempotencyKey });
        onFirstCall();
      },
    },
    hookDelivery: { pollIntervalMs: options.pollIntervalMs ?? 1_000 },
    now: () => new Date(Date.now() + clock.offsetMs),
  });
  return { payments, calls, clock, firstCall };
}

describe.each([
  ['SQLite', sqlite],
  ['PostgreSQL', postgres],
])('crash recovery on %s', (_name, makeStore) => {
  it('runs onPaid exactly once after the process died between the paid transition and its hook', async () => {
    const durable = makeStore();
    const child = startFixture('store-crash-child.ts', {
      ...durable.env,
      PAYMOUNT_FIXTURE_CRASH: 'after-transition',
    });
    const line = await child.waitForLine((l) => l.startsWith('paid '), 'the paid transition');
    const paymentId = line.slice('paid '.length);
    child.child.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');

    // The restart: a new engine on the same store picks the outbox up by itself at start.
    const store = durable.open();
    const shop = restartedShop(store);
    try {
      expect((await shop.payments.get(paymentId))?.status).toBe('paid');
      await shop.firstCall;
      await shop.payments.close(); // waits for the delivery round to record its success
      expect(shop.calls).toEqual([{ paymentId, attempt: 1, key: `${paymentId}:paid:onPaid` }]);
      const jobs = await store.listHookJobs({ paymentId });
      expect(jobs.map((job) => [job.hook, job.state])).toEqual([['onPaid', 'done']]);

      // Restarting once more owes nothing.
      const again = restartedShop(store, { pollIntervalMs: 0 });
      expect(await again.payments.deliverHooks()).toEqual({ delivered: 0, retried: 0, dead: 0 });
      expect(again.calls).toEqual([]);
      await again.payments.close();
    } finally {
      await shop.payments.close();
      await store.close();
    }
  });

  it('takes over a hook whose process died inside it, once the lease runs out, and runs it once', async () => {
    const durable = makeStore();
    const child = startFixture('store-crash-child.ts', { ...durable.env, PAYMOUNT_FIXTURE_CRASH: 'in-hook' });
    const ended = await child.exited;
    expect(ended.signal).toBe('SIGKILL');
    const paymentId = child.lines.find((l) => l.startsWith('paid '))?.slice('paid '.length);
    expect(paymentId).toBeDefined();

    const store = durable.open();
    const shop = restartedShop(store, { pollIntervalMs: 0 });
    try {
      // While the dead process's lease lasts, nobody else runs its hook: it might still be running.
      expect(await shop.payments.deliverHooks()).toEqual({ delivered: 0, retried: 0, dead: 0 });
      expect(shop.calls).toEqual([]);
      // The child's lease was its hook timeout (1 s) plus a minute; two minutes on, it has run out.
      shop.clock.offsetMs = 2 * 60_000;
      expect(await shop.payments.deliverHooks()).toEqual({ delivered: 1, retried: 0, dead: 0 });
      expect(await shop.payments.deliverHooks()).toEqual({ delivered: 0, retried: 0, dead: 0 });
      expect(shop.calls.map((call) => call.paymentId)).toEqual([paymentId]);
      const jobs = await store.listHookJobs({ paymentId: paymentId! });
      expect(jobs.map((job) => [job.hook, job.state])).toEqual([['onPaid', 'done']]);
    } finally {
      await shop.payments.close();
      await store.close();
    }
  });
});
