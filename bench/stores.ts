// Transitions per second of each store: pending → paid with one outbox row, the engine's hot write.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryStore, type PaymentStore } from '@paymount/core';
import pg from 'pg';
import { type Floors, postgresFloors, sqliteFloors } from './floors.js';
import { benchPaymentId, pendingPayment } from './servers/aaio-fixture.js';

// --quick (from `npm run bench -- --quick`): half as many, for a run under three minutes.
const TRANSITIONS = process.argv.includes('--quick') ? 1_000 : 2_000;
const CONCURRENCY = 16;

async function measure(store: PaymentStore): Promise<{ sequential: number; concurrent: number }> {
  for (let i = 0; i < TRANSITIONS * 2; i += 100) {
    await Promise.all(
      Array.from({ length: 100 }, (_, k) =>
        store.createOrReuse(pendingPayment(i + k), Date.now() + 86_400_000),
      ),
    );
  }
  const pay = async (i: number): Promise<void> => {
    const current = (await store.get(benchPaymentId(i)))!;
    const next = {
      ...current,
      status: 'paid' as const,
      paidAt: new Date().toISOString(),
      version: current.version + 1,
    };
    const job = {
      id: `${next.id}:paid:onPaid`,
      paymentId: next.id,
      hook: 'onPaid' as const,
      from: current.status,
      to: next.status,
      payment: next,
      state: 'pending' as const,
      attempts: 0,
      nextAttemptAt: Date.now(),
      lastError: null,
      createdAt: Date.now(),
    };
    if (!(await store.transition({ payment: next, expectedVersion: current.version, jobs: [job] }))) {
      throw new Error('transition lost');
    }
  };
  let started = performance.now();
  for (let i = 0; i < TRANSITIONS; i++) await pay(i);
  const sequential = Math.round(TRANSITIONS / ((performance.now() - started) / 1000));
  started = performance.now();
  let next = TRANSITIONS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TRANSITIONS * 2) await pay(next++);
    }),
  );
  const concurrent = Math.round(TRANSITIONS / ((performance.now() - started) / 1000));
  await store.close();
  return { sequential, concurrent };
}

const stores: Record<string, { sequential: number; concurrent: number }> = {};
const floors: Record<string, Floors> = {};
stores['memory'] = await measure(memoryStore());
const dir = mkdtempSync(join(tmpdir(), 'paymount-bench-'));
try {
  const { sqliteStore } = await import('@paymount/sqlite');
  stores['sqlite'] = await measure(sqliteStore({ path: join(dir, 'bench.sqlite') }));
  floors['sqlite'] = await sqliteFloors(TRANSITIONS);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const pgUrl = process.env.PAYMOUNT_TEST_PG_URL;
if (pgUrl) {
  const { postgresStore } = await import('@paymount/postgres');
  const schema = `bench_stores_${Date.now().toString(36)}`;
  stores['postgres'] = await measure(postgresStore({ connectionString: pgUrl, schema }));
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  await client.query(`DROP SCHEMA ${schema} CASCADE`);
  await client.end();
  floors['postgres'] = await postgresFloors(pgUrl, TRANSITIONS, CONCURRENCY);
}
process.stdout.write(`${JSON.stringify({ transitions: TRANSITIONS, stores, floors })}\n`);
