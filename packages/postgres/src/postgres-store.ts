import {
  type ClaimOptions,
  HOOK_JOB_COLUMNS,
  type HookJob,
  type HookJobRow,
  hookJobFromRow,
  hookJobToColumns,
  PAYMENT_COLUMNS,
  type Payment,
  type PaymentRow,
  type PaymentStore,
  PaymentsError,
  paymentFromRow,
  paymentToColumns,
  type TransitionWrite,
} from '@paymount/core/store';
import pg from 'pg';
import { query, withClient } from './connections.js';
import { postgresJournal } from './journal.js';
import { postgresListing } from './listing.js';
import { migrate } from './migrations.js';
import { postgresRefunds } from './refunds.js';
import { jobStatements, LIVE, paymentStatements } from './statements.js';
import { storeError } from './store-errors.js';
import { postgresTransition } from './transition.js';

/** Query parameters for {@link PAYMENT_COLUMNS}, in order. */
const paymentValues = (payment: Payment): unknown[] => {
  const columns = paymentToColumns(payment);
  return PAYMENT_COLUMNS.map((name) => columns[name]);
};

/** Query parameters for {@link HOOK_JOB_COLUMNS}, in order (a refund's outbox rows). */
const jobValues = (job: HookJob): unknown[] => {
  const columns = hookJobToColumns(job);
  return HOOK_JOB_COLUMNS.map((name) => columns[name]);
};

interface CommonOptions {
  /** The PostgreSQL schema paymount's tables live in; created when missing. Default `paymount`. */
  readonly schema?: string;
}

/**
 * Either a pool the shop owns (the store never ends it), or what to make one from
 * (`connectionString` plus any `pg.PoolConfig` such as `max`; `close()` ends it).
 */
export type PostgresStoreOptions =
  | (CommonOptions & { readonly pool: pg.Pool })
  | (CommonOptions & pg.PoolConfig & { readonly connectionString: string });

/** A {@link PaymentStore} on PostgreSQL. */
export interface PostgresStore extends PaymentStore {
  /** The schema the tables live in. */
  readonly schema: string;
  /**
   * Resolves once the schema is migrated; rejects with the reason it could not be
   * (a later call tries again). Every method waits for it anyway; await it at
   * start-up to fail fast.
   */
  ready(): Promise<void>;
}

// How long a call waits for a connection (a new one, or a free one from a busy pool) before it
// fails as store_unavailable, instead of hanging while the server cannot be reached.
const CONNECT_TIMEOUT_MS = 10_000;

