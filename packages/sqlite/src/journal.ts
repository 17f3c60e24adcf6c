import {
  type JournalEntry,
  type JournalPage,
  type JournalQuery,
  type JournalRow,
  journalPageFromRows,
} from '@paymount/core/store';
import type { Database, Statement } from 'better-sqlite3';

/** The journal's table: insertion order is `seq`; a payment's history and time ranges have indexes. */
export const JOURNAL_MIGRATION = {
  name: 'payment journal',
  sql: `
    CREATE TABLE paymount_journal (
      seq        INTEGER PRIMARY KEY AUTOINCREMENT,
      id         TEXT NOT NULL UNIQUE,
      payment_id TEXT,
      provider   TEXT,
      at         TEXT NOT NULL,
      type       TEXT NOT NULL,
      data       TEXT NOT NULL
    );
    CREATE INDEX paymount_journal_payment ON paymount_journal (payment_id, seq);
    CREATE INDEX paymount_journal_at ON paymount_journal (at);
  `,
} as const;

/** The journal's reads and writes on one database. `append` joins the caller's transaction. */
export interface SqliteJournal {
  append(entries: readonly JournalEntry[]): void;
  list(query: JournalQuery & { readonly limit: number }): JournalPage;
  prune(before: string): number;
}

/** The journal of an open, migrated database. */
export function sqliteJournal(db: Database): SqliteJournal {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO paymount_journal (id, payment_id, provider, at, type, data)
     VALUES (@id, @payment_id, @provider, @at, @type, @data)`,
  );
  const prune = db.prepare('DELETE FROM paymount_journal WHERE at < ?');
  // One prepared statement per query shape (which filters are set), made on first use.
  const listings = new Map<string, Statement>();
  const listing = (sql: string): Statement => {
    let statement = listings.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      listings.set(sql, statement);
    }
    return statement;
  };
  return {
    append(entries) {
      for (const entry of entries) {
        insert.run({
          id: entry.id,
          payment_id: entry.paymentId,
          provider: entry.provider,
          at: entry.at,
          type: entry.type,
          data: JSON.stringify(entry.data),
        });
      }
    },
    list(query) {
      const desc = query.order !== 'asc';
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: query.limit + 1 };
      const filter = (column: string, op: string, name: string, value: unknown): void => {
        if (value === undefined) return;
        where.push(`${column} ${op} @${name}`);
        params[name] = value;
      };
      filter('payment_id', '=', 'payment', query.paymentId);
      filter('provider', '=', 'provider', query.provider);
      filter('type', '=', 'type', query.type);
      filter('at', '>=', 'since', query.since);
      filter('at', '<', 'until', query.until);
      filter(
        'seq',
        desc ? '<' : '>',
        'cursor',
        query.cursor === undefined ? undefined : Number(query.cursor),
      );
      const sql = `SELECT seq, id, payment_id, provider, at, type, data FROM paymount_journal
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY seq ${desc ? 'DESC' : 'ASC'} LIMIT @limit`;
      const rows = listing(sql).all(params) as JournalRow[];
      return journalPageFromRows(rows, query.limit);
    },
    prune(before) {
      return prune.run(before).changes;
    },
  };
}
