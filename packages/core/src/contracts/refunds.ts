/**
 * Refunds: money paid through a payment that goes back to the buyer, in one or more
 * parts. Each part is one {@link Refund} record; the store keeps the rule that the
 * refunds of a payment that are not `failed` never add up to more than it took in.
 */
/**
 * Where a refund stands. `requested`: written, its amount reserved, the provider not yet
 * answered (or paymount stopped before it did). `pending`: the provider took it, or may
 * have (a timeout after sending), and has not finished; the reconciler asks again.
 * `succeeded`: the money went back (final). `failed`: the provider refused it; its
 * amount is free again (final).
 */
export type RefundStatus = 'requested' | 'pending' | 'succeeded' | 'failed';

export const REFUND_STATUSES: readonly RefundStatus[] = ['requested', 'pending', 'succeeded', 'failed'];

/** One refund of (part of) a payment. A plain frozen object, like `Payment`. */
export interface Refund {
  /** `rf_` and 24 lower-case letters and digits. */
  readonly id: string;
  readonly paymentId: string;
  /** The provider name of the payment. */
  readonly provider: string;
  /** Canonical decimal string in the currency's precision. */
  readonly amount: string;
  readonly currency: string;
  readonly status: RefundStatus;
  /** `provider`: asked of the provider through `payments.refund()`; `recorded`: made outside paymount, `payments.recordRefund()`. */
  readonly source: 'provider' | 'recorded';
  /** The provider's own id of the refund (or the reference given to `recordRefund`), once known. */
  readonly providerRef: string | null;
  /** The provider's raw refund status word as last seen. */
  readonly providerStatus: string | null;
  /** Why the shop refunds, as passed to `payments.refund()`. */
  readonly reason: string | null;
  /** The note passed to `payments.recordRefund()`. */
  readonly note: string | null;
  /** Why the provider refused it, or what went wrong while asking (`code: message`). */
  readonly error: string | null;
  /** The caller's key: the same key on the same payment gives back this refund. */
  readonly idempotencyKey: string | null;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Raised by every stored change: the compare-and-set token of `updateRefund`. */
  readonly version: number;
}

/** What `payments.refund()` takes. */
export interface RefundInput {
  /** A decimal string in the payment's currency; absent: everything still refundable. */
  readonly amount?: string;
  readonly reason?: string;
  /** The same key on the same payment returns the same refund, however often it is sent. */
  readonly idempotencyKey?: string;
  /** Where the money goes, for providers that need it (Aurpay: the buyer's wallet address). */
  readonly address?: string;
}

/** What `payments.recordRefund()` takes: a refund made outside paymount (a provider's dashboard, a bank transfer). */
export interface RecordedRefundInput {
  /** A decimal string in the payment's currency. */
  readonly amount: string;
  /** The reference of the refund where it was made; the same reference on the same payment records it once. */
  readonly reference?: string;
  readonly note?: string;
}
