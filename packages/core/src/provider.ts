// @paymount/core/provider — what a payment provider package is written against.

export { decodeCallbackBody, stringFields } from './contracts/callback-body.js';
export type {
  CallbackBody,
  CallbackInput,
  HeaderMap,
  PaymentsResponse,
} from './contracts/http.js';
export { headerValue } from './contracts/http.js';
export type {
  CallbackEventName,
  CallbackOutcome,
  CheckoutRequest,
  CheckoutResult,
  FoundPayment,
  LostPaymentFinder,
  LostPaymentSearch,
  OrderDetails,
  PaymentProvider,
  ProviderContext,
  RefundAnswer,
  RefundRequest,
  UnsureMatch,
  VerifiedCallback,
} from './contracts/provider.js';
export type { Refund, RefundStatus } from './contracts/refunds.js';
export {
  isPaymentsError,
  PaymentsConfigError,
  PaymentsError,
  type PaymentsErrorCode,
} from './domain/errors.js';
export {
  compareAmounts,
  type Decimal,
  decimalFromProvider,
  formatAmount,
  normalizeCurrency,
  parseDecimal,
} from './domain/money.js';
export { isPaymentId, type Payment, type PaymentStatus } from './domain/payment.js';
export type { ProviderEvent } from './domain/state-machine.js';
export type { Logger } from './logging/logger.js';
export {
  ProviderHttpClient,
  type ProviderHttpOptions,
  type ProviderHttpRequest,
  type ProviderHttpResponse,
  parseProviderJson,
} from './providers/provider-http.js';
export { safeEqual } from './providers/signed-url.js';
