import {
  type CheckoutRequest,
  type CheckoutResult,
  PaymentsError,
  type ProviderContext,
} from '@paymount/core/provider';
import type { AurpayApiClient } from './api-client.js';
import type { ResolvedAurpayOptions } from './options.js';
import { isAurpayOrderId } from './order-info.js';

const COIN_PART = /^[A-Za-z0-9_-]{1,32}$/;

/** The coin a payment is fixed to: the order's `method` ("CHAIN:CURRENCY" or "CURRENCY"), else the `coin` option. */
export function coinFor(
  method: string | undefined,
  options: ResolvedAurpayOptions,
): { chain: string; currency: string } | null {
  if (method === undefined || method === '') return options.coin;
  const [chain, currency, ...rest] = method.includes(':') ? method.split(':') : [method, method];
  if (!chain || !currency || rest.length > 0 || !COIN_PART.test(chain) || !COIN_PART.test(currency)) {
    throw new PaymentsError(
      'invalid_request',
      'An Aurpay method is "CHAIN:CURRENCY" (e.g. "ETH:USDT-ERC20") or a coin code (e.g. "BTC").',
    );
  }
  return { chain, currency };
}

/**
 * A JSON object whose first member is an amount written digit for digit. As a
 * JSON number it is spliced in as text: it never passes through a float.
 */
export function jsonWithAmount(
  amountField: string,
  amount: string,
  format: 'number' | 'string',
  rest: Record<string, unknown>,
): string {
  if (!/^\d+(?:\.\d+)?$/.test(amount)) {
    throw new PaymentsError('invalid_amount', `"${amount.slice(0, 40)}" is not a decimal amount.`);
  }
  const value = format === 'number' ? amount : JSON.stringify(amount);
  const tail = JSON.stringify(rest).slice(1);
  return `{${JSON.stringify(amountField)}:${value}${tail === '}' ? '}' : `,${tail}`}`;
}

function payUrlOf(data: unknown): string {
  const url = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['pay_url'] : null;
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
    throw new PaymentsError('provider_error', 'Aurpay created no pay_url for the payment.');
  }
  return url;
}

/**
 * Creates the Aurpay checkout: `pay-url` (the buyer picks the coin) or, when the coin
 * is fixed, `pay-info`. Not retried: Aurpay has no idempotency key, so a repeated
 * request would open a second Aurpay order.
 */
export async function createAurpayCheckout(
  api: AurpayApiClient,
  options: ResolvedAurpayOptions,
  { payment, order }: CheckoutRequest,
  ctx: ProviderContext,
): Promise<CheckoutResult> {
  const urls = {
    succeed_url: ctx.returnUrl(payment.id),
    timeout_url: ctx.returnUrl(payment.id),
    callback_url: ctx.callbackUrl(payment.id, 'paid'),
    timeout_callback: ctx.callbackUrl(payment.id, 'timeout'),
    fixed_encrypt_price: options.fixedEncryptPrice,
    enable_post_callback: options.enablePostCallback,
  };
  const coin = coinFor(order.method, options);
  if (!coin) {
    const body = jsonWithAmount('price', payment.amount, options.priceFormat, {
      currency: payment.currency,
      ...urls,
    });
    const data = await api.post('/api/order/pay-url', body);
    return { payUrl: payUrlOf(data), providerRef: null };
  }
  const body = jsonWithAmount('vs_price', payment.amount, options.priceFormat, {
    vs_currency: payment.currency,
    chain: coin.chain,
    currency: coin.currency,
    ...urls,
  });
  const data = await api.post('/api/order/pay-info', body);
  const orderId =
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['order_id'] : null;
  return { payUrl: payUrlOf(data), providerRef: isAurpayOrderId(orderId) ? orderId : null };
}
