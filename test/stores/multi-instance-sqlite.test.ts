import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteStore } from '@paymount/sqlite';
import { afterAll, expect, it } from 'vitest';
import { runDuplicateCallbacks } from './fixtures/store-multi-instance-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'paymount-multi-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('two processes on one SQLite file call onPaid exactly once per payment for 200 duplicate callbacks', async () => {
  const path = join(dir, 'shop.db');
  const outcome = await runDuplicateCallbacks({
    storeEnv: { PAYMOUNT_FIXTURE_STORE: 'sqlite', PAYMOUNT_FIXTURE_SQLITE_PATH: path },
    recordFile: join(dir, 'on-paid.log'),
    payments: 10,
    perPayment: 20,
  });
  const byInstance = outcome.onPaidCalls.map((call) => call.instance).join('');
  console.log(
    `sqlite: 200 callbacks over two processes handled in ${outcome.elapsedMs} ms; onPaid ran on ${byInstance}`,
  );

  expect(outcome.callbackStatuses).toHaveLength(200);
  expect(outcome.callbackStatuses.every((status) => status >= 200 && status < 300)).toBe(true);
  expect(outcome.onPaidCalls.map((call) => call.paymentId).sort()).toEqual([...outcome.paymentIds].sort());

  const store = sqliteStore({ path });
  try {
    for (const id of outcome.paymentIds) expect((await store.get(id))?.status).toBe('paid');
    const jobs = await store.listHookJobs();
    expect(jobs.map((job) => [job.hook, job.state, job.attempts])).toEqual(
      outcome.paymentIds.map(() => ['onPaid', 'done', 1]),
    );
  } finally {
    await store.close();
  }
});
