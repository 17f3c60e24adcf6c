import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  type ClaimOptions,
  type HookJob,
  type HookJobRow,
  hookJobFromRow,
  hookJobToColumns,
  isLive,
  type Payment,
  type PaymentRow,
  type PaymentStore,
  PaymentsError,
  paymentFromRow,
  paymentToColumns,
  providerRefTaken,
  type TransitionWrite,
} from '@paymount/core/store';
import BetterSqlite3 from 'better-sqlite3';
import { groupCommit } from './group-commit.js';
import { sqliteJournal } from './journal.js';
import { sqliteListing } from './listing.js';
import { migrate } from './migrations.js';
import { sqliteRefunds } from './refunds.js';
import { JOB_SELECT, prepareStatements, type Statements } from './statements.js';

export interface SqliteStoreOptions {
  /** Database file (created, with its folder, when missing), or `':memory:'` for a private in-memory database. */
  readonly path: string;
  /** How long a write waits for another process's lock before it fails, in ms. Default 5000. */
  readonly busyTimeoutMs?: number;
  /**
   * `'full'` (default): a committed transition survives a power cut. `'normal'`: faster
   * commits; a process crash still loses nothing, a power cut may lose the last commits.
   */
  readonly synchronous?: 'full' | 'normal';
}

/** A {@link PaymentStore} in a SQLite file. */
export interface SqliteStore extends PaymentStore {
  /**
   * The store's own connection, for the shop's reports and support queries on the
   * `paymount_*` tables. Read freely; write only through paymount, or the store's
   * invariants (versions, leases, the outbox) no longer hold.
   */
  readonly database: BetterSqlite3.Database;
}

/**
 * SQLite's errors as a `PaymentsError`. Another process holding the file's lock past
 * `busyTimeoutMs` (SQLITE_BUSY, SQLITE_LOCKED and their extended codes) is a passing
 * outage: the retryable `store_unavailable` (503), and nothing was written. Anything
 * else is a `store_error` (500).
 */
function storeError(error: unknown): PaymentsError {
  if (error instanceof PaymentsError) return error;
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const reason = error instanceof Error ? error.message : String(error);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new PaymentsError(
      'store_unavailable',
      `The SQLite payment store is locked by another connection: ${reason}`,
      { cause: error, retryable: true },
    );
  }
  return new PaymentsError('store_error', `The SQLite payment store failed: ${reason}`, { cause: error });
}

/**
 * Binds the payment's provider reference to it, or throws `provider_ref_taken` when
 * another payment holds it (the caller's transaction then rolls back).
 */
function bind(statements: Statements, payment: Payment): void {
  const ref = payment.providerRef as string;
  statements.insertBinding.run(payment.provider, ref, payment.id, Date.now());
  const bound = statements.selectBinding.get(payment.provider, ref) as { payment_id: string };
  if (bound.payment_id !== payment.id) throw providerRefTaken(payment, bound.payment_id);
}

/**
 * A durable payment store in one SQLite file, for a shop on one server: nothing to
 * run, survives restarts and crashes. Several processes may share the file (WAL
 * mode, IMMEDIATE transactions, leases on hook jobs and provider checks).
 * The schema is migrated when the store opens.
 */
