import type { Payment } from '../domain/payment.js';
import type { Logger } from '../logging/logger.js';
import type { CallbackResult, CheckoutInput, CheckoutOutcome } from './actions.js';
import type { CallbackInput, PaymentsResponse } from './http.js';
import type { CallbackOutcome } from './provider.js';

/**
 * The narrow port the HTTP layer drives: the engine implements it, and the router
 * knows nothing else of the engine. Each member is one thing a route needs.
 */
export interface PaymentsPort {
  /** Absolute URL paymount is mounted at, without a trailing slash. */
  readonly publicUrl: string;
  /** Largest request body paymount reads, in bytes. */
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  /** What a buyer's browser gets when checkout or return fails (the `browserErrors` option). */
  readonly browserErrors: 'redirect' | 'framework' | 'json';
  /** The shop's failure page for an order (absolute), with `paymount_error=CODE` in its query. */
  failurePage(orderId: string, provider: string | undefined, code: string): string;
  /** Removes every configured secret from a text that is about to leave the process. */
  redact(text: string): string;
  checkout(input: CheckoutInput): Promise<CheckoutOutcome>;
  /** How the named provider phrases its callback answers; undefined when no such provider is configured. */
  callbackReplier(provider: string): ((outcome: CallbackOutcome) => PaymentsResponse) | undefined;
  handleCallback(provider: string, input: CallbackInput): Promise<CallbackResult>;
  resolveReturn(paymentId: string): Promise<{ payment: Payment; redirectUrl: string }>;
  /** The payment id a provider's own return redirect names (AAIO's Success/Fail URL), if any. */
  paymentIdFromReturn(query: URLSearchParams): string | null;
  statusOf(paymentId: string): Promise<Payment | null>;
  /**
   * Answers one request inside the engine's telemetry (a span per request): `answer` notes
   * the error code it answered with in `outcome.code`, which stays `ok` otherwise.
   */
  observeRequest(
    route: string,
    provider: string | undefined,
    answer: (outcome: { code: string }) => Promise<PaymentsResponse>,
  ): Promise<PaymentsResponse>;
}
