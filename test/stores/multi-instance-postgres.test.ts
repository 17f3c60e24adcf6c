import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_VERSION } from '@paymount/postgres';
import { afterAll, expect, it } from 'vitest';
import { runDuplicateCallbacks } from './fixtures/store-multi-instance-scenario.js';
import { adminPool, dropSchema, testPgUrl, uniqueSchema } from './fixtures/store-test-database.js';

const url = testPgUrl();
const admin = adminPool();
const schema = uniqueSchema('multi_instance');
const dir = mkdtempSync(join(tmpdir(), 'paymount-multi-pg-'));
afterAll(async () => {
  await dropSchema(admin, schema);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
});

it('two instances on one PostgreSQL database call onPaid exactly once per payment for 200 duplicate callbacks', async () => {
  const outcome = await runDuplicateCallbacks({
    storeEnv: {
      PAYMOUNT_FIXTURE_STORE: 'postgres',
      PAYMOUNT_TEST_PG_URL: url,
      PAYMOUNT_FIXTURE_PG_SCHEMA: schema,
    },
    recordFile: join(dir, 'on-paid.log'),
    payments: 10,
    perPayment: 20,
  });
  const byInstance = outcome.onPaidCalls.map((call) => call.instance).join('');
  console.log(
    `postgres: 200 callbacks over two instances handled in ${outcome.elapsedMs} ms; onPaid ran on ${byInstance}`,
  );

  expect(outcome.callbackStatuses).toHaveLength(200);
  expect(outcome.callbackStatuses.every((status) => status >= 200 && status < 300)).toBe(true);
  expect(outcome.sentTo).toEqual({ a: 100, b: 100 });
  expect(outcome.onPaidCalls.map((call) => call.paymentId).sort()).toEqual([...outcome.paymentIds].sort());

  // The database agrees: every payment paid, its one onPaid job done; both instances migrated one schema once.
  const payments = await admin.query(
    `SELECT status, count(*)::int AS n FROM "${schema}".payments GROUP BY status`,
  );
  expect(payments.rows).toEqual([{ status: 'paid', n: 10 }]);
  const jobs = await admin.query(`SELECT hook, state, attempts FROM "${schema}".hook_jobs`);
  expect(jobs.rows).toHaveLength(10);
  expect(jobs.rows.every((job) => job.hook === 'onPaid' && job.state === 'done' && job.attempts === 1)).toBe(
    true,
  );
  const migrations = await admin.query(`SELECT version FROM "${schema}".migrations ORDER BY version`);
  expect(migrations.rows).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })));
});
