import { LIMITS } from '../config/defaults.js';
import type { PaymentCount, PaymentListing, PaymentListQuery, PaymentPage } from '../contracts/store.js';
import { PaymentsError } from '../domain/errors.js';
import { PAYMENT_STATUSES, type Payment, type PaymentStatus } from '../domain/payment.js';
import type { EngineContext } from './context.js';

const invalid = (message: string): PaymentsError => new PaymentsError('invalid_request', message);

/** An ISO 8601 date as the stores compare it (`Date#toISOString()`), or `invalid_request`. */
function isoDate(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    throw invalid(`"${name}" must be an ISO 8601 date or time, not ${JSON.stringify(value)}.`);
  return new Date(time).toISOString();
}

function statusesOf(status: PaymentListQuery['status']): PaymentStatus[] {
  if (status === undefined) return [];
  const list: readonly unknown[] = Array.isArray(status) ? status : [status];
  for (const item of list) {
    if (!PAYMENT_STATUSES.includes(item as PaymentStatus)) {
      throw invalid(`"status" must be one of ${PAYMENT_STATUSES.join(', ')}; got ${JSON.stringify(item)}.`);
    }
  }
  return [...new Set(list as PaymentStatus[])];
}

function limitOf(limit: number | undefined): number {
  if (limit === undefined) return LIMITS.paymentPageDefault;
  if (!Number.isInteger(limit) || limit < 1)
    throw invalid(`"limit" must be a whole number from 1; got ${limit}.`);
  return Math.min(limit, LIMITS.paymentPageMax);
}

// A cursor names the last payment of a page: its creation time and id, as base64url text.
// It does not carry the filters: the next page is asked with the same query and this cursor.
function encodeCursor(payment: Payment): string {
  return Buffer.from(`${new Date(payment.createdAt).toISOString()}|${payment.id}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): PaymentListing['after'] {
  if (cursor === undefined) return undefined;
  const text = typeof cursor === 'string' ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const [createdAt = '', id = '', ...rest] = text.split('|');
  const time = Date.parse(createdAt);
  if (rest.length > 0 || id === '' || Number.isNaN(time) || new Date(time).toISOString() !== createdAt) {
    throw invalid(
      '"cursor" is not a cursor paymount made: pass the nextCursor of the previous page as it is.',
    );
  }
  return { createdAt, id };
}

/** Checks a {@link PaymentListQuery} and turns it into what a store gets. */
export function listingOf(query: PaymentListQuery): PaymentListing {
  const createdSince = isoDate('createdSince', query.createdSince);
  const createdUntil = isoDate('createdUntil', query.createdUntil);
  const after = decodeCursor(query.cursor);
  const search = typeof query.search === 'string' ? query.search.trim() : undefined;
  return {
    statuses: statusesOf(query.status),
    limit: limitOf(query.limit),
    ...(query.provider !== undefined && query.provider !== '' ? { provider: query.provider } : {}),
    ...(search ? { search } : {}),
    ...(createdSince ? { createdSince } : {}),
    ...(createdUntil ? { createdUntil } : {}),
    ...(after ? { after } : {}),
  };
}

/** A page of payments, newest first (see `Payments.list`). */
export async function listPayments(
  engine: EngineContext,
  query: PaymentListQuery = {},
): Promise<PaymentPage> {
  const listing = listingOf(query);
  // One more than the page: it only says whether there is a next page.
  const found = await engine.store.listPayments({ ...listing, limit: listing.limit + 1 });
  const payments = found.slice(0, listing.limit);
  const more = found.length > listing.limit;
  return { payments, nextCursor: more ? encodeCursor(payments.at(-1)!) : null };
}

/** Counts per status and provider of the payments created in a window (see `Payments.counts`). */
export async function countPayments(
  engine: EngineContext,
  window: { since: string; until?: string },
): Promise<PaymentCount[]> {
  const since = isoDate('since', window?.since);
  if (since === undefined) throw invalid('"since" is required: the start of the window, ISO 8601.');
  const until = isoDate('until', window.until);
  const counts = await engine.store.countPayments(until ? { since, until } : { since });
  const rank = (status: PaymentStatus): number => PAYMENT_STATUSES.indexOf(status);
  return counts
    .map((c) => ({ status: c.status, provider: c.provider, count: Number(c.count) }))
    .sort(
      (a, b) =>
        rank(a.status) - rank(b.status) || (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0),
    );
}
