import { createHash } from 'node:crypto';
import { PaymentsError } from '@paymount/core/store';
import type { PoolClient } from 'pg';
import { JOURNAL_MIGRATION } from './journal.js';
import { LISTING_MIGRATION } from './listing.js';
import { REFUNDS_MIGRATION, REFUNDS_SCHEMA_VERSION } from './refunds.js';

/** One schema change. Versions only grow; a released migration is never edited, only followed. */
interface Migration {
  readonly version: number;
  readonly name: string;
  /** SQL with `{schema}` standing for the quoted schema name. */
  readonly sql: string;
}

/** The schema version that adds the indexes `countHookJobs` reads. */
const HOOK_COUNTS_MIGRATION_VERSION = 6;

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'payments, hook outbox and callback events',
    sql: `
      CREATE TABLE {schema}.payments (
        seq               BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
        id                TEXT PRIMARY KEY,
        order_id          TEXT NOT NULL,
        provider          TEXT NOT NULL,
        amount            TEXT NOT NULL,
        currency          TEXT NOT NULL,
        status            TEXT NOT NULL
          CHECK (status IN ('created', 'pending', 'paid', 'expired', 'failed', 'anomaly', 'refunded')),
        provider_ref      TEXT,
        pay_url           TEXT,
        provider_status   TEXT,
        paid_amount       TEXT,
        paid_currency     TEXT,
        anomaly           TEXT,
        description       TEXT,
        metadata          JSONB NOT NULL DEFAULT '{}',
        created_at        TIMESTAMPTZ NOT NULL,
        updated_at        TIMESTAMPTZ NOT NULL,
        paid_at           TIMESTAMPTZ,
        version           INTEGER NOT NULL,
        next_check_at     BIGINT,
        check_owner       TEXT,
        check_lease_until BIGINT NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX payments_one_live
        ON {schema}.payments (order_id, provider) WHERE status IN ('created', 'pending');
      CREATE INDEX payments_order ON {schema}.payments (order_id);
      CREATE INDEX payments_due_check ON {schema}.payments (next_check_at) WHERE next_check_at IS NOT NULL;

      CREATE TABLE {schema}.hook_jobs (
        seq             BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
        id              TEXT PRIMARY KEY,
        payment_id      TEXT NOT NULL REFERENCES {schema}.payments (id),
        hook            TEXT NOT NULL,
        from_status     TEXT NOT NULL,
        to_status       TEXT NOT NULL,
        payment         JSONB NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('pending', 'done', 'dead')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        last_error      TEXT,
        created_at      BIGINT NOT NULL,
        lease_owner     TEXT,
        lease_until     BIGINT NOT NULL DEFAULT 0
      );
      CREATE INDEX hook_jobs_due ON {schema}.hook_jobs (next_attempt_at) WHERE state = 'pending';
      CREATE INDEX hook_jobs_payment ON {schema}.hook_jobs (payment_id);

      CREATE TABLE {schema}.events (
        key        TEXT PRIMARY KEY,
        payment_id TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'one paid payment per order, one payment per provider order',
    // A schema written before this version may hold what the version forbids: the later
    // paid payments of one order become the anomaly paid_twice they always were (no hook
    // runs for them), and a provider reference held by several payments stays bound to the
    // oldest one.
    sql: `
      UPDATE {schema}.payments p
      SET status = 'anomaly', anomaly = 'paid_twice', version = p.version + 1, updated_at = now()
      WHERE p.status = 'paid' AND EXISTS (
        SELECT 1 FROM {schema}.payments earlier
        WHERE earlier.order_id = p.order_id AND earlier.status = 'paid' AND earlier.seq < p.seq
      );
      CREATE UNIQUE INDEX payments_one_paid ON {schema}.payments (order_id) WHERE status = 'paid';

      CREATE TABLE {schema}.provider_refs (
        provider     TEXT NOT NULL,
        provider_ref TEXT NOT NULL,
        payment_id   TEXT NOT NULL REFERENCES {schema}.payments (id),
        created_at   BIGINT NOT NULL,
        PRIMARY KEY (provider, provider_ref)
      );
      INSERT INTO {schema}.provider_refs (provider, provider_ref, payment_id, created_at)
        SELECT provider, provider_ref, id, 0 FROM {schema}.payments
        WHERE provider_ref IS NOT NULL ORDER BY seq
        ON CONFLICT DO NOTHING;
    `,
  },
  { version: 3, ...JOURNAL_MIGRATION },
  { version: 4, ...LISTING_MIGRATION },
  { version: REFUNDS_SCHEMA_VERSION, ...REFUNDS_MIGRATION },
  {
    // One constant, so the version can be renumbered in one line when another migration lands first;
    // IF NOT EXISTS: a test that rolls a database back to an older version leaves these behind.
    version: HOOK_COUNTS_MIGRATION_VERSION,
    name: 'index of dead hook jobs, for countHookJobs',
    sql: `
      CREATE INDEX IF NOT EXISTS hook_jobs_dead ON {schema}.hook_jobs (created_at) WHERE state = 'dead';
      CREATE INDEX IF NOT EXISTS hook_jobs_pending_age ON {schema}.hook_jobs (created_at) WHERE state = 'pending';
    `,
  },
];

/** The schema version this build of @paymount/postgres writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

// First half of the advisory lock key: "pmnt" in ASCII, so paymount's locks are recognisable in pg_locks.
const LOCK_CLASS = 0x706d6e74;

/** The second half of the advisory lock key: one lock per schema, so separate schemas migrate independently. */
function lockKey(schema: string): number {
  return createHash('sha256').update(schema).digest().readInt32BE(0);
}

/**
 * Brings `schema` up to {@link SCHEMA_VERSION} in one transaction under a
 * transaction-level advisory lock: instances starting together wait for each other,
 * and the later ones find nothing left to do. Refuses a schema written by a newer
 * paymount, whose data old code could damage.
 */
export async function migrate(
  client: PoolClient,
  schema: string,
  quotedSchema: string,
  // Only the upgrade tests stop early, to build a schema as an older release left it.
  targetVersion = SCHEMA_VERSION,
): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, lockKey(schema)]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quotedSchema}`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${quotedSchema}.migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )
    `);
    const result = await client.query<{ version: number }>(
      `SELECT COALESCE(MAX(version), 0)::int AS version FROM ${quotedSchema}.migrations`,
    );
    const current = result.rows[0]?.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new PaymentsError(
        'store_error',
        `The PostgreSQL schema "${schema}" has paymount schema version ${current}, but this ` +
          `@paymount/postgres only knows up to version ${SCHEMA_VERSION}. It was written by a newer ` +
          'paymount: upgrade @paymount/postgres on every instance.',
        { details: { schema, schemaVersion: current, supportedVersion: SCHEMA_VERSION } },
      );
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current || migration.version > targetVersion) continue;
      await client.query(migration.sql.replaceAll('{schema}', quotedSchema));
      await client.query(`INSERT INTO ${quotedSchema}.migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
