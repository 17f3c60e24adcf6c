import {
  checkRefundFits,
  type HookJob,
  hookJobToColumns,
  REFUND_COLUMNS,
  type Refund,
  type RefundRow,
  type RefundWrite,
  refundFromRow,
  refundToColumns,
  sameKeyRefund,
  type TransitionWrite,
} from '@paymount/core/store';
import type { Database, Statement } from 'better-sqlite3';
import type { SqliteJournal } from './journal.js';

/** The schema version that adds refunds: one constant, so it can be renumbered in one line. */
export const REFUNDS_SCHEMA_VERSION = 5;

/**
 * The refunds table. `(payment_id, idempotency_key)` is unique (keys are per payment; a
 * null key is never equal to another); the sweep reads unfinished refunds by `updated_at`.
 */
export const REFUNDS_MIGRATION = {
  name: 'refunds',
  sql: `
    CREATE TABLE paymount_refunds (
      id              TEXT PRIMARY KEY,
      payment_id      TEXT NOT NULL REFERENCES paymount_payments (id),
      provider        TEXT NOT NULL,
      amount          TEXT NOT NULL,
      currency        TEXT NOT NULL,
      status          TEXT NOT NULL CHECK (status IN ('requested', 'pending', 'succeeded', 'failed')),
      source          TEXT NOT NULL CHECK (source IN ('provider', 'recorded')),
      provider_ref    TEXT,
      provider_status TEXT,
      reason          TEXT,
      note            TEXT,
      error           TEXT,
      idempotency_key TEXT,
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL,
      version         INTEGER NOT NULL,
      UNIQUE (payment_id, idempotency_key)
    );
    CREATE INDEX paymount_refunds_payment ON paymount_refunds (payment_id, created_at);
    CREATE INDEX paymount_refunds_unsettled
      ON paymount_refunds (updated_at) WHERE status IN ('requested', 'pending');
  `,
} as const;

const SELECT = `SELECT ${REFUND_COLUMNS.join(', ')} FROM paymount_refunds`;

/** What the store lends its refunds: the transition step (joined as a savepoint), the outbox insert, the journal. */
export interface SqliteRefundHost {
  readonly transition: (write: TransitionWrite) => boolean;
  readonly insertJob: Statement;
  readonly journal: SqliteJournal;
}

/** Thrown inside a transaction to roll it back when a later step finds the refund moved. */
class RefundMoved extends Error {}

/** The refund methods of a SQLite store; each runs in one IMMEDIATE transaction. */
export function sqliteRefunds(db: Database, host: SqliteRefundHost) {
  const insert = db.prepare(
    `INSERT INTO paymount_refunds (${REFUND_COLUMNS.join(', ')})
     VALUES (${REFUND_COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  const byId = db.prepare(`${SELECT} WHERE id = ?`);
  const byPayment = db.prepare(`${SELECT} WHERE payment_id = ? ORDER BY rowid`);
  const update = db.prepare(
    `UPDATE paymount_refunds SET ${REFUND_COLUMNS.filter((c) => c !== 'id')
      .map((c) => `${c} = @${c}`)
      .join(', ')} WHERE id = @id AND version = @expected_version`,
  );
  const unsettled = db.prepare(
    `${SELECT} WHERE status IN ('requested', 'pending') AND updated_at < ? ORDER BY updated_at LIMIT ?`,
  );
  const list = (paymentId: string): Refund[] => (byPayment.all(paymentId) as RefundRow[]).map(refundFromRow);

  // The IMMEDIATE transaction holds the write lock from its first statement: the refunds
  // read here cannot change before the insert, in this process or another.
  const create = db.transaction((refund: Refund, limit: string) => {
    const existing = list(refund.paymentId);
    const same = sameKeyRefund(existing, refund);
    if (same) return { refund: same, created: false };
    checkRefundFits(existing, refund, limit);
    insert.run(refundToColumns(refund));
    return { refund, created: true };
  });

  const write = db.transaction((change: RefundWrite): boolean => {
    if (change.transition && !host.transition(change.transition)) return false;
    const moved = update.run({ ...refundToColumns(change.refund), expected_version: change.expectedVersion });
    if (moved.changes !== 1) throw new RefundMoved();
    for (const job of change.jobs as HookJob[]) host.insertJob.run(hookJobToColumns(job));
    host.journal.append(change.journal);
    return true;
  });

  return {
    createRefund: (refund: Refund, limit: string) => create.immediate(refund, limit),
    getRefund: (id: string): Refund | null => {
      const row = byId.get(id) as RefundRow | undefined;
      return row ? refundFromRow(row) : null;
    },
    listRefunds: list,
    updateRefund: (change: RefundWrite): boolean => {
      try {
        return write.immediate(change);
      } catch (error) {
        if (error instanceof RefundMoved) return false;
        throw error;
      }
    },
    unsettledRefunds: (updatedBefore: string, limit: number): Refund[] =>
      (unsettled.all(updatedBefore, limit) as RefundRow[]).map(refundFromRow),
  };
}
