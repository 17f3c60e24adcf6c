import { CHECKABLE_STATUSES, PAYMENT_COLUMNS } from '@paymount/core/store';
import type BetterSqlite3 from 'better-sqlite3';

const LIVE = `status IN ('created', 'pending')`;
const CHECKABLE = `status IN (${CHECKABLE_STATUSES.map((s) => `'${s}'`).join(', ')})`;
const PAYMENT_SELECT = `SELECT ${PAYMENT_COLUMNS.join(', ')} FROM paymount_payments`;
export const JOB_SELECT =
  'SELECT id, payment_id, hook, from_status, to_status, payment, state, attempts, next_attempt_at, ' +
  'last_error, created_at FROM paymount_hook_jobs';

const paymentValues = PAYMENT_COLUMNS.map((c) => `@${c}`).join(', ');

/** The SQL that reads and writes payments, their bindings and their check queue. */
const PAYMENT_SQL = {
  selectPayment: `${PAYMENT_SELECT} WHERE id = ?`,
  selectLive: `${PAYMENT_SELECT} WHERE order_id = ? AND provider = ? AND ${LIVE}`,
  selectByOrder: `${PAYMENT_SELECT} WHERE order_id = ? ORDER BY rowid`,
  // Created-at is stored as ISO 8601 text, whose order is the order of time.
  selectUnbound: `${PAYMENT_SELECT} WHERE provider = ? AND provider_ref IS NULL AND ${LIVE} AND created_at >= ?
       ORDER BY created_at DESC LIMIT ?`,
  selectVersion: 'SELECT version, provider_ref FROM paymount_payments WHERE id = ?',
  selectPaidSibling: `SELECT 1 FROM paymount_payments WHERE order_id = ? AND status = 'paid' AND id <> ?`,
  insertPayment: `INSERT INTO paymount_payments (${PAYMENT_COLUMNS.join(', ')}, next_check_at)
       VALUES (${paymentValues}, @next_check_at)`,
  // The check queue after the write: as the write says (@set_check), else kept for a
  // live payment only; clearing it also drops the claim.
  updatePayment: `UPDATE paymount_payments SET
         ${PAYMENT_COLUMNS.filter((c) => c !== 'id')
           .map((c) => `${c} = @${c}`)
           .join(', ')},
         next_check_at = CASE WHEN @set_check = 1 THEN @next_check_at
                              WHEN @live = 1 THEN next_check_at ELSE NULL END,
         check_owner = CASE WHEN @set_check = 1 AND @next_check_at IS NOT NULL THEN check_owner
                            WHEN @set_check = 0 AND @live = 1 THEN check_owner ELSE NULL END,
         check_lease_until = CASE WHEN @set_check = 1 AND @next_check_at IS NOT NULL THEN check_lease_until
                                  WHEN @set_check = 0 AND @live = 1 THEN check_lease_until ELSE 0 END
       WHERE id = @id AND version = @expected_version`,
  insertBinding: `INSERT OR IGNORE INTO paymount_provider_refs (provider, provider_ref, payment_id, created_at)
       VALUES (?, ?, ?, ?)`,
  selectBinding: 'SELECT payment_id FROM paymount_provider_refs WHERE provider = ? AND provider_ref = ?',
  selectDueChecks: `SELECT id FROM paymount_payments
       WHERE next_check_at IS NOT NULL AND next_check_at <= @now AND check_lease_until <= @now AND ${CHECKABLE}
       ORDER BY next_check_at LIMIT @limit`,
  leaseCheck: 'UPDATE paymount_payments SET check_owner = @owner, check_lease_until = @until WHERE id = @id',
  scheduleCheck: `UPDATE paymount_payments
       SET next_check_at = CASE WHEN ${CHECKABLE} THEN @next ELSE NULL END, check_owner = NULL, check_lease_until = 0
       WHERE id = @id AND (check_owner IS NULL OR check_owner = @owner)`,
  checkAllLive: `UPDATE paymount_payments SET next_check_at = @now
       WHERE ${LIVE} AND (next_check_at IS NULL OR next_check_at > @now)`,
} as const;

/** The SQL of the hook outbox and the handled-callback keys. */
const WORK_SQL = {
  insertJob: `INSERT OR IGNORE INTO paymount_hook_jobs
         (id, payment_id, hook, from_status, to_status, payment, state, attempts, next_attempt_at,
          last_error, created_at)
       VALUES (@id, @payment_id, @hook, @from_status, @to_status, @payment, @state, @attempts,
          @next_attempt_at, @last_error, @created_at)`,
  selectEvent: 'SELECT 1 FROM paymount_events WHERE key = ?',
  insertEvent: 'INSERT OR IGNORE INTO paymount_events (key, payment_id, created_at) VALUES (?, ?, ?)',
  selectDueJobs: `${JOB_SELECT}
       WHERE state = 'pending' AND next_attempt_at <= @now AND lease_until <= @now
       ORDER BY next_attempt_at, rowid LIMIT @limit`,
  leaseJob: 'UPDATE paymount_hook_jobs SET lease_owner = @owner, lease_until = @until WHERE id = @id',
  completeJob: `UPDATE paymount_hook_jobs
       SET state = 'done', attempts = attempts + 1, last_error = NULL, lease_owner = NULL, lease_until = 0
       WHERE id = ? AND lease_owner = ? AND state = 'pending'`,
  failJob: `UPDATE paymount_hook_jobs
       SET state = CASE WHEN @next IS NULL THEN 'dead' ELSE 'pending' END,
           attempts = attempts + 1,
           next_attempt_at = COALESCE(@next, next_attempt_at),
           last_error = @error, lease_owner = NULL, lease_until = 0
       WHERE id = @id AND lease_owner = @owner AND state = 'pending'`,
  replayJob: `UPDATE paymount_hook_jobs SET state = 'pending', attempts = 0, next_attempt_at = ?
       WHERE id = ? AND state = 'dead'`,
  // Each sub-select reads one partial index, so done jobs (the bulk) are never walked.
  countJobs: `SELECT
         (SELECT count(*) FROM paymount_hook_jobs WHERE state = 'pending') AS pending,
         (SELECT min(created_at) FROM paymount_hook_jobs WHERE state = 'pending') AS oldest,
         (SELECT count(*) FROM paymount_hook_jobs WHERE state = 'dead') AS dead`,
} as const;

const SQL = { ...PAYMENT_SQL, ...WORK_SQL };

/** Every statement the store runs, by name. */
export type Statements = { readonly [K in keyof typeof SQL]: BetterSqlite3.Statement };

/** Prepares every statement the store runs, once, when it opens. */
export function prepareStatements(db: BetterSqlite3.Database): Statements {
  const prepared: Partial<Record<keyof typeof SQL, BetterSqlite3.Statement>> = {};
  for (const name of Object.keys(SQL) as (keyof typeof SQL)[]) prepared[name] = db.prepare(SQL[name]);
  return prepared as Statements;
}
