import { parseDecimal } from '@paymount/core/provider';

/** An order's state at the simulated AAIO, as `info-pay` reports it. */
export type AaioSimOrderStatus = 'in_process' | 'success' | 'hold' | 'expired';

/** One order the simulated AAIO knows, created by `get_pay_url` or the legacy `/merchant/pay`. */
export interface AaioSimOrder {
  /** AAIO's own id (`invoice_id` in notifications, `id` in `info-pay`). */
  readonly invoiceId: string;
  /** The merchant's `order_id`. */
  readonly orderId: string;
  readonly merchantId: string;
  /** The amount exactly as the merchant sent it. */
  readonly amount: string;
  readonly currency: string;
  readonly desc: string;
  readonly email: string;
  readonly lang: string;
  readonly method: string;
  /** The `us_*` fields the merchant sent. */
  readonly usVars: Readonly<Record<string, string>>;
  status: AaioSimOrderStatus;
  /** What the buyer paid, as the merchant's amount string or a smaller one ("Pay less"). */
  paidAmount: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  completedAt: Date | null;
}

/** How the simulator echoes amounts in notifications. UNKNOWN in AAIO's docs, so both are offered. */
export type AmountEcho = 'as-sent' | 'normalized' | ((sent: string) => string);

/** `"100.00"` → `"100"`, `"10.50"` → `"10.5"`: the shortest form, as a JSON number would print it. */
export function normalizedAmount(amount: string): string {
  if (!amount.includes('.')) return amount;
  const trimmed = amount.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '' ? '0' : trimmed;
}

export function echoAmount(amount: string, mode: AmountEcho): string {
  if (typeof mode === 'function') return mode(amount);
  return mode === 'normalized' ? normalizedAmount(amount) : amount;
}

/** Half of an amount, same number of decimals (the "Pay less" button). */
export function halfAmount(amount: string): string {
  const { units, scale } = parseDecimal(amount);
  const half = units / 2n > 0n ? units / 2n : 1n;
  const digits = half.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/**
 * A decimal string as a JSON number, the way AAIO's `info-pay` answers amounts.
 * A decimal of at most 15 significant digits prints back exactly.
 */
export function jsonNumber(amount: string): number {
  return Number(amount);
}
