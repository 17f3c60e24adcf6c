import type { CallbackInput } from '@paymount/core/provider';
import {
  type CallbackOutcome,
  type CheckoutRequest,
  type CheckoutResult,
  isPaymentId,
  type OrderDetails,
  type Payment,
  type PaymentProvider,
  PaymentsError,
  type PaymentsResponse,
  type ProviderContext,
  type ProviderEvent,
  stringFields,
  type VerifiedCallback,
} from '@paymount/core/provider';
import { AaioApiClient } from './api-client.js';
import { createAaioCheckout } from './checkout.js';
import { NotificationIpCheck } from './ip-allowlist.js';
import { MethodLimits } from './method-limits.js';
import { verifyAaioNotification } from './notification.js';
import { type AaioOptions, resolveAaioOptions } from './options.js';
import { fetchAaioStatus } from './order-status.js';

/** The AAIO provider made by {@link aaio}. Its `secrets` exist only so paymount can scrub them from logs. */
export interface AaioProvider extends PaymentProvider {
  readonly kind: 'aaio';
}

function plainText(status: number, body: string): PaymentsResponse {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    body,
  };
}

/**
 * AAIO (aaio.so) hosted checkout. Set these in AAIO's shop settings:
 * notification URL `{publicUrl}/callback/aaio`, success and fail URLs `{publicUrl}/return`.
 *
 * ```ts
 * providers: { aaio: aaio({ merchantId, secret1, secret2, apiKey }) }
 * ```
 * Throws a `PaymentsConfigError` listing every problem with the options.
 */
export function aaio(options: AaioOptions): AaioProvider {
  const resolved = resolveAaioOptions(options);
  const api = new AaioApiClient(resolved);
  const ipCheck = new NotificationIpCheck({
    mode: resolved.ipAllowlist,
    ttlMs: resolved.ipListTtlMs,
    fallback: resolved.fallbackIps,
    api,
  });
  const methodLimits = new MethodLimits(api, resolved);
  return {
    kind: 'aaio',
    secrets: [resolved.secret1, resolved.secret2, resolved.apiKey],

    async validateOrder(order: OrderDetails & { amount: string }, ctx: ProviderContext): Promise<void> {
      if (!resolved.currencies.includes(order.currency)) {
        throw new PaymentsError(
          'invalid_amount',
          `AAIO takes payments in ${resolved.currencies.join(', ')}, not ${order.currency}.`,
        );
      }
      const method = order.method || resolved.method;
      if (resolved.methodLimits && method) {
        await methodLimits.check(
          { amount: order.amount, currency: order.currency, method },
          ctx.now(),
          ctx.logger,
        );
      }
    },

    createCheckout(request: CheckoutRequest): Promise<CheckoutResult> {
      return createAaioCheckout(request, resolved, api);
    },

    verifyCallback(input: CallbackInput, ctx: ProviderContext): Promise<VerifiedCallback> {
      return verifyAaioNotification(input, ctx, { options: resolved, api, ipCheck });
    },

    paymentIdOf(input: CallbackInput): string | null {
      // Our payment id travels as AAIO's order_id; unchecked here, it only files a refusal.
      const orderId = stringFields(input.body)['order_id'];
      return typeof orderId === 'string' && isPaymentId(orderId) ? orderId : null;
    },

    fetchStatus(payment: Payment, ctx: ProviderContext): Promise<ProviderEvent | null> {
      return fetchAaioStatus(payment, ctx, resolved, api);
    },

    async refund(): Promise<never> {
      // No wiki page, SDK or shop module of AAIO's has a refund call: refunds are made in its cabinet.
      throw new PaymentsError(
        'refund_unsupported',
        'AAIO has no refund API: refund the payment in the AAIO cabinet, then record it with payments.recordRefund(paymentId, { amount, reference }).',
      );
    },

    callbackReply(outcome: CallbackOutcome): PaymentsResponse {
      // AAIO shows "HTTP 4xx/5xx" in its cabinet, where the merchant can resend by hand.
      if (outcome.ok) return plainText(200, 'OK');
      return plainText(outcome.status, `${outcome.code}: ${outcome.message}`);
    },

    paymentIdFromReturn(query: URLSearchParams): string | null {
      // AAIO's Success/Fail redirect carries our order_id (= payment id), unsigned: the return
      // route only uses it to look the payment up and ask AAIO, never as proof of payment.
      const orderId = query.get('order_id');
      return isPaymentId(orderId) ? orderId : null;
    },

    close(): Promise<void> {
      return api.close();
    },
  };
}
