import { createHmac } from 'node:crypto';
import {
  type CallbackInput,
  headerValue,
  type Payment,
  PaymentsError,
  type ProviderContext,
  type ProviderEvent,
  safeEqual,
  type VerifiedCallback,
} from '@paymount/core/provider';
import type { ResolvedAurpayOptions } from './options.js';
import { type AurpayOrderInfo, isAurpayOrderId } from './order-info.js';
import { eventFromOrder } from './order-status.js';
import { orderCreatedBetween } from './order-time.js';

/** The query parameter some Aurpay flows append to GET callbacks. */
export const APPENDED_ORDER_ID = 'aurpay_order_id';

/** Aurpay's callback signature: `base64(HMAC-SHA256(callbackSecret, "{Date} | {callback_url}"))`. */
export function callbackSignature(callbackSecret: string, date: string, url: string): string {
  return createHmac('sha256', callbackSecret).update(`${date} | ${url}`).digest('base64');
}

/** The URL with the `aurpay_order_id` parameter Aurpay may have appended removed, if it is there. */
function withoutAppendedOrderId(url: string): string | null {
  const at = url.indexOf('?');
  if (at === -1) return null;
  const pairs = url.slice(at + 1).split('&');
  const kept = pairs.filter((pair) => !pair.startsWith(`${APPENDED_ORDER_ID}=`));
  if (kept.length === pairs.length) return null;
  return kept.length > 0 ? `${url.slice(0, at)}?${kept.join('&')}` : url.slice(0, at);
}

function refuse(message: string): never {
  throw new PaymentsError('callback_unauthorized', message);
}

function checkEchoedApiKey(input: CallbackInput, options: ResolvedAurpayOptions): void {
  const echoed = headerValue(input.headers, 'api-key');
  if (echoed === undefined || echoed === '') {
    if (options.requireEchoedApiKey) refuse('The Aurpay callback does not carry the merchant API-Key.');
    return;
  }
  // Without a configured key (signature auth only) an echoed key cannot be checked, so it proves nothing.
  if (options.apiKey !== null && !safeEqual(echoed, options.apiKey)) {
    refuse('The Aurpay callback carries a wrong API-Key.');
  }
}

function checkCallbackSignature(
  input: CallbackInput,
  options: ResolvedAurpayOptions & { callbackSecret: string },
  now: Date,
): void {
  const token = headerValue(input.headers, 'callback-token');
  const date = headerValue(input.headers, 'date');
  const signature = headerValue(input.headers, 'signature');
  if (!token || !date || !signature) {
    refuse('The Aurpay callback lacks Callback-Token, Date or Signature.');
  }
  if (options.callbackToken !== null && !safeEqual(token, options.callbackToken)) {
    refuse('The Aurpay callback carries a wrong Callback-Token.');
  }
  // The documented input is the full URL as called; some flows may have signed it before
  // appending aurpay_order_id, so that form is accepted too (the order id is confirmed anyway).
  const candidates = [input.url, withoutAppendedOrderId(input.url)].filter((u): u is string => u !== null);
  const valid = candidates.some((url) =>
    safeEqual(signature, callbackSignature(options.callbackSecret, date, url)),
  );
  if (!valid) refuse('The Aurpay callback signature does not match.');
  const sent = Date.parse(date);
  if (Number.isNaN(sent)) refuse('The Aurpay callback Date is not a date.');
  if (Math.abs(now.getTime() - sent) > options.callbackMaxSkewMs) {
    throw new PaymentsError(
      'callback_replayed',
      'The Aurpay callback is too old (or from the future): its Date is outside the allowed window.',
    );
  }
}

/** The Aurpay order id a callback names, from the POST body or the appended query parameter. */
function orderIdFromCallback(input: CallbackInput): string | null {
  const body = input.body.value;
  const fromBody =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)['order_id']
      : undefined;
  const fromQuery = input.query.get(APPENDED_ORDER_ID);
  const ids = [fromBody, fromQuery].filter((v) => v !== undefined && v !== null && v !== '');
  for (const id of ids) {
    if (!isAurpayOrderId(id))
      throw new PaymentsError('callback_invalid', 'The Aurpay order id is malformed.');
  }
  if (ids.length === 2 && ids[0] !== ids[1]) {
    throw new PaymentsError('callback_invalid', 'The Aurpay callback names two different orders.');
  }
  return (ids[0] as string | undefined) ?? null;
}

