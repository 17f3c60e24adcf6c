import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_VERSION as PG_VERSION, postgresStore } from '@paymount/postgres';
import { SCHEMA_VERSION as SQLITE_VERSION, sqliteStore } from '@paymount/sqlite';
import { sampleJournalEntry, samplePayment } from '@paymount/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate as migratePostgres } from '../../packages/postgres/src/migrations.js';
import { migrate as migrateSqlite } from '../../packages/sqlite/src/migrations.js';
import { adminPool, dropSchema, testPgUrl, uniqueSchema } from './fixtures/store-test-database.js';

// A database made by the release before the journal (schema version 2) upgrades in
// place: its payments stay readable and the journal works on it.

const RELEASED_VERSION = 2;
// The driver @paymount/sqlite itself uses, to build the old file by hand.
const BetterSqlite3 = createRequire(new URL('../../packages/sqlite/package.json', import.meta.url))(
  'better-sqlite3',
) as typeof import('better-sqlite3');

describe('upgrading a database from the schema before the journal', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('SQLite: a version-2 file gains the journal and keeps its payments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paymount-upgrade-'));
    dirs.push(dir);
    const path = join(dir, 'payments.sqlite');
    const payment = samplePayment();
    const old = new BetterSqlite3(path);
    migrateSqlite(old, RELEASED_VERSION);
    old
      .prepare(
        `INSERT INTO paymount_payments (id, order_id, provider, amount, currency, status, metadata, created_at, updated_at, version)
         VALUES (?, ?, ?, ?, ?, 'created', '{}', ?, ?, 1)`,
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
    old.close();

    const store = sqliteStore({ path });
    try {
      expect((await store.get(payment.id))?.amount).toBe(payment.amount);
      const entry = sampleJournalEntry({ paymentId: payment.id });
      await store.appendJournal([entry]);
      expect((await store.listJournal({ paymentId: payment.id, limit: 5 })).entries).toEqual([entry]);
      const versions = store.database
        .prepare('SELECT version FROM paymount_migrations ORDER BY version')
        .all();
      // Every later migration too (4: the hook-count indexes).
      expect(versions).toEqual(Array.from({ length: SQLITE_VERSION }, (_, i) => ({ version: i + 1 })));
    } finally {
      await store.close();
    }
  });

  it('PostgreSQL: a version-2 schema gains the journal and keeps its payments', async () => {
    const admin = adminPool();
    const schema = uniqueSchema('upgrade');
    const client = await admin.connect();
    try {
      await migratePostgres(client, schema, `"${schema}"`, RELEASED_VERSION);
    } finally {
      client.release();
    }
    const payment = samplePayment();
    await admin.query(
      `INSERT INTO "${schema}".payments (id, order_id, provider, amount, currency, status, metadata, created_at, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, 'created', '{}', $6, $6, 1)`,
      [payment.id, payment.orderId, payment.provider, payment.amount, payment.currency, payment.createdAt],
    );
    const store = postgresStore({ connectionString: testPgUrl(), schema });
    try {
      await store.ready();
      expect((await store.get(payment.id))?.amount).toBe(payment.amount);
      const entry = sampleJournalEntry({ paymentId: payment.id });
      await store.appendJournal([entry]);
      expect((await store.listJournal({ paymentId: payment.id, limit: 5 })).entries).toEqual([entry]);
      const versions = await admin.query(`SELECT version FROM "${schema}".migrations ORDER BY version`);
      expect(versions.rows).toEqual(Array.from({ length: PG_VERSION }, (_, i) => ({ version: i + 1 })));
    } finally {
      await store.close();
      await dropSchema(admin, schema);
      await admin.end();
    }
  });
});
