// The least durable work a callback can do on PostgreSQL, with no paymount code: read the
// payment's row, then in one statement (one commit, synced) update it and insert one job
// row. The bare form route doing this per request is the "durable floor" pair's subject:
// the ceiling of the `callback express (postgres)` ratio on this machine.
import pg from 'pg';
import { benchPaymentId } from './aaio-fixture.js';

/** Creates the floor's two tables in `schema`, one row per bench payment, and returns its write. */
export async function postgresFloorWrite(
  url: string,
  schema: string,
  count: number,
): Promise<(paymentId: string) => Promise<void>> {
  const pool = new pg.Pool({ connectionString: url });
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema};
    CREATE TABLE ${schema}.payments (id TEXT PRIMARY KEY, status TEXT NOT NULL, version INTEGER NOT NULL);
    CREATE TABLE ${schema}.hook_jobs (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      payment_id TEXT NOT NULL, payment JSONB NOT NULL)`);
  await pool.query(`INSERT INTO ${schema}.payments SELECT id, 'pending', 1 FROM unnest($1::text[]) AS id`, [
    Array.from({ length: count }, (_, i) => benchPaymentId(i)),
  ]);
  const read = `SELECT * FROM ${schema}.payments WHERE id = $1`;
  const write = `WITH moved AS (
      UPDATE ${schema}.payments SET status = 'paid', version = version + 1 WHERE id = $1 RETURNING id
    ) INSERT INTO ${schema}.hook_jobs (payment_id, payment) SELECT id, $2::jsonb FROM moved`;
  return async (paymentId) => {
    const { rows } = await pool.query(read, [paymentId]);
    await pool.query(write, [paymentId, JSON.stringify({ ...rows[0], status: 'paid' })]);
  };
}
