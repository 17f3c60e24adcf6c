import type { CallbackOutcome, PaymentProvider, PaymentsResponse } from '@paymount/core/provider';
import { AurpayApiClient } from './api-client.js';
import { checkOrderBelongs, verifyAurpayCallback } from './callback-verification.js';
import { createAurpayCheckout } from './checkout.js';
import { CurrencyList } from './currencies.js';
import { lostOrderFinder } from './lost-orders.js';
import { type AurpayOptions, resolveAurpayOptions } from './options.js';
import { type AurpayOrderInfo, parseOrderInfo } from './order-info.js';
import { eventFromOrder } from './order-status.js';
import { refundAtAurpay, refundStatusAtAurpay } from './refunds.js';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** Aurpay's answer to a callback: 200 `{"code":0,"message":"ok"}`, or the error status with a short JSON. */
function callbackReply(outcome: CallbackOutcome): PaymentsResponse {
  if (outcome.ok) {
    return {
      status: 200,
      headers: JSON_HEADERS,
      body: JSON.stringify({ code: 0, message: 'ok', result: true }),
    };
  }
  return {
    status: outcome.status,
    headers: JSON_HEADERS,
    body: JSON.stringify({
      code: outcome.status,
      message: outcome.message,
      error: outcome.code,
      result: false,
    }),
  };
}

/**
 * The Aurpay provider for paymount: hosted checkout through `pay-url` (or `pay-info`
 * when the coin is fixed), callbacks checked and confirmed with Aurpay's order API.
 * Throws a `PaymentsConfigError` listing every problem with the options.
 *
 * @example
 * providers: { aurpay: aurpay({ apiKey: process.env.AURPAY_API_KEY, callbackSecret: process.env.AURPAY_CALLBACK_SECRET }) }
 */
export function aurpay(input: AurpayOptions): PaymentProvider {
  const options = resolveAurpayOptions(input);
  const api = new AurpayApiClient(options);
  const currencies = new CurrencyList(api, options.currencyCacheTtlMs);
  const fetchOrder = async (orderId: string): Promise<AurpayOrderInfo> =>
    parseOrderInfo(await api.get(`/api/v2/order/detail/${encodeURIComponent(orderId)}`));

  return {
    kind: 'aurpay',
    secrets: [
      options.apiKey,
      options.signature?.secret,
      options.signature?.token,
      options.callbackSecret,
      options.callbackToken,
    ].filter((s): s is string => typeof s === 'string'),

    async validateOrder(order, ctx) {
      if (options.validateCurrencies) await currencies.check(order.currency, ctx.now(), ctx.logger);
    },

    createCheckout(request, ctx) {
      return createAurpayCheckout(api, options, request, ctx);
    },

    verifyCallback(input, ctx) {
      // The event carries Aurpay's order id as providerRef: the engine stores it even when the
      // status does not move, so later checks can ask about the order.
      return verifyAurpayCallback(input, ctx, { options, fetchOrder });
    },

    paymentIdOf(input) {
      // The signed callback URL names our payment (`pm`); unchecked here, it only files a refusal.
      return input.query.get('pm');
    },

    async fetchStatus(payment) {
      // pay-url returns no order id: until a callback names one there is nothing to ask about.
      const orderId = payment.providerRef;
      if (orderId === null) return null;
      const order = await fetchOrder(orderId);
      checkOrderBelongs(payment, order, options);
      return eventFromOrder(order, { terminatedAs: options.terminatedAs });
    },

    ...(options.lostOrderSearch
      ? { lostPayments: lostOrderFinder(api, options, options.lostOrderSearch, fetchOrder) }
      : {}),

    refund(request) {
      return refundAtAurpay(api, options, request);
    },

    refundStatus(request) {
      return refundStatusAtAurpay(api, request);
    },

    callbackReply,

    close() {
      return api.close();
    },
  };
}
