// The PostgreSQL store's connections under faults, one at a time and deterministically:
// a connection cut by the server while it is checked out for a transition, between two
// round trips (what made a restart crash the shop), idle connections dropped by a restart, and a server that is
// down. In each, the call fails as the retryable `store_unavailable`, nothing is
// half-written, no 'error' event goes unhandled (vitest fails the file if one does), and
// the store works again as soon as the server does.
import { newPaymentId, type Payment, type PaymentsError } from '@paymount/core/store';
import { type PostgresStore, postgresStore } from '@paymount/postgres';
import { sampleHookJob, samplePayment } from '@paymount/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgCluster, type PgCluster } from '../support/pg-cluster.js';

let cluster: PgCluster;
let admin: pg.Pool;

beforeAll(async () => {
  cluster = await createPgCluster({ name: 'connections', start: true });
}, 60_000);

afterAll(async () => {
  await admin?.end();
  await cluster?.destroy();
});

const adminPool = (): pg.Pool => {
  admin ??= new pg.Pool({ connectionString: cluster.url, max: 2 });
  admin.on('error', () => {});
  return admin;
};

/**
 * A pg client that can be made to wait just before it sends a transition's statement
 * (one statement, `WITH old AS …`): a moment when a checked-out connection has no query
 * running.
 */
function pausingClient(): { Client: typeof pg.Client; pause(): Promise<() => void> } {
  let gate: { reached: () => void; open: Promise<void> } | null = null;
  class PausingClient extends pg.Client {
    override query(...args: unknown[]): never {
      const send = (): never => (super.query as (...a: unknown[]) => never)(...args);
      const isTransition = typeof args[0] === 'string' && args[0].includes('WITH old AS');
      if (!isTransition || !gate) return send();
      const { reached, open } = gate;
      gate = null;
      reached();
      return open.then(send) as never;
    }
  }
  return {
    Client: PausingClient,
    pause() {
      return new Promise((resolveReached) => {
        let release = (): void => {};
        const open = new Promise<void>((resolve) => {
          release = resolve;
        });
        gate = { reached: () => resolveReached(release), open };
      });
    },
  };
}

/** Ends every server connection of `applicationName` that has no statement running. */
async function cutIdleConnections(applicationName: string): Promise<number> {
  const result = await adminPool().query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
     WHERE application_name = $1 AND state = 'idle'`,
    [applicationName],
  );
  return result.rowCount ?? 0;
}

const pendingOf = (p: Payment): Payment => ({ ...p, status: 'paid', version: p.version + 1 });

describe.each([
  ['the store’s own pool', false],
  ['a pool the shop passed in', true],
] as const)('a connection cut while checked out for a transition, on %s', (_name, shopPool) => {
  it('fails the transition as store_unavailable, writes nothing, and the next call works', async () => {
    const applicationName = `cut-${shopPool ? 'shop' : 'own'}-${Date.now()}`;
    const pausing = pausingClient();
    const poolConfig = { connectionString: cluster.url, application_name: applicationName, max: 2 };
    let pool: pg.Pool | undefined;
    let store: PostgresStore;
    if (shopPool) {
      pool = new pg.Pool({ ...poolConfig, Client: pausing.Client });
      // What the README asks of a shop that passes its own pool.
      pool.on('error', () => {});
      store = postgresStore({ pool, schema: `cut_shop` });
    } else {
      store = postgresStore({ ...poolConfig, Client: pausing.Client, schema: 'cut_own' });
    }
    try {
      const p = samplePayment();
      await store.createOrReuse(p, 0);
      const paid = pendingOf(p);
      const paused = pausing.pause();
      const transition = store.transition({
        payment: paid,
        expectedVersion: p.version,
        jobs: [sampleHookJob(paid, 'onPaid')],
      });
      const resume = await paused;
      // The paused one, and any other the pool holds idle (the pool replaces those).
      expect(await cutIdleConnections(applicationName)).toBeGreaterThanOrEqual(1);
      // Long enough for the server's goodbye to reach the client while it waits.
      await new Promise((resolve) => setTimeout(resolve, 200));
      resume();
      const error = (await transition.then(
        () => null,
        (caught: unknown) => caught,
      )) as PaymentsError | null;
      expect(error).toMatchObject({ code: 'store_unavailable', status: 503, retryable: true });

      // Nothing half-written: the payment did not move and owes no hook.
      expect(await store.get(p.id)).toMatchObject({ status: 'created', version: p.version });
      expect(await store.listHookJobs({ paymentId: p.id })).toEqual([]);
      // The same write goes through on a fresh connection.
      await expect(
        store.transition({
          payment: paid,
          expectedVersion: p.version,
          jobs: [sampleHookJob(paid, 'onPaid')],
        }),
      ).resolves.toBe(true);
    } finally {
      await store.close();
      await pool?.end();
    }
  });
});

describe('a PostgreSQL restart and an outage', () => {
  it('replaces idle connections the restart dropped, without failing the next call', async () => {
    const store = postgresStore({ connectionString: cluster.url, schema: 'restart_idle', max: 4 });
    try {
      const p = samplePayment();
      await store.createOrReuse(p, 0);
      // Four connections in the pool, all idle when the server restarts.
      await Promise.all(Array.from({ length: 4 }, () => store.get(p.id)));
      await cluster.restart('fast');
      expect(await store.get(p.id)).toMatchObject({ id: p.id });
    } finally {
      await store.close();
    }
  });

  it('answers store_unavailable at once while the server is down, and works again when it is back', async () => {
    const store = postgresStore({ connectionString: cluster.url, schema: 'outage', max: 2 });
    try {
      await store.ready();
      await cluster.stop('fast');
      const started = Date.now();
      for (const call of [
        store.get(newPaymentId()),
        store.createOrReuse(samplePayment(), 0),
        store.claimHookJobs({ now: Date.now(), limit: 10, leaseMs: 1_000, owner: 'me' }),
      ]) {
        await expect(call).rejects.toMatchObject({ code: 'store_unavailable', status: 503, retryable: true });
      }
      // Refused connections fail fast: nothing waits for the connection timeout.
      expect(Date.now() - started).toBeLessThan(5_000);
      await cluster.start();
      await expect(store.get(newPaymentId())).resolves.toBeNull();
    } finally {
      await store.close();
    }
  });

  it('keeps a non-connection failure a store_error, not a retryable one', async () => {
    const store = postgresStore({ connectionString: cluster.url, schema: 'plain_error', max: 2 });
    try {
      await store.ready();
      await adminPool().query('ALTER TABLE plain_error.payments RENAME TO payments_gone');
      const error = await store.get(newPaymentId()).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'store_error', status: 500, retryable: false });
    } finally {
      await store.close();
    }
  });
});
