import type { AurpayOrderInfo } from './order-info.js';

const HOUR = 3_600_000;

/** Every zone in use lies between UTC−12 (Baker Island) and UTC+14 (Line Islands). */
export const REAL_ZONE_OFFSETS_MS = { min: -12 * HOUR, max: 14 * HOUR } as const;

/**
 * The zone Aurpay writes its zone-less `create_time` in, as the offsets it may have
 * (ms east of UTC): every real zone (`'any'`, the default) or one fixed offset.
 */
export interface OrderTimeZone {
  readonly minOffsetMs: number;
  readonly maxOffsetMs: number;
}

/** The default: a `create_time` may be in any real zone. */
export const ANY_ZONE: OrderTimeZone = {
  minOffsetMs: REAL_ZONE_OFFSETS_MS.min,
  maxOffsetMs: REAL_ZONE_OFFSETS_MS.max,
};

const OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/**
 * Reads the `orderTimeZone` option: `'any'`, `'UTC'`/`'Z'`, or an offset such as
 * `'+08:00'` or `'-05:00'` between −12:00 and +14:00. Null when it is none of these.
 */
export function parseOrderTimeZone(value: string): OrderTimeZone | null {
  if (value === 'any') return ANY_ZONE;
  if (value === 'UTC' || value === 'Z') return { minOffsetMs: 0, maxOffsetMs: 0 };
  const match = OFFSET.exec(value);
  if (!match) return null;
  if (Number(match[3]) >= 60) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  const offset = (match[1] === '-' ? -minutes : minutes) * 60_000;
  if (offset < REAL_ZONE_OFFSETS_MS.min || offset > REAL_ZONE_OFFSETS_MS.max) return null;
  return { minOffsetMs: offset, maxOffsetMs: offset };
}

/**
 * When the order may really have been created, in epoch ms: its `create_time` read in
 * each offset the zone allows (a wall clock ahead of UTC is an earlier instant). A
 * `create_time` that names its own zone is exact. Null when the order has no time.
 */
export function orderCreatedBetween(
  order: AurpayOrderInfo,
  zone: OrderTimeZone,
): { earliest: number; latest: number } | null {
  if (!order.createdAt) return null;
  const read = order.createdAt.getTime();
  if (order.createdAtZoned) return { earliest: read, latest: read };
  return { earliest: read - zone.maxOffsetMs, latest: read - zone.minOffsetMs };
}
