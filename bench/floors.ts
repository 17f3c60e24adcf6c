// What the databases themselves manage on this machine, measured next to the stores: the
// ceiling a store's transitions/s can reach, so a missed absolute target can be told from
// a slow store. Two floors each, both doing a transition's durable work with no paymount
// code at all: `bare` (one read, then one row updated and one job row inserted into two
// tables with a primary key only, in one synced commit) and `schema` (the same read and the
// same row changes on the tables a paymount store creates, with all their indexes,
// constraints and foreign keys).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PaymentStore } from '@paymount/core';
import Database from 'better-sqlite3';
import pg from 'pg';
import { benchPaymentId, pendingPayment } from './servers/aaio-fixture.js';
import { BARE_WRITE, createBareTables, floorStep } from './servers/durable-floor.js';

/** One floor: transitions per second. */
export interface Floors {
  readonly bare: number;
  readonly schema: number;
}

const perSecond = (count: number, started: number): number =>
  Math.round(count / ((performance.now() - started) / 1000));

/** The job row's payment document, as large as the one a store writes. */
const jobPayment = (i: number): string => JSON.stringify({ ...pendingPayment(i), status: 'paid' });

/** Fills `store` with `count` pending payments (then closes it), so `schema` finds paymount's tables filled. */
async function seed(store: PaymentStore, count: number): Promise<void> {
  for (let i = 0; i < count; i += 100) {
    await Promise.all(
      Array.from({ length: 100 }, (_, k) =>
        store.createOrReuse(pendingPayment(i + k), Date.now() + 86_400_000),
      ),
    );
  }
  await store.close();
}

/** SQLite, one transition after another (WAL, `synchronous = FULL`, as the store opens it). */
export async function sqliteFloors(count: number): Promise<Floors> {
  const dir = mkdtempSync(join(tmpdir(), 'paymount-floor-'));
  try {
    const bare = new Database(join(dir, 'bare.sqlite'));
    bare.pragma('journal_mode = WAL');
    bare.pragma('synchronous = FULL');
    bare.exec('CREATE TABLE p (id TEXT PRIMARY KEY, status TEXT, version INTEGER, paid_at TEXT)');
    bare.exec('CREATE TABLE j (id TEXT PRIMARY KEY, payment_id TEXT, payment TEXT)');
    const add = bare.prepare("INSERT INTO p VALUES (?, 'pending', 1, NULL)");
    bare.transaction(() => {
      for (let i = 0; i < count; i++) add.run(benchPaymentId(i));
    })();
    const bareRate = sqliteRun(bare, count, {
      read: 'SELECT * FROM p WHERE id = ?',
      update:
        "UPDATE p SET status = 'paid', version = version + 1, paid_at = @at WHERE id = @id AND version = 1",
      insert: 'INSERT INTO j (id, payment_id, payment) VALUES (?, ?, ?)',
    });
    bare.close();

    const { sqliteStore } = await import('@paymount/sqlite');
    const path = join(dir, 'schema.sqlite');
    await seed(sqliteStore({ path }), count);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const schemaRate = sqliteRun(db, count, {
      read: 'SELECT * FROM paymount_payments WHERE id = ?',
      update: `UPDATE paymount_payments SET status = 'paid', version = version + 1, paid_at = @at,
        updated_at = @at, next_check_at = NULL WHERE id = @id AND version = 1`,
      insert: `INSERT INTO paymount_hook_jobs (id, payment_id, payment, hook, from_status, to_status,
        state, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, 'onPaid', 'pending', 'paid',
        'pending', 0, 0, 0)`,
    });
    db.close();
    return { bare: bareRate, schema: schemaRate };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sqliteRun(
  db: Database.Database,
  count: number,
  sql: Record<'read' | 'update' | 'insert', string>,
): number {
  const read = db.prepare(sql.read);
  const update = db.prepare(sql.update);
  const insert = db.prepare(sql.insert);
  const pay = db.transaction((i: number) => {
    const id = benchPaymentId(i);
    update.run({ at: new Date().toISOString(), id });
    insert.run(`${id}:paid:onPaid`, id, jobPayment(i));
  });
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    read.get(benchPaymentId(i));
    pay.immediate(i);
  }
  return perSecond(count, started);
}

/** PostgreSQL, `concurrency` transitions at a time, each one read and one statement (as the store does). */
export async function postgresFloors(url: string, count: number, concurrency: number): Promise<Floors> {
  const pool = new pg.Pool({ connectionString: url });
  const suffix = Date.now().toString(36);
  const bareSchema = `bench_floor_bare_${suffix}`;
  const storeSchema = `bench_floor_schema_${suffix}`;
  try {
    await createBareTables(pool, bareSchema, count);
    const bare = await postgresRun(floorStep(pool, bareSchema, BARE_WRITE), count, concurrency);
    const { postgresStore } = await import('@paymount/postgres');
    await seed(postgresStore({ connectionString: url, schema: storeSchema }), count);
    const step = floorStep(pool, storeSchema, {
      set: 'paid_at = $2, updated_at = $2, next_check_at = NULL',
      jobColumns:
        'id, payment_id, payment, hook, from_status, to_status, state, attempts, next_attempt_at, created_at',
      jobValues: "job, id, $3::jsonb, 'onPaid', 'pending', 'paid', 'pending', 0, 0, 0",
    });
    const schema = await postgresRun(step, count, concurrency);
    return { bare, schema };
  } finally {
    await pool.query(
      `DROP SCHEMA IF EXISTS ${bareSchema} CASCADE; DROP SCHEMA IF EXISTS ${storeSchema} CASCADE`,
    );
    await pool.end();
  }
}

/** Runs `step` for `count` bench payments, `concurrency` at a time: transitions per second. */
async function postgresRun(
  step: (paymentId: string, payment: string) => Promise<void>,
  count: number,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        await step(benchPaymentId(i), jobPayment(i));
      }
    }),
  );
  return perSecond(count, started);
}
