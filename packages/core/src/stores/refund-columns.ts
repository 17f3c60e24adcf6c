import type { Refund, RefundStatus } from '../contracts/refunds.js';

/** The column layout of a refund row both SQL stores share; amounts and times as text. */
export const REFUND_COLUMNS = [
  'id',
  'payment_id',
  'provider',
  'amount',
  'currency',
  'status',
  'source',
  'provider_ref',
  'provider_status',
  'reason',
  'note',
  'error',
  'idempotency_key',
  'created_at',
  'updated_at',
  'version',
] as const;

export type RefundColumn = (typeof REFUND_COLUMNS)[number];

/** A refund row as the SQL stores read it. */
export type RefundRow = { readonly [K in Exclude<RefundColumn, 'version'>]: string | null } & {
  readonly version: number | string;
};

/** A refund as column values. */
export function refundToColumns(refund: Refund): Record<RefundColumn, string | number | null> {
  return {
    id: refund.id,
    payment_id: refund.paymentId,
    provider: refund.provider,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    source: refund.source,
    provider_ref: refund.providerRef,
    provider_status: refund.providerStatus,
    reason: refund.reason,
    note: refund.note,
    error: refund.error,
    idempotency_key: refund.idempotencyKey,
    created_at: refund.createdAt,
    updated_at: refund.updatedAt,
    version: refund.version,
  };
}

/** A refund row back into a refund. */
export function refundFromRow(row: RefundRow): Refund {
  return {
    id: row.id as string,
    paymentId: row.payment_id as string,
    provider: row.provider as string,
    amount: row.amount as string,
    currency: row.currency as string,
    status: row.status as RefundStatus,
    source: row.source as Refund['source'],
    providerRef: row.provider_ref,
    providerStatus: row.provider_status,
    reason: row.reason,
    note: row.note,
    error: row.error,
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
    version: Number(row.version),
  };
}
