import type { AnomalyReason, HookJob, HookName, Payment, PaymentStatus } from '@paymount/core';

/** A row of `payments` as pg returns it with its default type parsers (BIGINT as string, TIMESTAMPTZ as Date). */
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
  metadata: Record<string, string>;
  created_at: Date | string;
  updated_at: Date | string;
  paid_at: Date | string | null;
  version: number;
}

/** A row of `hook_jobs`. */
export interface HookJobRow {
  id: string;
  payment_id: string;
  hook: string;
  from_status: string;
  to_status: string;
  payment: Payment;
  state: string;
  attempts: number;
  next_attempt_at: string | number;
  last_error: string | null;
  created_at: string | number;
}

/** The payment columns, in the order of {@link paymentValues}. */
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

export const JOB_COLUMNS = [
  'id',
  'payment_id',
  'hook',
  'from_status',
  'to_status',
  'payment',
  'state',
  'attempts',
  'next_attempt_at',
  'last_error',
  'created_at',
] as const;

/** Query parameters for {@link PAYMENT_COLUMNS}, in order. */
export function paymentValues(payment: Payment): (string | number | null)[] {
  return [
    payment.id,
    payment.orderId,
    payment.provider,
    payment.amount,
    payment.currency,
    payment.status,
    payment.providerRef,
    payment.payUrl,
    payment.providerStatus,
    payment.paidAmount,
    payment.paidCurrency,
    payment.anomaly,
    payment.description,
    JSON.stringify(payment.metadata),
    payment.createdAt,
    payment.updatedAt,
    payment.paidAt,
    payment.version,
  ];
}

/** Query parameters for {@link JOB_COLUMNS}, in order. */
export function jobValues(job: HookJob): (string | number | null)[] {
  return [
    job.id,
    job.paymentId,
    job.hook,
    job.from,
    job.to,
    JSON.stringify(job.payment),
    job.state,
    job.attempts,
    job.nextAttemptAt,
    job.lastError,
    job.createdAt,
  ];
}

// Accepts both a Date and a string, in case the shop's pool parses timestamps differently.
const iso = (value: Date | string): string => new Date(value).toISOString();

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
    metadata: row.metadata,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    paidAt: row.paid_at === null ? null : iso(row.paid_at),
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
    payment: row.payment,
    state: row.state as HookJob['state'],
    attempts: row.attempts,
    nextAttemptAt: Number(row.next_attempt_at),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
  };
}
