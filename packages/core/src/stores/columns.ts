import type { JournalEntry, JournalPage } from '../contracts/journal.js';
import type { HookJob } from '../contracts/store.js';
import type { AnomalyReason, Payment, PaymentStatus } from '../domain/payment.js';
import type { HookName } from '../domain/state-machine.js';

/**
 * The column layout SQL stores share: one column per payment field (snake_case), so a
 * shop can query its payments, amounts as text. `@paymount/sqlite` and
 * `@paymount/postgres` both map through these; a new SQL store can too.
 */
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

export type PaymentColumn = (typeof PAYMENT_COLUMNS)[number];

/** The columns of a hook job (outbox) row; `payment` holds the payment snapshot as JSON. */
export const HOOK_JOB_COLUMNS = [
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

export type HookJobColumn = (typeof HOOK_JOB_COLUMNS)[number];

type ColumnValue = string | number | null;

/** A payment as column values; `metadata` as JSON text (a JSON or JSONB column takes it as is). */
export function paymentToColumns(payment: Payment): Record<PaymentColumn, ColumnValue> {
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

/** A hook job as column values; the payment snapshot as JSON text. */
export function hookJobToColumns(job: HookJob): Record<HookJobColumn, ColumnValue> {
  return {
    id: job.id,
    payment_id: job.paymentId,
    hook: job.hook,
    from_status: job.from,
    to_status: job.to,
    payment: JSON.stringify(job.payment),
    state: job.state,
    attempts: job.attempts,
    next_attempt_at: job.nextAttemptAt,
    last_error: job.lastError,
    created_at: job.createdAt,
  };
}

/** A payment row as drivers return it: JSON as text or already decoded, times as text or `Date`. */
export interface PaymentRow {
  readonly id: string;
  readonly order_id: string;
  readonly provider: string;
  readonly amount: string;
  readonly currency: string;
  readonly status: string;
  readonly provider_ref: string | null;
  readonly pay_url: string | null;
  readonly provider_status: string | null;
  readonly paid_amount: string | null;
  readonly paid_currency: string | null;
  readonly anomaly: string | null;
  readonly description: string | null;
  readonly metadata: string | Readonly<Record<string, string>>;
  readonly created_at: string | Date;
  readonly updated_at: string | Date;
  readonly paid_at: string | Date | null;
  readonly version: number;
}

/** A hook job row as drivers return it (BIGINT may come back as text). */
export interface HookJobRow {
  readonly id: string;
  readonly payment_id: string;
  readonly hook: string;
  readonly from_status: string;
  readonly to_status: string;
  readonly payment: string | Payment;
  readonly state: string;
  readonly attempts: number;
  readonly next_attempt_at: string | number;
  readonly last_error: string | null;
  readonly created_at: string | number;
}

// ISO text either way: a pool whose timestamp parser was changed by the shop may give text.
const iso = (value: string | Date): string => new Date(value).toISOString();

function fromJson<T>(value: string | T): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/** A payment row back into a payment. */
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
    metadata: fromJson<Readonly<Record<string, string>>>(row.metadata),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    paidAt: row.paid_at === null ? null : iso(row.paid_at),
    version: Number(row.version),
  };
}

/** A hook job row back into a hook job. */
export function hookJobFromRow(row: HookJobRow): HookJob {
  return {
    id: row.id,
    paymentId: row.payment_id,
    hook: row.hook as HookName,
    from: row.from_status as PaymentStatus,
    to: row.to_status as PaymentStatus,
    payment: fromJson<Payment>(row.payment),
    state: row.state as HookJob['state'],
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
  };
}

/** A journal row as both SQL stores read it; `data` is JSON text (SQLite) or already parsed (PostgreSQL JSONB). */
export interface JournalRow {
  readonly seq: number | string;
  readonly id: string;
  readonly payment_id: string | null;
  readonly provider: string | null;
  readonly at: string;
  readonly type: JournalEntry['type'];
  readonly data: string | Record<string, unknown>;
}

/**
 * One page of journal entries from the rows a SQL store read with `LIMIT limit + 1`: the
 * extra row only says that there is a next page, whose cursor is the last kept `seq`.
 */
export function journalPageFromRows(rows: readonly JournalRow[], limit: number): JournalPage {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return {
    entries: kept.map((row) => ({
      id: row.id,
      paymentId: row.payment_id,
      provider: row.provider,
      at: row.at,
      type: row.type,
      data: typeof row.data === 'string' ? (JSON.parse(row.data) as Record<string, unknown>) : row.data,
    })),
    nextCursor: more ? String(kept.at(-1)!.seq) : null,
  };
}