export function sqliteStore(options: SqliteStoreOptions): SqliteStore {
  if (typeof options?.path !== 'string' || options.path === '') {
    // better-sqlite3 would open a temporary database for an empty path: payments that vanish on close.
    throw new PaymentsError('config_invalid', "sqliteStore: `path` must be a file path or ':memory:'.");
  }
  if (options.path !== ':memory:') mkdirSync(dirname(resolve(options.path)), { recursive: true });
  const db = new BetterSqlite3(options.path);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5_000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (error) {
    db.close();
    throw storeError(error);
  }

  const statements = prepareStatements(db);
  const journal = sqliteJournal(db);
  const listing = sqliteListing(db);
  const writes = groupCommit(db, storeError);

  // better-sqlite3 is synchronous, so within this process every write below runs to
  // completion on its own, inside the IMMEDIATE transaction of its batch (group-commit.ts),
  // which takes the write lock up front and so serialises read-then-write steps against
  // other processes on the same file.
  const createOrReuse = (payment: Payment, firstCheckAt: number) => {
    const live = statements.selectLive.get(payment.orderId, payment.provider) as PaymentRow | undefined;
    if (live) return { payment: paymentFromRow(live), created: false };
    statements.insertPayment.run({ ...paymentToColumns(payment), next_check_at: firstCheckAt });
    return { payment, created: true };
  };

  const transition = (write: TransitionWrite): boolean => {
    const next = write.payment;
    const current = statements.selectVersion.get(next.id) as
      | { version: number; provider_ref: string | null }
      | undefined;
    if (!current || current.version !== write.expectedVersion) return false;
    // The IMMEDIATE transaction holds the write lock: these reads cannot be overtaken.
    if (next.status === 'paid' && statements.selectPaidSibling.get(next.orderId, next.id)) return false;
    if (next.providerRef !== null && next.providerRef !== current.provider_ref) {
      bind(statements, next);
    }
    statements.updatePayment.run({
      ...paymentToColumns(next),
      expected_version: write.expectedVersion,
      live: isLive(next) ? 1 : 0,
      set_check: write.nextCheckAt === undefined ? 0 : 1,
      next_check_at: write.nextCheckAt ?? null,
    });
    for (const job of write.jobs) {
      statements.insertJob.run(hookJobToColumns(job));
    }
    if (write.journal) journal.append(write.journal);
    if (write.rememberEvent !== undefined) {
      statements.insertEvent.run(write.rememberEvent, next.id, Date.now());
    }
    return true;
  };

  const refunds = sqliteRefunds(db, { transition, insertJob: statements.insertJob, journal });

  const claimDueChecks = ({ now, limit, leaseMs, owner }: ClaimOptions): Payment[] => {
    const due = statements.selectDueChecks.all({ now, limit }) as { id: string }[];
    const claimed: Payment[] = [];
    for (const { id } of due) {
      statements.leaseCheck.run({ id, owner, until: now + leaseMs });
      claimed.push(paymentFromRow(statements.selectPayment.get(id) as PaymentRow));
    }
    return claimed;
  };

  const claimHookJobs = ({ now, limit, leaseMs, owner }: ClaimOptions): HookJob[] => {
    const due = statements.selectDueJobs.all({ now, limit }) as HookJobRow[];
    for (const row of due) statements.leaseJob.run({ id: row.id, owner, until: now + leaseMs });
    return due.map(hookJobFromRow);
  };

  let closed = false;
  const closedError = () => new PaymentsError('store_error', 'The SQLite payment store is closed.');
  /** Runs one read now, turning SQLite's errors into a `PaymentsError` (see storeError). */
  const step = <T>(work: () => T): Promise<T> => {
    if (closed) return Promise.reject(closedError());
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(storeError(error));
    }
  };
  /** Runs one write in the next group commit; resolves once it is committed. */
  const write = <T>(work: () => T): Promise<T> => (closed ? Promise.reject(closedError()) : writes.run(work));

  return {
    database: db,

    createOrReuse: (payment, firstCheckAt) => write(() => createOrReuse(payment, firstCheckAt)),

    get: (id) =>
      step(() => {
        const row = statements.selectPayment.get(id) as PaymentRow | undefined;
        return row ? paymentFromRow(row) : null;
      }),

    findByOrder: (orderId) =>
      step(() => (statements.selectByOrder.all(orderId) as PaymentRow[]).map(paymentFromRow)),

    transition: (change) => write(() => transition(change)),

    findByProviderRef: (provider, providerRef) =>
      step(() => {
        const bound = statements.selectBinding.get(provider, providerRef) as
          | { payment_id: string }
          | undefined;
        const row = bound
          ? (statements.selectPayment.get(bound.payment_id) as PaymentRow | undefined)
          : undefined;
        return row ? paymentFromRow(row) : null;
      }),

    findUnbound: (provider, createdSince, limit) =>
      step(() =>
        (statements.selectUnbound.all(provider, createdSince, limit) as PaymentRow[]).map(paymentFromRow),
      ),

    hasEvent: (key) => step(() => statements.selectEvent.get(key) !== undefined),

    rememberEvent: (key, paymentId) =>
      write(() => statements.insertEvent.run(key, paymentId, Date.now()).changes === 1),

    claimDueChecks: (claim) => write(() => claimDueChecks(claim)),

    scheduleCheck: (paymentId, nextCheckAt, owner) =>
      write(() => {
        statements.scheduleCheck.run({ id: paymentId, next: nextCheckAt, owner });
      }),

    checkAllLiveAt: (now) => write(() => statements.checkAllLive.run({ now }).changes),

    claimHookJobs: (claim) => write(() => claimHookJobs(claim)),

    completeHookJob: (id, owner) =>
      write(() => {
        statements.completeJob.run(id, owner);
      }),

    failHookJob: (id, owner, error, nextAttemptAt) =>
      write(() => {
        statements.failJob.run({ id, owner, error, next: nextAttemptAt });
      }),

    countHookJobs: () =>
      step(() => {
        const row = statements.countJobs.get() as { pending: number; dead: number; oldest: number | null };
        return { pending: row.pending, dead: row.dead, oldestPendingAt: row.oldest };
      }),

    listHookJobs: (filter = {}) =>
      step(() => {
        const where: string[] = [];
        const params: Record<string, string> = {};
        if (filter.state) {
          where.push('state = @state');
          params['state'] = filter.state;
        }
        if (filter.paymentId) {
          where.push('payment_id = @paymentId');
          params['paymentId'] = filter.paymentId;
        }
        const sql = `${JOB_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY rowid`;
        return (db.prepare(sql).all(params) as HookJobRow[]).map(hookJobFromRow);
      }),

    replayHookJob: (id, now) => write(() => statements.replayJob.run(now, id).changes === 1),

    appendJournal: (entries) => write(() => journal.append(entries)),

    listJournal: (query) => step(() => journal.list(query)),

    pruneJournal: (before) => write(() => journal.prune(before)),

    listPayments: (query) => step(() => listing.list(query)),

    countPayments: (window) => step(() => listing.count(window)),

    createRefund: (refund, limit) => step(() => refunds.createRefund(refund, limit)),
    getRefund: (id) => step(() => refunds.getRefund(id)),
    listRefunds: (paymentId) => step(() => refunds.listRefunds(paymentId)),
    updateRefund: (write) => step(() => refunds.updateRefund(write)),
    unsettledRefunds: (before, limit) => step(() => refunds.unsettledRefunds(before, limit)),

    async close() {
      if (closed) return;
      closed = true;
      // What was asked before close() is committed, not dropped.
      writes.flush();
      db.close();
    },
  };
}
