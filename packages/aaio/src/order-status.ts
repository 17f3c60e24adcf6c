import {
  decimalFromProvider,
  type Payment,
  PaymentsError,
  type ProviderContext,
  type ProviderEvent,
} from '@paymount/core/provider';
import { type AaioApiClient, aaioErrorDetails } from './api-client.js';
import type { ResolvedAaioOptions } from './options.js';

/** AAIO's order statuses (`info-pay`): `hold` is paid with the funds frozen. */
export type AaioOrderStatus = 'in_process' | 'success' | 'hold' | 'expired';

/** Turns an `info-pay` answer into a provider event; throws `provider_error` for one we cannot read. */
export function eventFromInfoPay(answer: Readonly<Record<string, unknown>>, payment: Payment): ProviderEvent {
  const status = answer['status'];
  const orderId = answer['order_id'];
  // Absent is tolerated (the docs list it, SDKs do not rely on it); anything else must be ours.
  if (orderId !== undefined && orderId !== payment.id) {
    throw new PaymentsError('provider_error', 'AAIO info-pay answered about another order.', {
      details: { paymentId: payment.id },
    });
  }
  const providerRef = typeof answer['id'] === 'string' ? answer['id'] : null;
  switch (status) {
    case 'in_process':
      return { status: 'pending', providerStatus: status, providerRef };
    case 'expired':
      return { status: 'expired', providerStatus: status, providerRef };
    case 'success':
    case 'hold': {
      const amount = decimalFromProvider(answer['amount']);
      const currency = typeof answer['currency'] === 'string' ? answer['currency'].toUpperCase() : null;
      if (amount === null || currency === null) {
        throw new PaymentsError(
          'provider_error',
          'AAIO info-pay reported a payment without amount or currency.',
          {
            details: { paymentId: payment.id, status },
          },
        );
      }
      return { status: 'paid', amount, currency, providerStatus: status, providerRef };
    }
    default:
      throw new PaymentsError('provider_error', 'AAIO info-pay answered an unknown order status.', {
        details: { paymentId: payment.id, status: typeof status === 'string' ? status.slice(0, 32) : null },
      });
  }
}

/**
 * AAIO's way of saying it has no such order: no documented code, so an HTTP 404 or a
 * "not found" message (English or Russian) counts.
 */
function isUnknownOrder(error: unknown): boolean {
  const details = aaioErrorDetails(error);
  if (!details) return false;
  return details.status === 404 || /not\s*found|не\s*найден/i.test(details.message);
}

/** Asks `POST /api/info-pay` about one payment (our payment id is AAIO's `order_id`). */
export async function fetchInfoPay(
  payment: Payment,
  options: ResolvedAaioOptions,
  api: AaioApiClient,
): Promise<Readonly<Record<string, unknown>>> {
  const answer = await api.post(
    '/api/info-pay',
    { merchant_id: options.merchantId, order_id: payment.id },
    { withKey: true, idempotent: true },
  );
  const merchant = answer['merchant_id'];
  const ours = typeof merchant === 'string' && merchant.toLowerCase() === options.merchantId.toLowerCase();
  if (merchant !== undefined && !ours) {
    throw new PaymentsError('provider_error', 'AAIO info-pay answered about another shop.', {
      details: { paymentId: payment.id },
    });
  }
  return answer;
}

/**
 * Where a payment stands at AAIO. An order AAIO does not know yet (the buyer never
 * opened the pay form) is "cannot say" (null) until `orderLifetimeMs` has passed, then expired.
 */
export async function fetchAaioStatus(
  payment: Payment,
  ctx: ProviderContext,
  options: ResolvedAaioOptions,
  api: AaioApiClient,
): Promise<ProviderEvent | null> {
  let answer: Readonly<Record<string, unknown>>;
  try {
    answer = await fetchInfoPay(payment, options, api);
  } catch (error) {
    if (!isUnknownOrder(error)) throw error;
    const age = ctx.now().getTime() - Date.parse(payment.createdAt);
    return age > options.orderLifetimeMs ? { status: 'expired', providerStatus: 'unknown_order' } : null;
  }
  return eventFromInfoPay(answer, payment);
}
