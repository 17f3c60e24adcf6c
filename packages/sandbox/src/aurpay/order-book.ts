import { randomBytes } from 'node:crypto';
import { compareDecimal, parseDecimal as parse } from '../shared/decimal.js';

export { compareDecimal };

/** Aurpay's order statuses, as its order-info object spells them. */
export type AurpaySimStatus =
  | 'PENDING'
  | 'SUCCESS'
  | 'OVERDUE'
  | 'RESOLVED'
  | 'PARTIAL'
  | 'TERMINATED'
  | 'REFUNDED';

/** One refund of a simulated order, as `refund-info` shows it. */
export interface AurpaySimRefund {
  readonly refund_id: string;
  readonly order_id: string;
  /** Fiat, in the order's `vs_currency`. */
  readonly amount: string;
  readonly address: string;
  status: 'PENDING' | 'SUCCESS' | 'FAILED';
  readonly create_time: string;
  update_time: string;
}

/** One simulated Aurpay order: the public order-info fields plus what the merchant asked for. */
export interface AurpaySimOrder {
  /** The order-info object exactly as the API and POST callbacks show it. */
  readonly info: Record<string, unknown> & { order_id: string; status: AurpaySimStatus; vs_price: string };
  /** The pay page token of `pay_url`. */
  readonly token: string;
  /** The `price` as it appeared in the request body, character for character. */
  readonly priceText: string;
  /** Whether `price` was sent as a JSON number or a JSON string. */
  readonly priceType: 'number' | 'string';
  readonly succeedUrl: string | null;
  readonly timeoutUrl: string | null;
  readonly callbackUrl: string | null;
  readonly timeoutCallback: string | null;
  readonly enablePostCallback: boolean;
  readonly fixedEncryptPrice: boolean;
  /** What the buyer paid in fiat, once paid (a `pay(…, { amount })`). */
  paidAmount: string | null;
  /** Refunds asked through `POST /api/v2/order/refund/{order_id}`, oldest first. */
  refunds?: AurpaySimRefund[];
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Aurpay's zone-less timestamp, "2025-02-06T00:00:00", as a clock `offsetMinutes` east of UTC shows it. */
export function aurpayTime(date: Date, offsetMinutes = 0): string {
  return new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
}

/** Orders of one simulated merchant, with Aurpay-like 20-digit ids. */
export class OrderBook {
  readonly orders = new Map<string, AurpaySimOrder>();
  readonly #byToken = new Map<string, string>();
  #counter = Math.floor(Math.random() * 900_000);

  newOrderId(now: Date): string {
    this.#counter = (this.#counter + 1) % 1_000_000;
    const stamp =
      `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}` +
      `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
    return stamp + pad(this.#counter, 6);
  }

  newToken(): string {
    return randomBytes(32).toString('hex');
  }

  add(order: AurpaySimOrder): void {
    this.orders.set(order.info.order_id, order);
    this.#byToken.set(order.token, order.info.order_id);
  }

  /** Finds an order by its id or its pay page token. */
  find(ref: string): AurpaySimOrder | undefined {
    return this.orders.get(ref) ?? this.orders.get(this.#byToken.get(ref) ?? '');
  }
}

/** Nine tenths of a decimal amount, same number of decimals (the pay page's "Pay less"). */
export function ninetyPercent(value: string): string {
  const decimal = parse(value);
  if (!decimal) throw new Error(`not a decimal: ${value}`);
  const units = (decimal.units * 9n) / 10n;
  const digits = units.toString().padStart(decimal.scale + 1, '0');
  return decimal.scale === 0 ? digits : `${digits.slice(0, -decimal.scale)}.${digits.slice(-decimal.scale)}`;
}

/** True for a non-negative decimal string with a value above zero. */
export function isPositiveDecimal(value: string): boolean {
  const decimal = parse(value);
  return decimal !== null && decimal.units > 0n;
}
