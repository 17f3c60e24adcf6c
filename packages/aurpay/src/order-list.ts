import type { Logger } from '@paymount/core/provider';
import type { AurpayApiClient } from './api-client.js';
import { type AurpayOrderInfo, parseOrderInfo } from './order-info.js';

/** One page of `GET /api/v2/order/?page=&size=`: `data: {page, size, total, max_page, data: [order…]}`. */
interface OrderPage {
  readonly orders: readonly AurpayOrderInfo[];
  /** Entries of the page, readable or not: an empty page ends the list. */
  readonly entries: number;
  /** `max_page`, when Aurpay gave one. */
  readonly maxPage: number | null;
}

function entriesOf(data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  if (typeof data !== 'object' || data === null) return [];
  const record = data as Record<string, unknown>;
  for (const key of ['data', 'list', 'items', 'records']) {
    if (Array.isArray(record[key])) return record[key] as unknown[];
  }
  return [];
}

/** Reads a page; entries that are not order-info objects are left out, not fatal. */
export function parseOrderPage(data: unknown): OrderPage {
  const entries = entriesOf(data);
  const orders: AurpayOrderInfo[] = [];
  for (const entry of entries) {
    try {
      orders.push(parseOrderInfo(entry));
    } catch {
      // One odd entry must not hide the others.
    }
  }
  const max =
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['max_page'] : null;
  const maxPage = typeof max === 'number' || typeof max === 'string' ? Number(max) : Number.NaN;
  return {
    orders,
    entries: entries.length,
    maxPage: Number.isInteger(maxPage) && maxPage > 0 ? maxPage : null,
  };
}

export interface OrderListRead {
  readonly orders: readonly AurpayOrderInfo[];
  /** True when the page limit ended the read before the list said it had no older orders. */
  readonly cut: boolean;
}

/**
 * Reads Aurpay's order list for orders that may be newer than `since` (epoch ms), at most
 * `maxPages` pages. Whether the list is newest first is undocumented, so this does not
 * rely on it: it walks from the first page, and when that page holds only older orders,
 * from the last page backwards instead; it stops at a page that holds only older orders
 * (`isOlder`), at an empty page or the last page, or at the page limit.
 */
export async function readRecentOrders(
  api: AurpayApiClient,
  options: { since: number; maxPages: number; pageSize: number; logger: Logger },
  isOlder: (order: AurpayOrderInfo, since: number) => boolean,
): Promise<OrderListRead> {
  const read = async (page: number): Promise<OrderPage> =>
    parseOrderPage(await api.get(`/api/v2/order/?page=${page}&size=${options.pageSize}`));
  const onlyOlder = (page: OrderPage): boolean =>
    page.orders.length > 0 && page.orders.every((order) => isOlder(order, options.since));
  const first = await read(1);
  const last = first.maxPage ?? (first.entries < options.pageSize ? 1 : null);
  // Page 1 all old and more pages behind it: the list is most likely oldest first.
  const backwards = onlyOlder(first) && last !== null && last > 1;
  const orders = [...first.orders];
  if (!backwards && (onlyOlder(first) || first.entries === 0 || last === 1)) return { orders, cut: false };
  let page = backwards ? (last as number) : 2;
  const beyond = (n: number): boolean => (backwards ? n < 2 : last !== null && n > last);
  for (let reads = 1; !beyond(page); page += backwards ? -1 : 1) {
    if (reads >= options.maxPages) {
      options.logger.warn(
        { pages: reads },
        'paymount: the Aurpay order list search stopped at its page limit before the oldest payment looked for, so it binds nothing this round: raise lostOrderSearch.maxPages, or set orderTimeZone to read less',
      );
      return { orders, cut: true };
    }
    const next = await read(page);
    reads++;
    orders.push(...next.orders);
    const ended = next.entries === 0 || (last === null && next.entries < options.pageSize);
    if (ended || onlyOlder(next)) break;
  }
  return { orders, cut: false };
}
