import { newPaymentId, type Payment, PaymentsError } from '@paymount/core/store';
import { postgresStore, SCHEMA_VERSION } from '@paymount/postgres';
import { samplePayment, storeConformance } from '@paymount/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { adminPool, dropSchema, testPgUrl, uniqueSchema } from './fixtures/store-test-database.js';

const url = testPgUrl();
const admin = adminPool();
const made: string[] = [];
afterAll(async () => {
  for (const schema of made) await dropSchema(admin, schema);
  await admin.end();
});

/** A schema only this test uses, dropped when the file is done. */
const freshSchema = (prefix: string): string => {
  const schema = uniqueSchema(prefix);
  made.push(schema);
  return schema;
};

const schemas = new Map<object, string>();
storeConformance('postgres', {
  async make() {
    const schema = uniqueSchema('conformance');
    const store = postgresStore({ connectionString: url, schema, max: 10 });
    await store.ready();
    schemas.set(store, schema);
    return store;
  },
  async destroy(store) {
    const schema = schemas.get(store);
    if (schema) await dropSchema(admin, schema);
  },
});

// The suite's sample payment, with an amount that stresses this store's column types.
const payment = (overrides: Partial<Payment> = {}): Payment =>
  samplePayment({
    orderId: 'order-7',
    provider: 'aurpay',
    amount: '0.00012345',
    currency: 'BTC',
    description: null,
    ...overrides,
  });

