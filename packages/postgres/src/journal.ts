import {
  type JournalEntry,
  type JournalPage,
  type JournalQuery,
  type JournalRow,
  journalPageFromRows,
} from '@paymount/core/store';
import type pg from 'pg';

/** The journal's table (`{schema}` is the quoted schema): `seq` is insertion order. */
export const JOURNAL_MIGRATION = {
  name: 'payment journal',
  sql: `
    CREATE TABLE {schema}.journal (
      seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id         TEXT NOT NULL UNIQUE,
      payment_id TEXT,
      provider   TEXT,
      at         TEXT NOT NULL,
      type       TEXT NOT NULL,
      data       JSONB NOT NULL
    );
    CREATE INDEX journal_payment ON {schema}.journal (payment_id, seq);
    CREATE INDEX journal_at ON {schema}.journal (at);
  `,
} as const;

/** The journal's columns, in the order of {@link journalColumnArrays}. */
export const JOURNAL_COLUMNS = ['id', 'payment_id', 'provider', 'at', 'type', 'data'] as const;

/** Entries as one array per column (the data as JSON text), for an `unnest` insert. */
export function journalColumnArrays(entries: readonly JournalEntry[]): unknown[][] {
  return [
    entries.map((e) => e.id),
    entries.map((e) => e.paymentId),
    entries.map((e) => e.provider),
    entries.map((e) => e.at),
    entries.map((e) => e.type),
    entries.map((e) => JSON.stringify(e.data)),
  ];
}

/** Something that runs a statement: a pooled query or a client inside a transaction. */
type Run = (text: string, values: unknown[]) => Promise<pg.QueryResult>;

/** The journal's statements for the schema `s` (already quoted). */
export function postgresJournal(s: string) {
  return {
    /**
     * Appends entries with one statement, one array per column, so its text is the same for
     * any number of entries. A transition writes its own entries in its statement
     * (transition.ts).
     */
    async append(run: Run, entries: readonly JournalEntry[]): Promise<void> {
      if (entries.length === 0) return;
      await run(
        `INSERT INTO ${s}.journal (id, payment_id, provider, at, type, data)
         SELECT id, payment_id, provider, at, type, data::jsonb
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
           AS e (id, payment_id, provider, at, type, data)
         ON CONFLICT (id) DO NOTHING`,
        journalColumnArrays(entries),
      );
    },

    async list(run: Run, query: JournalQuery & { readonly limit: number }): Promise<JournalPage> {
      const desc = query.order !== 'asc';
      const where: string[] = [];
      const values: unknown[] = [];
      const filter = (column: string, op: string, value: unknown): void => {
        if (value === undefined) return;
        values.push(value);
        where.push(`${column} ${op} $${values.length}`);
      };
      filter('payment_id', '=', query.paymentId);
      filter('provider', '=', query.provider);
      filter('type', '=', query.type);
      filter('at', '>=', query.since);
      filter('at', '<', query.until);
      filter('seq', desc ? '<' : '>', query.cursor === undefined ? undefined : query.cursor);
      values.push(query.limit + 1);
      const result = await run(
        `SELECT seq, id, payment_id, provider, at, type, data FROM ${s}.journal
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY seq ${desc ? 'DESC' : 'ASC'} LIMIT $${values.length}`,
        values,
      );
      const rows = result.rows as JournalRow[];
      return journalPageFromRows(rows, query.limit);
    },

    async prune(run: Run, before: string): Promise<number> {
      const result = await run(`DELETE FROM ${s}.journal WHERE at < $1`, [before]);
      return result.rowCount ?? 0;
    },
  };
}
