// The least durable work a transition can do on PostgreSQL, with no paymount code: read the
// payment's row, then in one statement (one commit, synced) update it and insert one job
// row. bench/floors.ts measures it straight against the database; the bare form route doing
// it per request is the "durable floor" pair's subject, the ceiling of the
// `callback express (postgres)` ratio on this machine.
import pg from 'pg';
import { benchPaymentId } from './aaio-fixture.js';

/** What a floor's write changes: the payment's columns, and the job row's columns and values. */
export interface FloorWrite {
  readonly set: string;
  readonly jobColumns: string;
  readonly jobValues: string;
}

/** The write on the bare tables of {@link createBareTables}. */
export const BARE_WRITE: FloorWrite = {
  set: 'paid_at = $2',
  jobColumns: 'id, payment_id, payment',
  jobValues: 'job, id, $3::jsonb',
};

/** Two tables with nothing but a primary key in `schema` (made anew), one pending row per bench payment. */
export async function createBareTables(pool: pg.Pool, schema: string, count: number): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema};
    CREATE TABLE ${schema}.payments (id TEXT PRIMARY KEY, status TEXT, version INTEGER, paid_at TIMESTAMPTZ);
    CREATE TABLE ${schema}.hook_jobs (id TEXT PRIMARY KEY, payment_id TEXT, payment JSONB)`);
  await pool.query(
    `INSERT INTO ${schema}.payments SELECT id, 'pending', 1, NULL FROM unnest($1::text[]) AS id`,
    [Array.from({ length: count }, (_, i) => benchPaymentId(i))],
  );
}

/**
 * One transition's floor on `schema`: the read, then the write as one statement. A payment
 * already paid matches no row, so a repeat reads and writes nothing more.
 */
export function floorStep(
  pool: pg.Pool,
  schema: string,
  { set, jobColumns, jobValues }: FloorWrite,
): (paymentId: string, payment: string) => Promise<void> {
  const read = `SELECT * FROM ${schema}.payments WHERE id = $1`;
  const write = `WITH moved AS (
      UPDATE ${schema}.payments SET status = 'paid', version = version + 1, ${set}
      WHERE id = $1 AND version = 1 RETURNING id || ':paid:onPaid' AS job, id
    ) INSERT INTO ${schema}.hook_jobs (${jobColumns}) SELECT ${jobValues} FROM moved`;
  return async (paymentId, payment) => {
    await pool.query(read, [paymentId]);
    await pool.query(write, [paymentId, new Date().toISOString(), payment]);
  };
}

/** Creates the floor's tables in `schema` and returns the write a request makes. */
export async function postgresFloorWrite(
  url: string,
  schema: string,
  count: number,
): Promise<(paymentId: string) => Promise<void>> {
  const pool = new pg.Pool({ connectionString: url });
  await createBareTables(pool, schema, count);
  const step = floorStep(pool, schema, BARE_WRITE);
  return (paymentId) => step(paymentId, JSON.stringify({ id: paymentId, status: 'paid', version: 2 }));
}
