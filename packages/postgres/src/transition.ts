import {
  HOOK_JOB_COLUMNS,
  hookJobToColumns,
  isLive,
  PAYMENT_COLUMNS,
  paymentToColumns,
  providerRefTaken,
  type TransitionWrite,
} from '@paymount/core/store';
import type pg from 'pg';
import { JOURNAL_COLUMNS, journalColumnArrays } from './journal.js';

/** The element type of each hook job column, as the statement's arrays are cast. */
const JOB_TYPES: Readonly<Record<(typeof HOOK_JOB_COLUMNS)[number], string>> = {
  id: 'text',
  payment_id: 'text',
  hook: 'text',
  from_status: 'text',
  to_status: 'text',
  payment: 'jsonb',
  state: 'text',
  attempts: 'integer',
  next_attempt_at: 'bigint',
  last_error: 'text',
  created_at: 'bigint',
};

/**
 * The whole transition as one statement, so it costs one round trip and commits on its
 * own (a single statement is atomic): lock the row at the expected version (`old`), bind
 * a provider reference the payment did not hold yet (`bound`: on conflict the existing
 * binding is "updated" to itself so it names its holder), move the payment only when
 * that binding is its own (`moved`), then the outbox rows, journal entries and the
 * callback's dedupe key (`remembered`), written only when the payment moved. Jobs and
 * entries arrive as one array per column, so the text is the same for any number of them.
 * The unique index on paid payments still refuses a second paid payment of an order: the
 * statement then fails whole, and nothing is written.
 */
function transitionSql(s: string): string {
  const n = PAYMENT_COLUMNS.length;
  const p = (column: (typeof PAYMENT_COLUMNS)[number]): string => `$${PAYMENT_COLUMNS.indexOf(column) + 1}`;
  const expected = `$${n + 1}::integer`;
  const live = `$${n + 2}::boolean`;
  const setCheck = `$${n + 3}::boolean`;
  const nextCheck = `$${n + 4}::bigint`;
  const now = `$${n + 5}::bigint`;
  const jobArrays = HOOK_JOB_COLUMNS.map(
    (c, i) => `$${n + 6 + i}::${JOB_TYPES[c] === 'jsonb' ? 'text' : JOB_TYPES[c]}[]`,
  );
  const journalAt = n + 6 + HOOK_JOB_COLUMNS.length;
  const journalArrays = JOURNAL_COLUMNS.map((_, i) => `$${journalAt + i}::text[]`);
  const keepsClaim = `(${setCheck} AND ${nextCheck} IS NOT NULL) OR (NOT ${setCheck} AND ${live})`;
  const updateColumns = PAYMENT_COLUMNS.slice(1)
    .map((column) => `${column} = ${p(column)}`)
    .join(', ');
  const ref = `${p('provider_ref')}::text`;
  const jobSelect = HOOK_JOB_COLUMNS.map((c) => (JOB_TYPES[c] === 'jsonb' ? `${c}::jsonb` : c)).join(', ');
  return `
    WITH old AS (
      SELECT id, provider_ref FROM ${s}.payments WHERE id = $1 AND version = ${expected} FOR UPDATE
    ), bound AS (
      INSERT INTO ${s}.provider_refs (provider, provider_ref, payment_id, created_at)
      SELECT ${p('provider')}::text, ${ref}, old.id, ${now} FROM old
      WHERE ${ref} IS NOT NULL AND old.provider_ref IS DISTINCT FROM ${ref}
      ON CONFLICT (provider, provider_ref) DO UPDATE SET provider = EXCLUDED.provider
      RETURNING payment_id
    ), moved AS (
      UPDATE ${s}.payments pay SET ${updateColumns},
        next_check_at = CASE WHEN ${setCheck} THEN ${nextCheck} WHEN ${live} THEN pay.next_check_at ELSE NULL END,
        check_owner = CASE WHEN ${keepsClaim} THEN pay.check_owner ELSE NULL END,
        check_lease_until = CASE WHEN ${keepsClaim} THEN pay.check_lease_until ELSE 0 END
      FROM old WHERE pay.id = old.id AND NOT EXISTS (SELECT 1 FROM bound WHERE bound.payment_id <> old.id)
      RETURNING pay.id
    ), jobs AS (
      INSERT INTO ${s}.hook_jobs (${HOOK_JOB_COLUMNS.join(', ')})
      SELECT ${jobSelect} FROM unnest(${jobArrays.join(', ')}) AS j (${HOOK_JOB_COLUMNS.join(', ')})
      WHERE EXISTS (SELECT 1 FROM moved)
      ON CONFLICT (id) DO NOTHING
    ), entries AS (
      INSERT INTO ${s}.journal (${JOURNAL_COLUMNS.join(', ')})
      SELECT id, payment_id, provider, at, type, data::jsonb
      FROM unnest(${journalArrays.join(', ')}) AS e (${JOURNAL_COLUMNS.join(', ')})
      WHERE EXISTS (SELECT 1 FROM moved)
      ON CONFLICT (id) DO NOTHING
    ), remembered AS (
      INSERT INTO ${s}.events (key, payment_id, created_at)
      SELECT $${journalAt + JOURNAL_COLUMNS.length}::text, $1, ${now}
      WHERE $${journalAt + JOURNAL_COLUMNS.length}::text IS NOT NULL AND EXISTS (SELECT 1 FROM moved)
      ON CONFLICT (key) DO NOTHING
    )
    SELECT EXISTS (SELECT 1 FROM moved) AS moved, (SELECT payment_id FROM bound) AS holder`;
}

