import type { AnomalyReason, HookJob, HookName, Payment, PaymentStatus } from '@paymount/core';

/** A row of `paymount_payments` as better-sqlite3 returns it. */
export interface PaymentRow {
  id: string;
  order_id: string;
  provider: string;
  amount: string;
  currency: string;
  status: string;
  provider_ref: string | null;
  pay_url: string | null;
  provider_status: string | null;
  paid_amount: string | null;
  paid_currency: string | null;
  anomaly: string | null;
  description: string | null;
  metadata: string;
  created_at: string;
  updated_at: string;
  paid_at: string | null;
  version: number;
}

/** A row of `paymount_hook_jobs`. */
export interface HookJobRow {
  id: string;
  payment_id: string;
  hook: string;
  from_status: string;
  to_status: string;
  payment: string;
  state: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
}

/** The payment columns in insert order, shared by INSERT and UPDATE statements. */
export const PAYMENT_COLUMNS = [
  'id',
  'order_id',
  'provider',
  'amount',
  'currency',
  'status',
  'provider_ref',
  'pay_url',
  'provider_status',
  'paid_amount',
  'paid_currency',
  'anomaly',
  'description',
  'metadata',
  'created_at',
  'updated_at',
  'paid_at',
  'version',
] as const;

/** Named parameters for the payment columns (`@id`, `@order_id`, …). */
export function paymentParams(
  payment: Payment,
): Record<(typeof PAYMENT_COLUMNS)[number], string | number | null> {
  return {
    id: payment.id,
    order_id: payment.orderId,
    provider: payment.provider,
    amount: payment.amount,
    currency: payment.currency,
    status: payment.status,
    provider_ref: payment.providerRef,
    pay_url: payment.payUrl,
    provider_status: payment.providerStatus,
    paid_amount: payment.paidAmount,
    paid_currency: payment.paidCurrency,
    anomaly: payment.anomaly,
    description: payment.description,
    metadata: JSON.stringify(payment.metadata),
    created_at: payment.createdAt,
    updated_at: payment.updatedAt,
    paid_at: payment.paidAt,
    version: payment.version,
  };
}

export function paymentFromRow(row: PaymentRow): Payment {
  return {
    id: row.id,
    orderId: row.order_id,
    provider: row.provider,
    amount: row.amount,
    currency: row.currency,
    status: row.status as PaymentStatus,
    providerRef: row.provider_ref,
    payUrl: row.pay_url,
    providerStatus: row.provider_status,
    paidAmount: row.paid_amount,
    paidCurrency: row.paid_currency,
    anomaly: row.anomaly as AnomalyReason | null,
    description: row.description,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    paidAt: row.paid_at,
    version: row.version,
  };
}

export function hookJobFromRow(row: HookJobRow): HookJob {
  return {
    id: row.id,
    paymentId: row.payment_id,
    hook: row.hook as HookName,
    from: row.from_status as PaymentStatus,
    to: row.to_status as PaymentStatus,
    payment: JSON.parse(row.payment) as Payment,
    state: row.state as HookJob['state'],
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}
