import type pg from 'pg';
import { storeUnavailable } from './store-errors.js';

/**
 * Runs `work` on a connection checked out of `pool`.
 *
 * pg's pool listens for errors only on idle connections. One that is checked out has
 * no listener of its own, so the server's goodbye while it is out (a restart between
 * two statements of a transaction) would be an unhandled 'error' event and end the
 * process. Here every checked-out connection has a listener for exactly as long as it
 * is out. A connection that errored, or whose work failed in any way, is destroyed
 * (`release(true)`), never handed to the next caller in an unknown state. A failure on
 * a connection that was lost is reported as the retryable `store_unavailable`.
 */
export async function withClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error): void => {
    lost ??= error;
  };
  client.on('error', onError);
  let failed = false;
  try {
    return await work(client);
  } catch (error) {
    failed = true;
    throw lost === undefined ? error : storeUnavailable(lost);
  } finally {
    client.removeListener('error', onError);
    client.release(failed || lost !== undefined);
  }
}

/**
 * One statement on a guarded connection (see {@link withClient}). Unnamed on purpose: with
 * named (prepared) statements, pg 8 let a server restart end the process with an unhandled
 * 'error' event of a client (test/faults/postgres-restart.test.ts), which no saved parse
 * time is worth.
 */
export function query<R extends pg.QueryResultRow = pg.QueryResultRow>(
  pool: pg.Pool,
  text: string,
  values?: unknown[],
): Promise<pg.QueryResult<R>> {
  return withClient(pool, (client) => client.query<R>(text, values));
}

/**
 * `work` inside BEGIN … COMMIT on a guarded connection (a refund and the transition it
 * causes). Any failure rolls back; the server rolls back by itself what a lost connection
 * left open, so nothing is ever half-written.
 */
export function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A ROLLBACK that fails too changes nothing: withClient destroys the connection either way.
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
}
