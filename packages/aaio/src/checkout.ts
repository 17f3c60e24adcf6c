import {
  type CheckoutRequest,
  type CheckoutResult,
  type Payment,
  PaymentsError,
} from '@paymount/core/provider';
import type { AaioApiClient } from './api-client.js';
import type { ResolvedAaioOptions } from './options.js';
import { creationSign } from './signature.js';

/** AAIO's `order_id` charset: 1–64 letters, digits and `: - _ [ ] |`. paymount ids (`pm_…`) fit. */
const AAIO_ORDER_ID = /^[A-Za-z0-9:\-_[\]|]{1,64}$/;
const MAX_DESC = 512;

/** Cuts a description to AAIO's 512 characters without splitting a character. */
function description(payment: Payment): string | null {
  const text = (payment.description ?? '').trim();
  if (text === '') return null;
  const chars = Array.from(text);
  return chars.length > MAX_DESC ? chars.slice(0, MAX_DESC).join('') : text;
}

/**
 * The parameters of a payment creation. The amount is the payment's canonical
 * amount string ("100.00"), used byte for byte in both the sign and the body.
 */
export function payFormFields(payment: Payment, options: ResolvedAaioOptions): Record<string, string> {
  if (!AAIO_ORDER_ID.test(payment.id)) {
    throw new PaymentsError('invalid_request', 'The payment id does not fit AAIO order_id rules.');
  }
  const signed = {
    merchantId: options.merchantId,
    amount: payment.amount,
    currency: payment.currency,
    orderId: payment.id,
  };
  const fields: Record<string, string> = {
    merchant_id: signed.merchantId,
    amount: signed.amount,
    currency: signed.currency,
    order_id: signed.orderId,
    sign: creationSign(signed, options.secret1),
  };
  const desc = description(payment);
  if (desc) fields['desc'] = desc;
  const { metadata } = payment;
  if (metadata['email']) fields['email'] = metadata['email'];
  const lang = metadata['lang'] ?? options.lang;
  if (lang === 'ru' || lang === 'en') fields['lang'] = lang;
  const method = metadata['method'] || options.method;
  if (method) fields['method'] = method;
  for (const [key, value] of Object.entries(metadata)) {
    // Only the shop's own custom fields travel; AAIO echoes them in the notification.
    if (/^us_[A-Za-z0-9_]{1,60}$/.test(key)) fields[key] = value;
  }
  return fields;
}

/**
 * Creates the AAIO payment: asks `POST /merchant/get_pay_url` for the currently valid
 * pay-form URL (every field, e-mail included, travels server to server), or
 * (checkoutMode `pay_url`) builds the signed legacy link locally. That link holds
 * `merchant_id`, `amount`, `currency`, `order_id`, `sign`, `desc`, `lang`, `method`
 * and the `us_*` fields, never the e-mail.
 */
export async function createAaioCheckout(
  request: CheckoutRequest,
  options: ResolvedAaioOptions,
  api: AaioApiClient,
): Promise<CheckoutResult> {
  const fields = payFormFields(request.payment, options);
  if (options.checkoutMode === 'pay_url') {
    // This link is handed to the buyer's browser and to the checkout JSON: it must not carry
    // the buyer's e-mail (it is not signed; AAIO's form asks for it instead).
    const { email: _email, ...linkFields } = fields;
    return { payUrl: `${options.baseUrl}/merchant/pay?${new URLSearchParams(linkFields).toString()}` };
  }
  // Keyed by our order_id, so a repeat after a lost answer names the same AAIO order.
  const answer = await api.post('/merchant/get_pay_url', fields, { withKey: false, idempotent: true });
  const url = answer['url'];
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
    throw new PaymentsError('provider_error', 'AAIO answered get_pay_url without a pay-form URL.', {
      details: { path: '/merchant/get_pay_url' },
    });
  }
  return { payUrl: url };
}
