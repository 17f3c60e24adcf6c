import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newPaymentId, type Payment, PaymentsError } from '@paymount/core/store';
import { SCHEMA_VERSION, sqliteStore } from '@paymount/sqlite';
import { sampleHookJob, samplePayment, storeConformance } from '@paymount/testing';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'paymount-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const newFile = (): string => join(dir, `store-${++files}.db`);

storeConformance('sqlite (file)', { make: async () => sqliteStore({ path: newFile() }) });
storeConformance('sqlite (:memory:)', { make: async () => sqliteStore({ path: ':memory:' }) });

// The suite's sample payment, with an amount that stresses this store's column types.
const payment = (overrides: Partial<Payment> = {}): Payment =>
  samplePayment({
    orderId: 'order-7',
    provider: 'aaio',
    amount: '1234567890.12',
    currency: 'RUB',
    description: 'Order 7',
    ...overrides,
  });

describe('sqliteStore', () => {
  it('keeps payments and owed hooks across a reopen of the file, in WAL mode', async () => {
    const path = join(dir, 'new-folder', 'payments.db');
    const first = sqliteStore({ path });
    expect(first.database.pragma('journal_mode', { simple: true })).toBe('wal');
    const p = payment();
    await first.createOrReuse(p, 0);
    const paid: Payment = { ...p, status: 'paid', paidAmount: '1234567890.12', version: 2 };
    const job = sampleHookJob(paid, 'onPaid', { from: 'created', createdAt: Date.now() });
    expect(await first.transition({ payment: paid, expectedVersion: 1, jobs: [job] })).toBe(true);
    await first.close();

    const second = sqliteStore({ path });
    try {
      expect(await second.get(p.id)).toEqual(paid);
      expect(await second.listHookJobs({ state: 'pending' })).toEqual([job]);
      const migrations = second.database.prepare('SELECT version FROM paymount_migrations').all();
      // Every migration once, in order, up to this build's version.
      expect(migrations).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })));
    } finally {
      await second.close();
    }
  });

  it('stores payments as columns a shop can query, with amounts as exact text', async () => {
    const store = sqliteStore({ path: ':memory:' });
    try {
      const p = payment({ amount: '0.10' });
      await store.createOrReuse(p, 0);
      const row = store.database
        .prepare(
          `SELECT order_id, provider, amount, typeof(amount) AS amount_type, status, json_extract(metadata, '$.email') AS email
           FROM paymount_payments WHERE id = ?`,
        )
        .get(p.id);
      expect(row).toEqual({
        order_id: 'order-7',
        provider: 'aaio',
        amount: '0.10',
        amount_type: 'text',
        status: 'created',
        email: 'buyer@example.test',
      });
    } finally {
      await store.close();
    }
  });

  it('lets the database itself refuse a second live payment for one order and provider', async () => {
    const store = sqliteStore({ path: ':memory:' });
    try {
      const p = payment();
      await store.createOrReuse(p, 0);
      const insert = store.database.prepare(
        `INSERT INTO paymount_payments (id, order_id, provider, amount, currency, status, created_at, updated_at, version)
         VALUES (?, ?, ?, '1.00', 'RUB', ?, '', '', 1)`,
      );
      expect(() => insert.run(newPaymentId(), p.orderId, p.provider, 'pending')).toThrow(/UNIQUE/);
      // A finished payment of the same order is no obstacle.
      expect(() => insert.run(newPaymentId(), p.orderId, p.provider, 'expired')).not.toThrow();
    } finally {
      await store.close();
    }
  });

  it('refuses to open a database written by a newer paymount, with a clear error', async () => {
    const path = newFile();
    const store = sqliteStore({ path });
    store.database
      .prepare(
        "INSERT INTO paymount_migrations (version, name, applied_at) VALUES (?, 'from the future', '')",
      )
      .run(SCHEMA_VERSION + 1);
    await store.close();

    let error: unknown;
    try {
      sqliteStore({ path });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PaymentsError);
    expect((error as PaymentsError).code).toBe('store_error');
    expect((error as PaymentsError).message).toMatch(/newer paymount: upgrade @paymount\/sqlite/);
  });

  it('upgrades a version-1 file holding two paid payments of one order and a shared provider reference', async () => {
    const path = newFile();
    const v1 = sqliteStore({ path });
    // Back to version 1: what migrations 2 and later add, gone.
    v1.database.exec(`
      DROP INDEX paymount_payments_one_paid;
      DROP TABLE paymount_refunds;
      DROP TABLE paymount_provider_refs;
      DROP TABLE paymount_journal;
      DELETE FROM paymount_migrations WHERE version >= 2;
    `);
    const first = payment({ status: 'paid', providerRef: 'INV-1', version: 3 });
    const second = payment({ status: 'paid', providerRef: 'INV-1', version: 3 });
    await v1.createOrReuse(first, 0);
    await v1.createOrReuse(second, 0);
    await v1.close();

    const upgraded = sqliteStore({ path });
    try {
      expect(await upgraded.get(first.id)).toEqual(first);
      expect(await upgraded.get(second.id)).toMatchObject({
        status: 'anomaly',
        anomaly: 'paid_twice',
        version: 4,
      });
      expect((await upgraded.findByProviderRef('aaio', 'INV-1'))?.id).toBe(first.id);
      // The later payment keeps its reference and can still move (here: refunded by hand).
      const later = (await upgraded.get(second.id))!;
      const refunded: Payment = { ...later, status: 'refunded', version: later.version + 1 };
      expect(await upgraded.transition({ payment: refunded, expectedVersion: later.version, jobs: [] })).toBe(
        true,
      );
    } finally {
      await upgraded.close();
    }
  });

  it('refuses an empty path instead of opening a throwaway database', () => {
    expect(() => sqliteStore({ path: '' })).toThrow(/path/);
  });

  it('rejects calls after close with a store error', async () => {
    const store = sqliteStore({ path: ':memory:' });
    await store.close();
    await store.close();
    await expect(store.get(newPaymentId())).rejects.toMatchObject({ code: 'store_error' });
  });
});