describe('postgresStore', () => {
  it('migrates a new schema once when several instances start at the same moment', async () => {
    const schema = freshSchema('migrate_race');
    const stores = Array.from({ length: 4 }, () => postgresStore({ connectionString: url, schema, max: 2 }));
    try {
      await Promise.all(stores.map((store) => store.ready()));
      const migrations = await admin.query(`SELECT version FROM "${schema}".migrations ORDER BY version`);
      expect(migrations.rows).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })));
      const p = payment();
      await stores[0]!.createOrReuse(p, 0);
      expect(await stores[3]!.get(p.id)).toEqual(p);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('refuses a schema written by a newer paymount, with a clear error', async () => {
    const schema = freshSchema('from_future');
    const current = postgresStore({ connectionString: url, schema, max: 1 });
    await current.ready();
    await current.close();
    await admin.query(`INSERT INTO "${schema}".migrations (version, name) VALUES ($1, 'from the future')`, [
      SCHEMA_VERSION + 1,
    ]);

    const old = postgresStore({ connectionString: url, schema, max: 1 });
    try {
      const error = await old.ready().then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(PaymentsError);
      expect((error as PaymentsError).code).toBe('store_error');
      expect((error as PaymentsError).message).toMatch(/newer paymount: upgrade @paymount\/postgres/);
      await expect(old.get(newPaymentId())).rejects.toMatchObject({ code: 'store_error' });
    } finally {
      await old.close();
    }
  });

  it('upgrades a version-1 schema holding two paid payments of one order and a shared provider reference', async () => {
    const schema = freshSchema('upgrade');
    const v1 = postgresStore({ connectionString: url, schema, max: 2 });
    await v1.ready();
    // Back to version 1: what migrations 2 and later add, gone.
    await admin.query(`DROP INDEX "${schema}".payments_one_paid`);
    await admin.query(`DROP TABLE "${schema}".refunds`);
    await admin.query(`DROP TABLE "${schema}".provider_refs`);
    await admin.query(`DROP TABLE "${schema}".journal`);
    await admin.query(`DELETE FROM "${schema}".migrations WHERE version >= 2`);
    const first = payment({ status: 'paid', providerRef: '11112222333344445555', version: 3 });
    const second = payment({ status: 'paid', providerRef: '11112222333344445555', version: 3 });
    await v1.createOrReuse(first, 0);
    await v1.createOrReuse(second, 0);
    await v1.close();

    const upgraded = postgresStore({ connectionString: url, schema, max: 2 });
    try {
      expect(await upgraded.get(first.id)).toEqual(first);
      expect(await upgraded.get(second.id)).toMatchObject({
        status: 'anomaly',
        anomaly: 'paid_twice',
        version: 4,
      });
      expect((await upgraded.findByProviderRef('aurpay', '11112222333344445555'))?.id).toBe(first.id);
      const later = (await upgraded.get(second.id))!;
      const refunded: Payment = { ...later, status: 'refunded', version: later.version + 1 };
      expect(await upgraded.transition({ payment: refunded, expectedVersion: later.version, jobs: [] })).toBe(
        true,
      );
    } finally {
      await upgraded.close();
    }
  });

  it('stores payments as columns a shop can query, with amounts as exact text', async () => {
    const schema = freshSchema('columns');
    const store = postgresStore({ connectionString: url, schema, max: 2 });
    try {
      const p = payment();
      await store.createOrReuse(p, 0);
      const row = await admin.query(
        `SELECT order_id, amount, pg_typeof(amount)::text AS amount_type, amount::numeric * 2 AS doubled,
                metadata->>'email' AS email, created_at = $2::timestamptz AS same_time
         FROM "${schema}".payments WHERE id = $1`,
        [p.id, p.createdAt],
      );
      expect(row.rows).toEqual([
        {
          order_id: 'order-7',
          amount: '0.00012345',
          amount_type: 'text',
          doubled: '0.00024690',
          email: 'buyer@example.test',
          same_time: true,
        },
      ]);
      // The partial unique index, not only the store's code, keeps one live payment per order and provider.
      const insert = `INSERT INTO "${schema}".payments (id, order_id, provider, amount, currency, status, created_at, updated_at, version)
        VALUES ($1, 'order-7', 'aurpay', '1.00', 'BTC', $2, now(), now(), 1)`;
      await expect(admin.query(insert, [newPaymentId(), 'pending'])).rejects.toMatchObject({ code: '23505' });
      await expect(admin.query(insert, [newPaymentId(), 'expired'])).resolves.toMatchObject({ rowCount: 1 });
    } finally {
      await store.close();
    }
  });

  it('leaves a pool the shop passed in open, and ends the pool it made itself', async () => {
    const schema = freshSchema('pools');
    const shopPool = new pg.Pool({ connectionString: url, max: 2 });
    const borrowed = postgresStore({ pool: shopPool, schema });
    await borrowed.createOrReuse(payment(), 0);
    await borrowed.close();
    expect((await shopPool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await shopPool.end();

    const applicationName = `paymount-own-pool-${schema}`;
    const owned = postgresStore({ connectionString: url, schema, application_name: applicationName, max: 2 });
    await owned.createOrReuse(payment(), 0);
    const connections = (): Promise<number> =>
      admin
        .query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [
          applicationName,
        ])
        .then((result) => result.rows[0].n as number);
    expect(await connections()).toBeGreaterThan(0);
    await owned.close();
    await expect(owned.get(newPaymentId())).rejects.toMatchObject({ code: 'store_error' });
    // The server notices a closed connection a moment after the client has gone.
    for (let i = 0; i < 50 && (await connections()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await connections()).toBe(0);
  });

  it('tries migrating again on the next call when the database was unreachable at start-up', async () => {
    const schema = freshSchema('late_database');
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const connect = pool.connect.bind(pool);
    let refusals = 1;
    // The first checkout of a connection fails as if the server were still starting.
    // (pg's own pool.query checks out with a callback; those pass straight through.)
    pool.connect = ((...args: unknown[]) => {
      if (args.length === 0 && refusals-- > 0) {
        return Promise.reject(
          Object.assign(new Error('connect ECONNREFUSED 127.0.0.1'), { code: 'ECONNREFUSED' }),
        );
      }
      return (connect as (...passed: unknown[]) => unknown)(...args);
    }) as typeof pool.connect;
    const store = postgresStore({ pool, schema });
    try {
      await expect(store.ready()).rejects.toMatchObject({
        code: 'store_unavailable',
        status: 503,
        retryable: true,
        message: expect.stringMatching(/ECONNREFUSED/),
      });
      await expect(store.get(newPaymentId())).resolves.toBeNull();
      await store.ready();
    } finally {
      await store.close();
      await pool.end();
    }
  });

  it('refuses a schema name it could not quote safely', () => {
    expect(() => postgresStore({ connectionString: url, schema: 'paymount"; DROP TABLE x; --' })).toThrow(
      PaymentsError,
    );
  });
});
