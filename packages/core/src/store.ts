// @paymount/core/store — what a payment store package is written against.
export {
  JOURNAL_TYPES,
  type JournalEntry,
  type JournalPage,
  type JournalQuery,
  type JournalType,
  type ProviderCheckReason,
} from './contracts/journal.js';
export { REFUND_STATUSES, type Refund, type RefundStatus } from './contracts/refunds.js';
export type {
  ClaimOptions,
  HookJob,
  HookJobCounts,
  PaymentCount,
  PaymentListing,
  PaymentListQuery,
  PaymentPage,
  PaymentStore,
  RefundWrite,
  TransitionWrite,
} from './contracts/store.js';
export { isPaymentsError, PaymentsError } from './domain/errors.js';
export {
  type AnomalyReason,
  CHECKABLE_STATUSES,
  isLive,
  newPaymentId,
  PAYMENT_STATUSES,
  type Payment,
  type PaymentStatus,
} from './domain/payment.js';
export type { HookName } from './domain/state-machine.js';
export {
  HOOK_JOB_COLUMNS,
  type HookJobColumn,
  type HookJobRow,
  hookJobFromRow,
  hookJobToColumns,
  type JournalRow,
  journalPageFromRows,
  PAYMENT_COLUMNS,
  type PaymentColumn,
  type PaymentRow,
  paymentFromRow,
  paymentToColumns,
} from './stores/columns.js';
export { memoryStore } from './stores/memory-store.js';
export {
  REFUND_COLUMNS,
  type RefundColumn,
  type RefundRow,
  refundFromRow,
  refundToColumns,
} from './stores/refund-columns.js';
export { checkRefundFits, reservedTotal, sameKeyRefund } from './stores/refund-rules.js';
export { providerRefTaken } from './stores/store-rules.js';
