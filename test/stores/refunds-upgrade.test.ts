import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_VERSION as PG_VERSION, postgresStore } from '@paymount/postgres';
import { SCHEMA_VERSION as SQLITE_VERSION, sqliteStore } from '@paymount/sqlite';
import { sampleJournalEntry, samplePayment, sampleRefund } from '@paymount/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate as migratePostgres } from '../../packages/postgres/src/migrations.js';
import { REFUNDS_SCHEMA_VERSION as PG_REFUNDS } from '../../packages/postgres/src/refunds.js';
import { migrate as migrateSqlite } from '../../packages/sqlite/src/migrations.js';
import { REFUNDS_SCHEMA_VERSION as SQLITE_REFUNDS } from '../../packages/sqlite/src/refunds.js';
import { adminPool, dropSchema, testPgUrl, uniqueSchema } from './fixtures/store-test-database.js';

// A database as the release before refunds left it (the schema version just before the
// refunds migration, with a paid payment, its hook job and its journal) upgrades in
// place: what it held stays, and the paid payment can be refunded.

const BetterSqlite3 = createRequire(new URL('../../packages/sqlite/package.json', import.meta.url))(
  'better-sqlite3',
) as typeof import('better-sqlite3');

describe('upgrading a database from the schema before refunds', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('SQLite: the file gains refunds and keeps its payments, hook jobs and journal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paymount-upgrade-'));
    dirs.push(dir);
    const path = join(dir, 'payments.sqlite');
    const payment = samplePayment({ status: 'paid', amount: '25.00' });
    const entry = sampleJournalEntry({ paymentId: payment.id });
    const old = new BetterSqlite3(path);
    migrateSqlite(old, SQLITE_REFUNDS - 1);
    old
      .prepare(
        `INSERT INTO paymount_payments (id, order_id, provider, amount, currency, status, metadata, created_at, updated_at, version)
         VALUES (?, ?, ?, ?, ?, 'paid', '{}', ?, ?, 2)`,
      )
      .run(
        payment.id,
        payment.orderId,
        payment.provider,
        payment.amount,
        payment.currency,
        payment.createdAt,
        payment.createdAt,
      );
    old
      .prepare(
        `INSERT INTO paymount_journal (id, payment_id, provider, at, type, data) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(entry.id, entry.paymentId, entry.provider, entry.at, entry.type, JSON.stringify(entry.data));
    old.close();

    const store = sqliteStore({ path });
    try {
      const stored = await store.get(payment.id);
      expect(stored).toMatchObject({ status: 'paid', amount: '25.00', version: 2 });
      expect((await store.listJournal({ paymentId: payment.id, limit: 5 })).entries).toEqual([entry]);
      const refund = sampleRefund(stored!, { amount: '25.00' });
      expect((await store.createRefund(refund, '25.00')).created).toBe(true);
      expect(await store.listRefunds(payment.id)).toEqual([refund]);
      const versions = store.database
        .prepare('SELECT version FROM paymount_migrations ORDER BY version')
        .all();
      // Up to this build's version: the refunds migration and every one after it.
      expect(versions.at(-1)).toEqual({ version: SQLITE_VERSION });
    } finally {
      await store.close();
    }
  });

  it('PostgreSQL: the schema gains refunds and keeps its payments and journal', async () => {
    const admin = adminPool();
    const schema = uniqueSchema('upgrade_refunds');
    const client = await admin.connect();
    try {
      await migratePostgres(client, schema, `"${schema}"`, PG_REFUNDS - 1);
    } finally {
      client.release();
    }
    const payment = samplePayment({ status: 'paid', amount: '25.00' });
    const entry = sampleJournalEntry({ paymentId: payment.id });
    await admin.query(
      `INSERT INTO "${schema}".payments (id, order_id, provider, amount, currency, status, metadata, created_at, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, 'paid', '{}', $6, $6, 2)`,
      [payment.id, payment.orderId, payment.provider, payment.amount, payment.currency, payment.createdAt],
    );
    await admin.query(
      `INSERT INTO "${schema}".journal (id, payment_id, provider, at, type, data) VALUES ($1, $2, $3, $4, $5, $6)`,
      [entry.id, entry.paymentId, entry.provider, entry.at, entry.type, JSON.stringify(entry.data)],
    );
    const store = postgresStore({ connectionString: testPgUrl(), schema });
    try {
      await store.ready();
      const stored = await store.get(payment.id);
      expect(stored).toMatchObject({ status: 'paid', amount: '25.00', version: 2 });
      expect((await store.listJournal({ paymentId: payment.id, limit: 5 })).entries).toEqual([entry]);
      const refund = sampleRefund(stored!, { amount: '25.00' });
      expect((await store.createRefund(refund, '25.00')).created).toBe(true);
      expect(await store.listRefunds(payment.id)).toEqual([refund]);
      const versions = await admin.query(`SELECT version FROM "${schema}".migrations ORDER BY version`);
      expect(versions.rows.at(-1)).toEqual({ version: PG_VERSION });
    } finally {
      await store.close();
      await dropSchema(admin, schema);
      await admin.end();
    }
  });
});
