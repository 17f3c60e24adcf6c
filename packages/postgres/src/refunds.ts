import {
  checkRefundFits,
  type HookJob,
  REFUND_COLUMNS,
  type Refund,
  type RefundRow,
  type RefundWrite,
  refundFromRow,
  refundToColumns,
  sameKeyRefund,
  type TransitionWrite,
} from '@paymount/core/store';
import type pg from 'pg';
import { inTransaction, query } from './connections.js';
import type { postgresJournal } from './journal.js';
import { jobStatements } from './statements.js';

/** The schema version that adds refunds: one constant, so it can be renumbered in one line. */
export const REFUNDS_SCHEMA_VERSION = 5;

/**
 * The refunds table. `(payment_id, idempotency_key)` is unique (keys are per payment; null
 * keys never collide); the sweep reads unfinished refunds by `updated_at`. Times are ISO
 * 8601 text, as the engine writes them, so they read back unchanged.
 */
export const REFUNDS_MIGRATION = {
  name: 'refunds',
  sql: `
    CREATE TABLE {schema}.refunds (
      seq             BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
      id              TEXT PRIMARY KEY,
      payment_id      TEXT NOT NULL REFERENCES {schema}.payments (id),
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
    CREATE INDEX refunds_payment ON {schema}.refunds (payment_id, seq);
    CREATE INDEX refunds_unsettled ON {schema}.refunds (updated_at) WHERE status IN ('requested', 'pending');
  `,
} as const;

type TransitionIn = (client: pg.PoolClient, write: TransitionWrite) => Promise<boolean>;

/** Thrown inside a transaction to roll it back when a later step finds the refund moved. */
class RefundMoved extends Error {}

const values = (refund: Refund): unknown[] => {
  const columns = refundToColumns(refund);
  return REFUND_COLUMNS.map((name) => columns[name]);
};
const placeholders = (count: number, from = 0): string =>
  Array.from({ length: count }, (_, i) => `$${from + i + 1}`).join(', ');

/** The refund methods of a PostgreSQL store in schema `s` (already quoted). */
export function postgresRefunds(
  s: string,
  pool: pg.Pool,
  transitionIn: TransitionIn,
  jobValues: (job: HookJob) => unknown[],
  journal: ReturnType<typeof postgresJournal>,
) {
  const columns = REFUND_COLUMNS.join(', ');
  const select = `SELECT ${columns} FROM ${s}.refunds`;
  const jobs = jobStatements(s);
  const update = `UPDATE ${s}.refunds SET ${REFUND_COLUMNS.slice(1)
    .map((c, i) => `${c} = $${i + 2}`)
    .join(', ')} WHERE id = $1 AND version = $${REFUND_COLUMNS.length + 1}`;

  return {
    // The payment's row lock queues every refund of one payment behind the one before it:
    // under READ COMMITTED each statement after the lock sees the refunds committed before.
    createRefund: (refund: Refund, limit: string) =>
      inTransaction(pool, async (client) => {
        await client.query(`SELECT 1 FROM ${s}.payments WHERE id = $1 FOR UPDATE`, [refund.paymentId]);
        const rows = await client.query<RefundRow>(`${select} WHERE payment_id = $1 ORDER BY seq`, [
          refund.paymentId,
        ]);
        const existing = rows.rows.map(refundFromRow);
        const same = sameKeyRefund(existing, refund);
        if (same) return { refund: same, created: false };
        checkRefundFits(existing, refund, limit);
        await client.query(
          `INSERT INTO ${s}.refunds (${columns}) VALUES (${placeholders(REFUND_COLUMNS.length)})`,
          values(refund),
        );
        return { refund, created: true };
      }),

    getRefund: async (id: string): Promise<Refund | null> => {
      const result = await query<RefundRow>(pool, `${select} WHERE id = $1`, [id]);
      const row = result.rows[0];
      return row ? refundFromRow(row) : null;
    },

    listRefunds: async (paymentId: string): Promise<Refund[]> => {
      const result = await query<RefundRow>(pool, `${select} WHERE payment_id = $1 ORDER BY seq`, [
        paymentId,
      ]);
      return result.rows.map(refundFromRow);
    },

    updateRefund: (write: RefundWrite): Promise<boolean> =>
      inTransaction(pool, async (client) => {
        if (write.transition && !(await transitionIn(client, write.transition))) return false;
        const moved = await client.query(update, [...values(write.refund), write.expectedVersion]);
        if (moved.rowCount !== 1) throw new RefundMoved();
        if (write.jobs.length > 0) {
          await client.query(jobs.insertJobs(write.jobs.length), write.jobs.flatMap(jobValues));
        }
        await journal.append((text, params) => client.query(text, params), write.journal);
        return true;
      }).catch((error: unknown) => {
        if (error instanceof RefundMoved) return false;
        throw error;
      }),

    unsettledRefunds: async (updatedBefore: string, limit: number): Promise<Refund[]> => {
      const result = await query<RefundRow>(
        pool,
        `${select} WHERE status IN ('requested', 'pending') AND updated_at < $1 ORDER BY updated_at LIMIT $2`,
        [updatedBefore, limit],
      );
      return result.rows.map(refundFromRow);
    },
  };
}