/** The parameters of {@link transitionSql}: the payment's columns, the check queue, then one array per column. */
function transitionValues(write: TransitionWrite): unknown[] {
  const next = write.payment;
  const columns = paymentToColumns(next);
  const jobs = write.jobs.map(hookJobToColumns);
  return [
    ...PAYMENT_COLUMNS.map((name) => columns[name]),
    write.expectedVersion,
    isLive(next),
    write.nextCheckAt !== undefined,
    write.nextCheckAt ?? null,
    Date.now(),
    ...HOOK_JOB_COLUMNS.map((c) => jobs.map((job) => job[c])),
    ...journalColumnArrays(write.journal ?? []),
    write.rememberEvent ?? null,
  ];
}

/** True for the unique violation by which the database refuses a second paid payment of one order. */
const isSecondPaid = (error: unknown): boolean =>
  (error as { code?: unknown; constraint?: unknown } | null)?.code === '23505' &&
  (error as { constraint?: unknown }).constraint === 'payments_one_paid';

/**
 * Stores a transition in one round trip (see {@link transitionSql}); resolves to false when
 * the version moved on or the order already has a paid payment, with nothing stored, and
 * throws `provider_ref_taken` when the reference is bound to another payment.
 */
/** Runs one statement: on the pool, or on a connection inside a caller's transaction. */
export type RunStatement = <R extends pg.QueryResultRow>(
  text: string,
  values: unknown[],
) => Promise<pg.QueryResult<R>>;

/**
 * The transition of schema `s` as one statement, run by `run`: on the pool it commits on
 * its own; on a connection inside a transaction (a refund's) it joins that transaction.
 */
export function postgresTransition(s: string) {
  const text = transitionSql(s);
  return async (run: RunStatement, write: TransitionWrite): Promise<boolean> => {
    let row: { moved: boolean; holder: string | null } | undefined;
    try {
      const result = await run<{ moved: boolean; holder: string | null }>(text, transitionValues(write));
      row = result.rows[0];
    } catch (error) {
      if (isSecondPaid(error)) return false;
      throw error;
    }
    if (row?.moved) return true;
    if (row?.holder && row.holder !== write.payment.id) throw providerRefTaken(write.payment, row.holder);
    return false;
  };
}
