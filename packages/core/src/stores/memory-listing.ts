import type { PaymentCount, PaymentListing } from '../contracts/store.js';
import type { Payment } from '../domain/payment.js';

/** The listing order: newest first, then the larger id first (plain code-point order). */
export function newestFirst(a: Payment, b: Payment): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function matches(payment: Payment, listing: PaymentListing): boolean {
  if (listing.statuses.length > 0 && !listing.statuses.includes(payment.status)) return false;
  if (listing.provider !== undefined && payment.provider !== listing.provider) return false;
  const { search } = listing;
  if (
    search !== undefined &&
    search !== payment.id &&
    search !== payment.orderId &&
    search !== payment.providerRef
  )
    return false;
  const created = Date.parse(payment.createdAt);
  if (listing.createdSince !== undefined && created < Date.parse(listing.createdSince)) return false;
  if (listing.createdUntil !== undefined && created >= Date.parse(listing.createdUntil)) return false;
  return true;
}

/**
 * The memory store's `listPayments`: a scan of every payment. Fine for what the memory
 * store is for (tests and development); the SQL stores use their indexes.
 */
export function listPayments(payments: Iterable<Payment>, listing: PaymentListing): Payment[] {
  const after = listing.after;
  const boundary = after ? ({ createdAt: after.createdAt, id: after.id } as Payment) : undefined;
  return [...payments]
    .filter((p) => matches(p, listing) && (boundary === undefined || newestFirst(boundary, p) < 0))
    .sort(newestFirst)
    .slice(0, listing.limit);
}

/** The memory store's `countPayments`. */
export function countPayments(
  payments: Iterable<Payment>,
  window: { readonly since: string; readonly until?: string },
): PaymentCount[] {
  const since = Date.parse(window.since);
  const until = window.until === undefined ? Number.POSITIVE_INFINITY : Date.parse(window.until);
  const counts = new Map<string, PaymentCount>();
  for (const payment of payments) {
    const created = Date.parse(payment.createdAt);
    if (created < since || created >= until) continue;
    const key = `${payment.status}\u0000${payment.provider}`;
    const seen = counts.get(key);
    counts.set(key, { status: payment.status, provider: payment.provider, count: (seen?.count ?? 0) + 1 });
  }
  return [...counts.values()];
}
