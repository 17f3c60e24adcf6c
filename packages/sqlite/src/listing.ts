import {
  PAYMENT_COLUMNS,
  type Payment,
  type PaymentCount,
  type PaymentListing,
  type PaymentRow,
  paymentFromRow,
} from '@paymount/core/store';
import type { Database, Statement } from 'better-sqlite3';

/**
 * The indexes the operator's listings read: newest first overall and per status, and a
 * search by provider reference (order ids and payment ids have theirs already). Created
 * only when missing, so a file whose indexes someone made by hand still upgrades.
 */
export const LISTING_MIGRATION = {
  name: 'payment listing indexes',
  sql: `
    CREATE INDEX IF NOT EXISTS paymount_payments_created ON paymount_payments (created_at, id);
    CREATE INDEX IF NOT EXISTS paymount_payments_status_created
      ON paymount_payments (status, created_at, id);
    CREATE INDEX IF NOT EXISTS paymount_payments_provider_ref
      ON paymount_payments (provider_ref) WHERE provider_ref IS NOT NULL;
  `,
} as const;

/** The listing reads of an open, migrated database. */
export interface SqliteListing {
  list(listing: PaymentListing): Payment[];
  count(window: { readonly since: string; readonly until?: string }): PaymentCount[];
}

/**
 * Listings on one database. `created_at` is ISO 8601 text of one width
 * (`Date#toISOString()`), so text order is time order; ids compare as bytes (BINARY).
 */
export function sqliteListing(db: Database): SqliteListing {
  // One prepared statement per query shape (which filters are set), made on first use.
  const prepared = new Map<string, Statement>();
  const statement = (sql: string): Statement => {
    let found = prepared.get(sql);
    if (!found) {
      found = db.prepare(sql);
      prepared.set(sql, found);
    }
    return found;
  };
  return {
    list(listing) {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: listing.limit };
      if (listing.statuses.length > 0) {
        where.push(`status IN (${listing.statuses.map((_, i) => `@status${i}`).join(', ')})`);
        listing.statuses.forEach((status, i) => {
          params[`status${i}`] = status;
        });
      }
      const filter = (condition: string, name: string, value: unknown): void => {
        if (value === undefined) return;
        where.push(condition);
        params[name] = value;
      };
      filter('provider = @provider', 'provider', listing.provider);
      filter('(id = @search OR order_id = @search OR provider_ref = @search)', 'search', listing.search);
      filter('created_at >= @since', 'since', listing.createdSince);
      filter('created_at < @until', 'until', listing.createdUntil);
      if (listing.after) {
        where.push('(created_at < @afterAt OR (created_at = @afterAt AND id < @afterId))');
        params['afterAt'] = listing.after.createdAt;
        params['afterId'] = listing.after.id;
      }
      const sql = `SELECT ${PAYMENT_COLUMNS.join(', ')} FROM paymount_payments
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT @limit`;
      return (statement(sql).all(params) as PaymentRow[]).map(paymentFromRow);
    },
    count(window) {
      const until = window.until === undefined ? '' : 'AND created_at < @until';
      const sql = `SELECT status, provider, COUNT(*) AS count FROM paymount_payments
        WHERE created_at >= @since ${until} GROUP BY status, provider`;
      return statement(sql).all(window) as PaymentCount[];
    },
  };
}
