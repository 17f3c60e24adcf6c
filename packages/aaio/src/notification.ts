import {
  type CallbackInput,
  compareAmounts,
  decimalFromProvider,
  isPaymentId,
  PaymentsError,
  type ProviderContext,
  type ProviderEvent,
  safeEqual,
  stringFields,
  type VerifiedCallback,
} from '@paymount/core/provider';
import type { AaioApiClient } from './api-client.js';
import type { NotificationIpCheck } from './ip-allowlist.js';
import type { ResolvedAaioOptions } from './options.js';
import { eventFromInfoPay, fetchInfoPay } from './order-status.js';
import { verifyNotificationSign } from './signature.js';

const REQUIRED = ['merchant_id', 'order_id', 'amount', 'currency', 'status', 'sign'] as const;

/**
 * Checks an AAIO payment notification, in the order a forged one is cheapest to refuse:
 * POST only, source address (when configured), required fields, our `merchant_id`, the
 * sign (secret #2 over the raw posted strings, constant time), a known payment. Then,
 * when `confirmWithInfoPay` is on, asks AAIO's API and uses its answer as the event.
 *
 * The amount and currency travel in the event, so the engine compares them with the
 * stored payment as decimals: a genuinely signed underpayment becomes an `anomaly`.
 */
export async function verifyAaioNotification(
  input: CallbackInput,
  ctx: ProviderContext,
  deps: { options: ResolvedAaioOptions; api: AaioApiClient; ipCheck: NotificationIpCheck },
): Promise<VerifiedCallback> {
  const { options, api, ipCheck } = deps;
  if (input.method !== 'POST') {
    throw new PaymentsError('method_not_allowed', 'AAIO notifications are POSTed.');
  }
  if (!(await ipCheck.allows(input.ip, ctx.now().getTime(), ctx.logger))) {
    throw new PaymentsError('callback_forbidden', 'Notifications are not accepted from this address.', {
      details: { ip: input.ip ?? null },
    });
  }
  const fields = stringFields(input.body);
  const missing = REQUIRED.filter((name) => !fields[name]);
  if (missing.length > 0) {
    throw new PaymentsError('callback_invalid', `The notification lacks ${missing.join(', ')}.`);
  }
  const merchantId = fields['merchant_id']!;
  const orderId = fields['order_id']!;
  const rawAmount = fields['amount']!;
  const rawCurrency = fields['currency']!;
  const status = fields['status']!;
  if (!safeEqual(merchantId.toLowerCase(), options.merchantId.toLowerCase())) {
    throw new PaymentsError('callback_unauthorized', 'The notification is for another shop.');
  }
  const signed = { merchantId, amount: rawAmount, currency: rawCurrency, orderId };
  if (!verifyNotificationSign(signed, fields['sign']!, options.secret2)) {
    throw new PaymentsError('callback_unauthorized', 'The notification sign does not match.');
  }
  if (status !== 'success' && status !== 'hold') {
    throw new PaymentsError('callback_invalid', 'The notification has an unknown status.', {
      details: { status: status.slice(0, 32) },
    });
  }
  const amount = decimalFromProvider(rawAmount);
  if (amount === null) {
    throw new PaymentsError('callback_invalid', 'The notification amount is not a decimal number.');
  }
  const currency = rawCurrency.trim().toUpperCase();
  if (!isPaymentId(orderId)) {
    throw new PaymentsError('payment_not_found', 'The notification names no payment of this shop.');
  }
  const payment = await ctx.getPayment(orderId);
  if (!payment || payment.provider !== ctx.name) {
    throw new PaymentsError('payment_not_found', 'The notification names no payment of this shop.');
  }
  const invoiceId = fields['invoice_id'] ?? null;
  const event: ProviderEvent = {
    status: 'paid',
    amount,
    currency,
    providerStatus: status,
    providerRef: invoiceId,
  };
  if (compareAmounts(amount, payment.amount) !== 0 || currency !== payment.currency) {
    ctx.logger.warn(
      { paymentId: payment.id, amount, currency, expected: `${payment.amount} ${payment.currency}` },
      'paymount/aaio: a signed notification does not match the payment; the shop must look',
    );
  }
  // Confirmation asks AAIO's info-pay; the engine skips it for a repeat of a notification
  // that already settled the payment.
  const confirm = options.confirmWithInfoPay
    ? async (): Promise<ProviderEvent> => {
        const confirmed = eventFromInfoPay(await fetchInfoPay(payment, options, api), payment);
        if (confirmed.status !== 'paid') {
          // AAIO sends a notification once: a 5xx shows in its cabinet so the merchant can resend,
          // and the reconciler keeps asking meanwhile.
          throw new PaymentsError('provider_error', "AAIO's API does not confirm this payment yet.", {
            details: { paymentId: payment.id, providerStatus: confirmed.providerStatus ?? null },
          });
        }
        return { ...confirmed, providerRef: confirmed.providerRef ?? invoiceId };
      }
    : undefined;
  return {
    paymentId: payment.id,
    payment,
    event,
    ...(confirm ? { confirm } : {}),
    dedupeKey: `${invoiceId ?? orderId}:${status}`,
  };
}
