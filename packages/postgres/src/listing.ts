import {
  PAYMENT_COLUMNS,
  type Payment,
  type PaymentCount,
  type PaymentListing,
  type PaymentRow,
  paymentFromRow,
} from '@paymount/core/store';
import type pg from 'pg';

/**
 * The indexes the operator's listings read (`{schema}` is the quoted schema): newest first
 * overall and per status, and a search by provider reference (order ids and payment ids
 * have theirs already). Ids are ordered `COLLATE "C"`, as the listing compares them, so
 * the order is the same whatever the database's collation.
 */
export const LISTING_MIGRATION = {
  name: 'payment listing indexes',
  sql: `
    CREATE INDEX IF NOT EXISTS payments_created ON {schema}.payments (created_at, (id COLLATE "C"));
    CREATE INDEX IF NOT EXISTS payments_status_created
      ON {schema}.payments (status, created_at, (id COLLATE "C"));
    CREATE INDEX IF NOT EXISTS payments_provider_ref
      ON {schema}.payments (provider_ref) WHERE provider_ref IS NOT NULL;
  `,
} as const;

/** Something that runs a statement on the pool. */
type Run = (text: string, values: unknown[]) => Promise<pg.QueryResult>;

/** The listing reads of the schema `s` (already quoted). */
export function postgresListing(s: string) {
  return {
    async list(run: Run, listing: PaymentListing): Promise<Payment[]> {
      const where: string[] = [];
      const values: unknown[] = [];
      const param = (value: unknown): string => {
        values.push(value);
        return `$${values.length}`;
      };
      if (listing.statuses.length > 0) where.push(`status = ANY(${param(listing.statuses)}::text[])`);
      if (listing.provider !== undefined) where.push(`provider = ${param(listing.provider)}`);
      if (listing.search !== undefined) {
        const search = param(listing.search);
        where.push(`(id = ${search} OR order_id = ${search} OR provider_ref = ${search})`);
      }
      if (listing.createdSince !== undefined)
        where.push(`created_at >= ${param(listing.createdSince)}::timestamptz`);
      if (listing.createdUntil !== undefined)
        where.push(`created_at < ${param(listing.createdUntil)}::timestamptz`);
      if (listing.after) {
        const at = param(listing.after.createdAt);
        const id = param(listing.after.id);
        where.push(
          `(created_at < ${at}::timestamptz OR (created_at = ${at}::timestamptz AND id COLLATE "C" < ${id}))`,
        );
      }
      const limit = param(listing.limit);
      const result = await run(
        `SELECT ${PAYMENT_COLUMNS.join(', ')} FROM ${s}.payments
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY created_at DESC, id COLLATE "C" DESC LIMIT ${limit}`,
        values,
      );
      return (result.rows as PaymentRow[]).map(paymentFromRow);
    },

    async count(
      run: Run,
      window: { readonly since: string; readonly until?: string },
    ): Promise<PaymentCount[]> {
      const until = window.until === undefined ? '' : 'AND created_at < $2::timestamptz';
      const result = await run(
        `SELECT status, provider, COUNT(*)::int AS count FROM ${s}.payments
         WHERE created_at >= $1::timestamptz ${until} GROUP BY status, provider`,
        window.until === undefined ? [window.since] : [window.since, window.until],
      );
      return result.rows as PaymentCount[];
    },
  };
}
