import type { PaymentsResponse } from '../contracts/http.js';
import type { PaymentsError, PaymentsErrorCode } from '../domain/errors.js';
import type { Payment } from '../domain/payment.js';

/** Sent with every answer paymount makes: nothing it says may be cached or sniffed. */
const BASE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** Seconds a client should wait before retrying, for the passing outages (a rate limit, the store restarting). */
const RETRY_AFTER_SECONDS: Partial<Record<PaymentsErrorCode, number>> = {
  provider_rate_limited: 5,
  store_unavailable: 5,
};

/** A JSON answer with paymount's base headers. */
export function jsonResponse(
  status: number,
  body: unknown,
  extra: Record<string, string> = {},
): PaymentsResponse {
  return {
    status,
    headers: { ...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8', ...extra },
    body: JSON.stringify(body),
  };
}

/** An HTML page with paymount's base headers. */
export function htmlResponse(
  status: number,
  body: string,
  extra: Record<string, string> = {},
): PaymentsResponse {
  return {
    status,
    headers: { ...BASE_HEADERS, ...extra, 'content-type': 'text/html; charset=utf-8' },
    body,
  };
}

/** A 303 to where the buyer goes next. */
export function redirectResponse(location: string): PaymentsResponse {
  return { status: 303, headers: { ...BASE_HEADERS, location }, body: '' };
}

/** An empty answer (OPTIONS) with the given headers. */
export function emptyResponse(status: number, extra: Record<string, string>): PaymentsResponse {
  return { status, headers: { ...BASE_HEADERS, ...extra }, body: '' };
}

/**
 * The one builder of error answers: `{ error: { code, message } }` with the code's
 * status, the same headers everywhere, a `Retry-After` where the code asks for one,
 * and the message scrubbed of secrets (provider errors may quote what upstream said).
 */
export function errorResponse(
  error: PaymentsError,
  redact: (text: string) => string,
  extra: Record<string, string> = {},
): PaymentsResponse {
  const { code, message } = error.toJSON().error;
  const retryAfter = RETRY_AFTER_SECONDS[code];
  const headers = retryAfter === undefined ? extra : { 'retry-after': String(retryAfter), ...extra };
  return jsonResponse(error.status, { error: { code, message: redact(message) } }, headers);
}

/** Public view of a payment for the status route: nothing a buyer should not see. */
export function publicPaymentView(payment: Payment): Record<string, unknown> {
  return {
    paymentId: payment.id,
    orderId: payment.orderId,
    provider: payment.provider,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    paidAt: payment.paidAt,
    updatedAt: payment.updatedAt,
  };
}
