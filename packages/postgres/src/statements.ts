import { CHECKABLE_STATUSES, HOOK_JOB_COLUMNS, PAYMENT_COLUMNS } from '@paymount/core/store';

export const LIVE = `status IN ('created', 'pending')`;
const CHECKABLE = `status IN (${CHECKABLE_STATUSES.map((s) => `'${s}'`).join(', ')})`;

const placeholders = (count: number, offset = 0): string =>
  Array.from({ length: count }, (_, i) => `$${i + 1 + offset}`).join(', ');

/** The payment statements of one schema (`s` is the quoted schema name). */
export function paymentStatements(s: string) {
  const paymentColumns = PAYMENT_COLUMNS.join(', ');
  return {
    selectPayments: `SELECT ${paymentColumns} FROM ${s}.payments`,
    insertPayment: `
      INSERT INTO ${s}.payments (${paymentColumns}, next_check_at)
      VALUES (${placeholders(PAYMENT_COLUMNS.length + 1)})
      ON CONFLICT (order_id, provider) WHERE ${LIVE} DO NOTHING
      RETURNING id`,
    selectBinding: `SELECT payment_id FROM ${s}.provider_refs WHERE provider = $1 AND provider_ref = $2`,
    // SKIP LOCKED: rows another instance is claiming right now are left to it;
    // rows it has claimed carry a lease in the future and no longer match.
    claimChecks: `
      UPDATE ${s}.payments p SET check_owner = $3, check_lease_until = $4
      FROM (
        SELECT id FROM ${s}.payments
        WHERE next_check_at IS NOT NULL AND next_check_at <= $1 AND check_lease_until <= $1 AND ${CHECKABLE}
        ORDER BY next_check_at LIMIT $2
        FOR UPDATE SKIP LOCKED
      ) due
      WHERE p.id = due.id
      RETURNING ${PAYMENT_COLUMNS.map((c) => `p.${c}`).join(', ')}, p.next_check_at`,
    scheduleCheck: `
      UPDATE ${s}.payments
      SET next_check_at = CASE WHEN ${CHECKABLE} THEN $2::bigint ELSE NULL END,
          check_owner = NULL, check_lease_until = 0
      WHERE id = $1 AND (check_owner IS NULL OR check_owner = $3)`,
    checkAllLive: `
      UPDATE ${s}.payments SET next_check_at = $1
      WHERE ${LIVE} AND (next_check_at IS NULL OR next_check_at > $1)`,
  };
}

/** The hook outbox statements of one schema. */
export function jobStatements(s: string) {
  const jobColumns = HOOK_JOB_COLUMNS.join(', ');
  return {
    jobColumns,
    // Outbox rows written outside a transition (a refund's onRefunded); a transition writes its own in one statement.
    insertJobs: (count: number): string => {
      const rows = Array.from(
        { length: count },
        (_, i) => `(${placeholders(HOOK_JOB_COLUMNS.length, i * HOOK_JOB_COLUMNS.length)})`,
      );
      return `INSERT INTO ${s}.hook_jobs (${jobColumns}) VALUES ${rows.join(', ')} ON CONFLICT (id) DO NOTHING`;
    },
    claimJobs: `
      UPDATE ${s}.hook_jobs j SET lease_owner = $3, lease_until = $4
      FROM (
        SELECT id FROM ${s}.hook_jobs
        WHERE state = 'pending' AND next_attempt_at <= $1 AND lease_until <= $1
        ORDER BY next_attempt_at, seq LIMIT $2
        FOR UPDATE SKIP LOCKED
      ) due
      WHERE j.id = due.id
      RETURNING ${HOOK_JOB_COLUMNS.map((c) => `j.${c}`).join(', ')}, j.seq`,
    completeJob: `
      UPDATE ${s}.hook_jobs
      SET state = 'done', attempts = attempts + 1, last_error = NULL, lease_owner = NULL, lease_until = 0
      WHERE id = $1 AND lease_owner = $2 AND state = 'pending'`,
    failJob: `
      UPDATE ${s}.hook_jobs
      SET state = CASE WHEN $4::bigint IS NULL THEN 'dead' ELSE 'pending' END,
          attempts = attempts + 1,
          next_attempt_at = COALESCE($4::bigint, next_attempt_at),
          last_error = $3, lease_owner = NULL, lease_until = 0
      WHERE id = $1 AND lease_owner = $2 AND state = 'pending'`,
    replayJob: `
      UPDATE ${s}.hook_jobs SET state = 'pending', attempts = 0, next_attempt_at = $2
      WHERE id = $1 AND state = 'dead'`,
    // Each sub-select reads one partial index, so done jobs (the bulk) are never walked.
    countJobs: `
      SELECT (SELECT count(*) FROM ${s}.hook_jobs WHERE state = 'pending')::int AS pending,
             (SELECT min(created_at) FROM ${s}.hook_jobs WHERE state = 'pending') AS oldest,
             (SELECT count(*) FROM ${s}.hook_jobs WHERE state = 'dead')::int AS dead`,
  };
}
