import { decimalFromProvider, PaymentsError } from '@paymount/core/provider';

/** The fields of Aurpay's order-info object that paymount acts on; amounts stay decimal strings. */
export interface AurpayOrderInfo {
  /** Aurpay's 20-digit order id. */
  readonly orderId: string;
  /** Aurpay's status word, upper-cased (`PENDING`, `SUCCESS`, …). */
  readonly status: string;
  /** The fiat price of the order, as Aurpay states it; null when absent or not a decimal. */
  readonly vsPrice: string | null;
  readonly vsCurrency: string | null;
  /** Crypto amount and coin, for logs and support. */
  readonly amount: string | null;
  readonly currency: string | null;
  /**
   * `create_time` read as UTC; null when absent or unreadable. Aurpay sends no zone, so
   * unless `createdAtZoned`, the real instant depends on the zone (see `order-time.ts`).
   */
  readonly createdAt: Date | null;
  /** True when `create_time` named its own zone (`Z` or an offset): `createdAt` is then exact. */
  readonly createdAtZoned: boolean;
}

const ORDER_ID = /^[0-9A-Za-z_-]{1,64}$/;

/** True for something shaped like an Aurpay order id (20 digits in practice; a little laxer here). */
export function isAurpayOrderId(value: unknown): value is string {
  return typeof value === 'string' && ORDER_ID.test(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

const ZONE_SUFFIX = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Reads Aurpay's `create_time` ("2025-02-06T00:00:00"); one without a zone is read as UTC. */
export function parseAurpayTime(value: unknown): Date | null {
  const raw = text(value);
  if (!raw) return null;
  const hasZone = ZONE_SUFFIX.test(raw);
  const time = Date.parse(hasZone ? raw : `${raw.replace(' ', 'T')}Z`);
  return Number.isNaN(time) ? null : new Date(time);
}

/**
 * Parses an order-info object, from the detail API or a POST callback body. Throws
 * `PaymentsError` with `code` (e.g. `provider_error`) when it lacks an order id or status.
 */
export function parseOrderInfo(
  value: unknown,
  code: 'provider_error' | 'callback_invalid' = 'provider_error',
): AurpayOrderInfo {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PaymentsError(code, 'The Aurpay order information is not an object.');
  }
  const o = value as Record<string, unknown>;
  // A 20-digit id does not fit a JS number; only a string keeps it exact.
  const orderId = o['order_id'];
  if (!isAurpayOrderId(orderId)) {
    throw new PaymentsError(code, 'The Aurpay order information has no usable order_id.');
  }
  const status = text(o['status']);
  if (!status) throw new PaymentsError(code, 'The Aurpay order information has no status.');
  const currency = text(o['vs_currency']);
  return {
    orderId,
    status: status.toUpperCase(),
    vsPrice: decimalFromProvider(o['vs_price']),
    vsCurrency: currency ? currency.toUpperCase() : null,
    amount: decimalFromProvider(o['amount']),
    currency: text(o['currency']),
    createdAt: parseAurpayTime(o['create_time']),
    createdAtZoned: typeof o['create_time'] === 'string' && ZONE_SUFFIX.test(o['create_time'].trim()),
  };
}
