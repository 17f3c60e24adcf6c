// @paymount/core — the entry for shops: create the engine, configure it, read payments.
// Provider authors import from '@paymount/core/provider', store authors from
// '@paymount/core/store', adapter authors from '@paymount/core/node'.
export type {
  HookContext,
  LoadOrderContext,
  LoadOrderReason,
  PaymentHook,
  PaymentsOptions,
  ReturnUrls,
} from './config/options.js';
export type {
  AnomalyResolution,
  ApplyResult,
  CallbackResult,
  CheckoutInput,
  CheckoutOutcome,
  DeliveryReport,
  Operator,
  ReconcileOptions,
  ReconcileReport,
} from './contracts/actions.js';
export type {
  HeaderMap,
  PaymentsRequest,
  PaymentsResponse,
  PaymountHandler,
  RouteMatch,
} from './contracts/http.js';
export {
  JOURNAL_TYPES,
  type JournalEntry,
  type JournalPage,
  type JournalQuery,
  type JournalType,
  type OperatorAction,
  type ProviderCheckReason,
} from './contracts/journal.js';
export type { OrderDetails, PaymentProvider } from './contracts/provider.js';
export {
  REFUND_STATUSES,
  type RecordedRefundInput,
  type Refund,
  type RefundInput,
  type RefundStatus,
} from './contracts/refunds.js';
export type {
  HookJob,
  PaymentCount,
  PaymentListQuery,
  PaymentPage,
  PaymentStore,
} from './contracts/store.js';
export {
  ERROR_STATUS,
  isPaymentsError,
  PaymentsConfigError,
  PaymentsError,
  type PaymentsErrorCode,
} from './domain/errors.js';
export {
  type CurrencyScales,
  compareAmounts,
  currencyScale,
  formatAmount,
  fromMinorUnits,
  normalizeCurrency,
  toMinorUnits,
} from './domain/money.js';
export {
  type AnomalyReason,
  isLive,
  PAYMENT_STATUSES,
  type Payment,
  type PaymentStatus,
} from './domain/payment.js';
export { HOOK_NAMES, type HookName, type ProviderEvent } from './domain/state-machine.js';
export type { HealthReport } from './engine/health.js';
export { createPayments, Payments } from './engine/payments.js';
export type { RefundTotals } from './engine/refunds.js';
export type { MatchedRoute, RouteName } from './http/routes.js';
export { type Logger, silentLogger } from './logging/logger.js';
export { type MemoryStoreOptions, memoryStore } from './stores/memory-store.js';
