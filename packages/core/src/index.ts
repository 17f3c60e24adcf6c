export { decodeCallbackBody, stringFields } from './body.js';
export type {
  HookContext,
  LoadOrderContext,
  PaymentHook,
  PaymentsOptions,
  ReturnUrls,
} from './config.js';
export {
  type ApplyResult,
  type CheckoutInput,
  type CheckoutOutcome,
  createPayments,
  type DeliveryReport,
  Payments,
  type ReconcileReport,
} from './engine.js';
export {
  ERROR_STATUS,
  isPaymentsError,
  PaymentsConfigError,
  PaymentsError,
  type PaymentsErrorCode,
} from './errors.js';
export {
  type CallbackBody,
  type CallbackInput,
  type HeaderMap,
  headerValue,
  type PaymentsRequest,
  type PaymentsResponse,
} from './http-types.js';
export { type Logger, redactingLogger, silentLogger } from './logger.js';
export { memoryStore } from './memory-store.js';
export {
  compareAmounts,
  currencyScale,
  type Decimal,
  decimalFromProvider,
  formatAmount,
  fromMinorUnits,
  normalizeCurrency,
  parseDecimal,
  registerCurrencyScales,
  toMinorUnits,
} from './money.js';
export {
  type AnomalyReason,
  isLive,
  isOrderId,
  isPaymentId,
  newPaymentId,
  PAYMENT_STATUSES,
  type Payment,
  type PaymentStatus,
} from './payment.js';
export type {
  CallbackEventName,
  CallbackOutcome,
  CheckoutRequest,
  CheckoutResult,
  OrderDetails,
  PaymentProvider,
  ProviderContext,
  VerifiedCallback,
} from './provider.js';
export {
  ProviderHttpClient,
  type ProviderHttpOptions,
  type ProviderHttpRequest,
  type ProviderHttpResponse,
  parseProviderJson,
} from './provider-http.js';
export { type MatchedRoute, matchRoute, publicPaymentView, type RouteName } from './routes.js';
export { CallbackUrlSigner, safeEqual } from './signed-url.js';
export {
  canTransition,
  decideTransition,
  HOOK_NAMES,
  type HookName,
  hooksFor,
  type ProviderEvent,
} from './state-machine.js';
export type { ClaimOptions, HookJob, PaymentStore, TransitionWrite } from './store.js';
export {
  HOOK_JOB_COLUMNS,
  type HookJobColumn,
  type HookJobRow,
  hookJobFromRow,
  hookJobToColumns,
  PAYMENT_COLUMNS,
  type PaymentColumn,
  type PaymentRow,
  paymentFromRow,
  paymentToColumns,
} from './store-columns.js';