/**
 * Refuses an Aurpay order that cannot be this payment's: bound to another order, or
 * created before the payment (by more than `orderClockSlackMs`) in every zone its
 * zone-less `create_time` may be in, so a wrong guess of the zone never refuses it.
 */
export function checkOrderBelongs(
  payment: Payment,
  order: AurpayOrderInfo,
  options: Pick<ResolvedAurpayOptions, 'orderClockSlackMs' | 'orderTimeZone'>,
): void {
  if (payment.providerRef !== null && payment.providerRef !== order.orderId) {
    throw new PaymentsError('callback_invalid', 'The Aurpay order is not the one this payment is bound to.', {
      details: { paymentId: payment.id },
    });
  }
  const created = orderCreatedBetween(order, options.orderTimeZone);
  if (created && created.latest < Date.parse(payment.createdAt) - options.orderClockSlackMs) {
    throw new PaymentsError(
      'callback_invalid',
      'The Aurpay order is older than the payment it is said to pay.',
      {
        details: { paymentId: payment.id },
      },
    );
  }
}

export interface CallbackDependencies {
  readonly options: ResolvedAurpayOptions;
  /** Reads the order from Aurpay's detail API: the source of truth. */
  fetchOrder(orderId: string): Promise<AurpayOrderInfo>;
}

/**
 * The Aurpay callback check. In order: paymount's signed callback URL (always), the
 * echoed `API-Key`, Aurpay's callback signature and its `Date` window (when a callback
 * secret is configured). Then the event comes from Aurpay's detail API, never from the
 * callback's body; without an order id to ask about, `unconfirmedCallbacks` decides.
 */
export async function verifyAurpayCallback(
  input: CallbackInput,
  ctx: ProviderContext,
  deps: CallbackDependencies,
): Promise<VerifiedCallback> {
  const { options } = deps;
  const signed = ctx.verifyCallbackUrl(input.query);
  if (!signed || signed.event === 'notify') {
    refuse('The callback URL is not one paymount issued for Aurpay (pm/ev/sig do not match).');
  }
  checkEchoedApiKey(input, options);
  if (options.callbackSecret !== null) {
    checkCallbackSignature(input, { ...options, callbackSecret: options.callbackSecret }, ctx.now());
  }
  const payment = await ctx.getPayment(signed.paymentId);
  if (!payment) throw new PaymentsError('payment_not_found', 'The callback names no payment of this shop.');

  const orderId = orderIdFromCallback(input) ?? payment.providerRef;
  if (orderId === null) {
    if (options.unconfirmedCallbacks === 'refuse') {
      throw new PaymentsError(
        'callback_invalid',
        'The Aurpay callback names no Aurpay order to confirm it with (set unconfirmedCallbacks or enablePostCallback).',
      );
    }
    const event: ProviderEvent =
      signed.event === 'paid'
        ? { status: 'paid', providerStatus: 'SUCCESS (unconfirmed)' }
        : { status: 'expired', providerStatus: 'OVERDUE (unconfirmed)' };
    ctx.logger.warn(
      { paymentId: payment.id, event: signed.event },
      'paymount: Aurpay callback taken on the signed URL alone (unconfirmedCallbacks: trust-signed-url)',
    );
    return { paymentId: payment.id, payment, event, dedupeKey: `${payment.id}:${signed.event}:unconfirmed` };
  }

  // Confirmation reads the order back from Aurpay; the engine skips it for a repeat of a
  // callback that already settled the payment. Keyed by Aurpay's order, not by our payment,
  // so one Aurpay order settles at most one payment.
  const confirm = async (): Promise<ProviderEvent> => {
    const order = await deps.fetchOrder(orderId);
    if (order.orderId !== orderId) {
      throw new PaymentsError('provider_error', 'Aurpay answered about another order than the one asked.');
    }
    checkOrderBelongs(payment, order, options);
    const claimed = (input.body.value as Record<string, unknown> | null)?.['status'];
    if (typeof claimed === 'string' && claimed.toUpperCase() !== order.status) {
      ctx.logger.info(
        { paymentId: payment.id, claimed: claimed.slice(0, 20), confirmed: order.status },
        'paymount: Aurpay callback body disagrees with the order detail; the detail wins',
      );
    }
    return eventFromOrder(order, { terminatedAs: options.terminatedAs });
  };
  const claimedEvent: ProviderEvent = { status: 'pending', providerRef: orderId };
  return {
    paymentId: payment.id,
    payment,
    event: claimedEvent,
    confirm,
    dedupeKey: `order:${orderId}:${signed.event}`,
  };
}