const SCHEMA_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A durable payment store on PostgreSQL, for a shop with several instances behind
 * a load balancer. Transitions are compare-and-set `UPDATE`s written in one
 * transaction with their outbox rows; hook jobs and provider checks are claimed with
 * leases (`FOR UPDATE SKIP LOCKED`), so instances share the work and none is done
 * twice, and a crashed instance's work is taken over when its lease runs out.
 * Migrations start when the store is made and run under an advisory lock.
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  const { schema = 'paymount', ...rest } = options;
  if (!SCHEMA_PATTERN.test(schema)) {
    throw new PaymentsError(
      'config_invalid',
      'postgresStore: `schema` must be 1–63 letters, digits or underscores, not starting with a digit.',
    );
  }
  const ownsPool = !('pool' in rest);
  const pool: pg.Pool =
    'pool' in rest ? rest.pool : new pg.Pool({ connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...rest });
  if (ownsPool) {
    // pg emits errors of idle connections (a server restart) on the pool; without a
    // listener they would crash the process. pg drops the broken connection and the
    // next query opens a new one. A shop's own pool needs the same listener: its README says so.
    pool.on('error', () => {});
  }

  const s = `"${schema}"`;
  const sql = paymentStatements(s);
  const jobs = jobStatements(s);
  const journal = postgresJournal(s);
  const listing = postgresListing(s);
  const transition = postgresTransition(s);
  const runOnPool = (text: string, values: unknown[]) => query(pool, text, values);

  // A refund write runs its transition on the refund's own connection, inside its transaction.
  const transitionIn = (client: pg.PoolClient, write: TransitionWrite): Promise<boolean> =>
    transition((text, values) => client.query(text, values), write);
  const refunds = postgresRefunds(s, pool, transitionIn, jobValues, journal);

  // Migrating starts at once and is shared by every call waiting on it. A failed
  // attempt (the database still starting, a refused newer schema) is forgotten, so
  // the next call tries again instead of the store staying broken until a restart.
  let migration: Promise<void> | undefined;
  const migrated = (): Promise<void> => {
    if (migration) return migration;
    // A connection that failed mid-migration is destroyed rather than handed out again.
    const attempt = withClient(pool, (client) => migrate(client, schema, s));
    migration = attempt;
    attempt.catch(() => {
      if (migration === attempt) migration = undefined;
    });
    return attempt;
  };
  // Reported by ready() and by the calls; caught here only so it is not an unhandled rejection.
  migrated().catch(() => {});

  let closed = false;
  const step = async <T>(work: () => Promise<T>): Promise<T> => {
    if (closed) throw new PaymentsError('store_error', 'The PostgreSQL payment store is closed.');
    try {
      await migrated();
      return await work();
    } catch (error) {
      throw storeError(error);
    }
  };

  return {
    schema,

    ready: () =>
      migrated().catch((error: unknown) => {
        throw storeError(error);
      }),

    createOrReuse: (payment, firstCheckAt) =>
      step(async () => {
        // The partial unique index decides races between instances; a reader that then
        // finds no live payment lost to one that just finished, and tries again.
        for (let attempt = 0; attempt < 5; attempt++) {
          const inserted = await query(pool, sql.insertPayment, [...paymentValues(payment), firstCheckAt]);
          if (inserted.rowCount === 1) return { payment, created: true };
          const live = await query<PaymentRow>(
            pool,
            `${sql.selectPayments} WHERE order_id = $1 AND provider = $2 AND ${LIVE}`,
            [payment.orderId, payment.provider],
          );
          const row = live.rows[0];
          if (row) return { payment: paymentFromRow(row), created: false };
        }
        throw new PaymentsError(
          'conflict',
          'The order kept changing while it was being checked out; try again.',
        );
      }),

    get: (id) =>
      step(async () => {
        const result = await query<PaymentRow>(pool, `${sql.selectPayments} WHERE id = $1`, [id]);
        const row = result.rows[0];
        return row ? paymentFromRow(row) : null;
      }),

    findByOrder: (orderId) =>
      step(async () => {
        const result = await query<PaymentRow>(
          pool,
          `${sql.selectPayments} WHERE order_id = $1 ORDER BY seq`,
          [orderId],
        );
        return result.rows.map(paymentFromRow);
      }),

    transition: (write: TransitionWrite) =>
      step(() => transition((text, values) => query(pool, text, values), write)),

    findByProviderRef: (provider, providerRef) =>
      step(async () => {
        const result = await query<PaymentRow>(
          pool,
          `${sql.selectPayments} WHERE id = (${sql.selectBinding})`,
          [provider, providerRef],
        );
        const row = result.rows[0];
        return row ? paymentFromRow(row) : null;
      }),

    findUnbound: (provider, createdSince, limit) =>
      step(async () => {
        const result = await query<PaymentRow>(
          pool,
          `${sql.selectPayments} WHERE provider = $1 AND provider_ref IS NULL AND ${LIVE}
             AND created_at >= $2::timestamptz ORDER BY created_at DESC LIMIT $3`,
          [provider, createdSince, limit],
        );
        return result.rows.map(paymentFromRow);
      }),

    hasEvent: (key) =>
      step(async () => {
        const result = await query(pool, `SELECT 1 FROM ${s}.events WHERE key = $1`, [key]);
        return result.rowCount === 1;
      }),

    rememberEvent: (key, paymentId) =>
      step(async () => {
        const result = await query(
          pool,
          `INSERT INTO ${s}.events (key, payment_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`,
          [key, paymentId, Date.now()],
        );
        return result.rowCount === 1;
      }),

    claimDueChecks: ({ now, limit, leaseMs, owner }: ClaimOptions) =>
      step(async () => {
        const result = await query<PaymentRow & { next_check_at: string }>(pool, sql.claimChecks, [
          now,
          limit,
          owner,
          now + leaseMs,
        ]);
        return result.rows
          .sort((a, b) => Number(a.next_check_at) - Number(b.next_check_at))
          .map(paymentFromRow);
      }),

    scheduleCheck: (paymentId, nextCheckAt, owner) =>
      step(async () => {
        await query(pool, sql.scheduleCheck, [paymentId, nextCheckAt, owner]);
      }),

    checkAllLiveAt: (now) =>
      step(async () => {
        const result = await query(pool, sql.checkAllLive, [now]);
        return result.rowCount ?? 0;
      }),

    claimHookJobs: ({ now, limit, leaseMs, owner }: ClaimOptions) =>
      step(async () => {
        const result = await query<HookJobRow & { seq: string }>(pool, jobs.claimJobs, [
          now,
          limit,
          owner,
          now + leaseMs,
        ]);
        return result.rows
          .sort(
            (a, b) => Number(a.next_attempt_at) - Number(b.next_attempt_at) || Number(a.seq) - Number(b.seq),
          )
          .map(hookJobFromRow);
      }),

    completeHookJob: (id, owner) =>
      step(async () => {
        await query(pool, jobs.completeJob, [id, owner]);
      }),

    failHookJob: (id, owner, error, nextAttemptAt) =>
      step(async () => {
        await query(pool, jobs.failJob, [id, owner, error, nextAttemptAt]);
      }),

    countHookJobs: () =>
      step(async () => {
        const result = await query<{ pending: number; dead: number; oldest: string | null }>(
          pool,
          jobs.countJobs,
        );
        const row = result.rows[0]!;
        return {
          pending: row.pending,
          dead: row.dead,
          oldestPendingAt: row.oldest === null ? null : Number(row.oldest),
        };
      }),

    listHookJobs: (filter = {}) =>
      step(async () => {
        const where: string[] = [];
        const values: string[] = [];
        if (filter.state) {
          values.push(filter.state);
          where.push(`state = $${values.length}`);
        }
        if (filter.paymentId) {
          values.push(filter.paymentId);
          where.push(`payment_id = $${values.length}`);
        }
        const result = await query<HookJobRow>(
          pool,
          `SELECT ${jobs.jobColumns} FROM ${s}.hook_jobs${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
           ORDER BY seq`,
          values,
        );
        return result.rows.map(hookJobFromRow);
      }),

    replayHookJob: (id, now) =>
      step(async () => {
        const result = await query(pool, jobs.replayJob, [id, now]);
        return result.rowCount === 1;
      }),

    appendJournal: (entries) => step(() => journal.append(runOnPool, entries)),

    listJournal: (journalQuery) => step(() => journal.list(runOnPool, journalQuery)),

    pruneJournal: (before) => step(() => journal.prune(runOnPool, before)),

    listPayments: (query) => step(() => listing.list(runOnPool, query)),

    countPayments: (window) => step(() => listing.count(runOnPool, window)),

    createRefund: (refund, limit) => step(() => refunds.createRefund(refund, limit)),
    getRefund: (id) => step(() => refunds.getRefund(id)),
    listRefunds: (paymentId) => step(() => refunds.listRefunds(paymentId)),
    updateRefund: (write) => step(() => refunds.updateRefund(write)),
    unsettledRefunds: (before, limit) => step(() => refunds.unsettledRefunds(before, limit)),

    async close() {
      if (closed) return;
      closed = true;
      await migration?.catch(() => {});
      if (ownsPool) await pool.end();
    },
  };
}
