// A shop for the "no payment left behind" tests (issue 14): the reliability suite's shop
// (paymount at /pay on a real HTTP server, the Aurpay and AAIO simulators behind it) on a
// fresh store of each kind, with an order book the test edits and a clock it moves.
import { callbackSignature } from '@paymount/aurpay';
import type { LoadOrderReason, Payment, PaymentsOptions } from '@paymount/core';
import { SECRETS } from '../reliability/support/capture.js';
import { type ProviderName, type Shop, type ShopOptions, startShop } from '../reliability/support/shop.js';
import { freshStore, type StoreKind } from '../reliability/support/stores.js';

export { removeStores, STORE_KINDS, type StoreKind } from '../reliability/support/stores.js';

/** One call of the shop's `loadOrder`, as paymount made it. */
export interface OrderQuestion {
  readonly orderId: string;
  readonly reason: LoadOrderReason;
  readonly paymentId: string | undefined;
}

/** An order of the shop's book: its price, and the payment method it asks for, if any. */
export interface Order {
  readonly amount: string;
  readonly currency: string;
  readonly method?: string;
}

export interface LeftBehindShop extends Shop {
  /** The shop's own orders: set one to change its price, delete it to make it gone. */
  readonly orders: Map<string, Order>;
  /** Every question paymount asked `loadOrder`, oldest first. */
  readonly questions: OrderQuestion[];
  /** Moves paymount's clock (not the simulators') forward. */
  advance(ms: number): void;
  /** Sets the order's price, then checks it out over HTTP. */
  checkoutAt(
    orderId: string,
    provider: ProviderName,
    amount: string,
    extra?: { method?: string },
  ): Promise<Payment>;
  /** The hook calls so far, after running the due hooks, as `hook:paymentId`. */
  hookNames(): Promise<string[]>;
}

/** Starts the shop on a fresh store of `kind`. */
export async function startLeftBehindShop(
  kind: StoreKind,
  options: ShopOptions & { payments?: Partial<PaymentsOptions> } = {},
): Promise<LeftBehindShop> {
  const orders = new Map<string, Order>();
  const questions: OrderQuestion[] = [];
  let offset = 0;
  const shop = await startShop({
    ...options,
    store: await freshStore(kind),
    payments: {
      now: () => new Date(Date.now() + offset),
      loadOrder: (orderId, context) => {
        questions.push({ orderId, reason: context.reason, paymentId: context.payment?.id });
        const order = orders.get(orderId);
        return order ? { ...order, description: `Order ${orderId}` } : null;
      },
      ...options.payments,
    },
  });
  return Object.assign(shop, {
    orders,
    questions,
    advance(ms: number) {
      offset += ms;
    },
    async checkoutAt(
      orderId: string,
      provider: ProviderName,
      amount: string,
      extra: { method?: string } = {},
    ) {
      orders.set(orderId, { amount, currency: 'USD', ...extra });
      return shop.checkout(orderId, provider, amount, extra);
    },
    async hookNames() {
      return (await shop.hooks()).map((call) => `${call.hook}:${call.paymentId}`);
    },
  });
}

/**
 * What turns a genuine Aurpay callback into the same callback sent to another URL paymount
 * published, as Aurpay would send it there: `Date` and `Signature` made anew for that URL
 * with the callback secret.
 */
export function resignedFor(url: string): {
  url: string;
  headers: Record<string, string>;
} {
  const date = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const signature = callbackSignature(SECRETS.aurpayCallbackSecret, date, url);
  return { url, headers: { Date: date, Signature: signature } };
}

/** The callback URL paymount gave Aurpay for this payment's timeout. */
export function timeoutUrlOf(shop: Shop, payment: Payment): string {
  const url = shop.aurpaySim.order(payment.payUrl!)?.timeoutCallback;
  if (!url) throw new Error(`no timeout callback registered for ${payment.id}`);
  return url;
}
