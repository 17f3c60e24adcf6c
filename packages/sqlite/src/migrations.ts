import { PaymentsError } from '@paymount/core/store';
import type { Database } from 'better-sqlite3';
import { JOURNAL_MIGRATION } from './journal.js';
import { LISTING_MIGRATION } from './listing.js';
import { REFUNDS_MIGRATION, REFUNDS_SCHEMA_VERSION } from './refunds.js';

/** One schema change. Versions only grow; a released migration is never edited, only followed. */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The schema version that adds the indexes `countHookJobs` reads. */
const HOOK_COUNTS_MIGRATION_VERSION = 6;

// Tables carry a `paymount_` prefix so they can share a database file with the shop's own tables.
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'payments, hook outbox and callback events',
    sql: `
      CREATE TABLE paymount_payments (
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
        metadata          TEXT NOT NULL DEFAULT '{}',
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL,
        paid_at           TEXT,
        version           INTEGER NOT NULL,
        next_check_at     INTEGER,
        check_owner       TEXT,
        check_lease_until INTEGER NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX paymount_payments_one_live
        ON paymount_payments (order_id, provider) WHERE status IN ('created', 'pending');
      CREATE INDEX paymount_payments_order ON paymount_payments (order_id);
      CREATE INDEX paymount_payments_due_check
        ON paymount_payments (next_check_at) WHERE next_check_at IS NOT NULL;

      CREATE TABLE paymount_hook_jobs (
        id              TEXT PRIMARY KEY,
        payment_id      TEXT NOT NULL REFERENCES paymount_payments (id),
        hook            TEXT NOT NULL,
        from_status     TEXT NOT NULL,
        to_status       TEXT NOT NULL,
        payment         TEXT NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('pending', 'done', 'dead')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT,
        created_at      INTEGER NOT NULL,
        lease_owner     TEXT,
        lease_until     INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX paymount_hook_jobs_due
        ON paymount_hook_jobs (next_attempt_at) WHERE state = 'pending';
      CREATE INDEX paymount_hook_jobs_payment ON paymount_hook_jobs (payment_id);

      CREATE TABLE paymount_events (
        key        TEXT PRIMARY KEY,
        payment_id TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'one paid payment per order, one payment per provider order',
    // A file written before this version may hold what the version forbids: the later
    // paid payments of one order become the anomaly paid_twice they always were (no hook
    // runs for them), and a provider reference held by several payments stays bound to the
    // oldest one.
    sql: `
      UPDATE paymount_payments
      SET status = 'anomaly', anomaly = 'paid_twice', version = version + 1,
          updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
      WHERE status = 'paid' AND EXISTS (
        SELECT 1 FROM paymount_payments earlier
        WHERE earlier.order_id = paymount_payments.order_id AND earlier.status = 'paid'
          AND earlier.rowid < paymount_payments.rowid
      );
      CREATE UNIQUE INDEX paymount_payments_one_paid
        ON paymount_payments (order_id) WHERE status = 'paid';

      CREATE TABLE paymount_provider_refs (
        provider     TEXT NOT NULL,
        provider_ref TEXT NOT NULL,
        payment_id   TEXT NOT NULL REFERENCES paymount_payments (id),
        created_at   INTEGER NOT NULL,
        PRIMARY KEY (provider, provider_ref)
      );
      INSERT OR IGNORE INTO paymount_provider_refs (provider, provider_ref, payment_id, created_at)
        SELECT provider, provider_ref, id, 0 FROM paymount_payments
        WHERE provider_ref IS NOT NULL ORDER BY rowid;
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
      CREATE INDEX IF NOT EXISTS paymount_hook_jobs_dead ON paymount_hook_jobs (created_at) WHERE state = 'dead';
      CREATE INDEX IF NOT EXISTS paymount_hook_jobs_pending_age ON paymount_hook_jobs (created_at) WHERE state = 'pending';
    `,
  },
];

/** The schema version this build of @paymount/sqlite writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the database up to {@link SCHEMA_VERSION} in one IMMEDIATE transaction, so
 * several processes opening the same file at once migrate it exactly once. Refuses a
 * database written by a newer paymount: running old code on it could lose data.
 */
export function migrate(
  db: Database,
  // Only the upgrade tests stop early, to build a database as an older release left it.
  targetVersion = SCHEMA_VERSION,
): void {
  db.transaction(() => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS paymount_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        applied_at TEXT NOT NULL
      )
    `);
    const row = db.prepare('SELECT MAX(version) AS version FROM paymount_migrations').get() as {
      version: number | null;
    };
    const current = row.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new PaymentsError(
        'store_error',
        `This database has paymount schema version ${current}, but this @paymount/sqlite only knows up to ` +
          `version ${SCHEMA_VERSION}. It was written by a newer paymount: upgrade @paymount/sqlite.`,
        { details: { schemaVersion: current, supportedVersion: SCHEMA_VERSION } },
      );
    }
    const record = db.prepare('INSERT INTO paymount_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of MIGRATIONS) {
      if (migration.version <= current || migration.version > targetVersion) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }
  }).immediate();
}
