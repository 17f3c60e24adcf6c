import {
  createPayments,
  type Logger,
  type PaymentProvider,
  type PaymentStore,
  type Payments,
} from '@paymount/core';
import type { OrderStore } from './order-store.js';

/** Where the shop mounts paymount's routes. */
export const PAY_MOUNT = '/pay';

export interface ShopPaymentsOptions {
  /** The shop's public origin, e.g. `https://shop.example` (paymount lives at `{origin}/pay`). */
  readonly origin: string;
  readonly secret: string;
  readonly store: PaymentStore;
  readonly providers: Readonly<Record<string, PaymentProvider>>;
  readonly orders: OrderStore;
  readonly logger?: Logger;
}

/**
 * The whole paymount integration of the example shops: amounts come from the
 * shop's own orders, and the hooks write the outcome back into them.
 */
export function createShopPayments(options: ShopPaymentsOptions): Payments {
  const { orders } = options;
  return createPayments({
    publicUrl: `${options.origin}${PAY_MOUNT}`,
    secret: options.secret,
    store: options.store,
    providers: options.providers,
    ...(options.logger ? { logger: options.logger } : {}),
    // The amount is read from the shop's order book, never from the request.
    loadOrder: (orderId) => {
      const order = orders.get(orderId);
      if (!order || order.status === 'paid') return null;
      return {
        amount: order.total,
        currency: order.currency,
        description: `Paymount Goods order ${order.id}`,
      };
    },
    // AAIO never resends a lost notification: ask providers about payments left pending.
    reconcile: { intervalMs: 60_000 },
    returnUrls: {
      success: '/orders/{orderId}/thanks',
      pending: '/orders/{orderId}',
      failure: '/orders/{orderId}',
      anomaly: '/orders/{orderId}',
    },
    hooks: {
      // Runs at least once per paid payment, with a key that stays the same across retries.
      onPaid: (payment, { idempotencyKey }) =>
        orders.applyOnce(idempotencyKey, payment.orderId, (order) => ({
          ...order,
          status: 'paid',
          paidAt: payment.paidAt,
          paymentId: payment.id,
          provider: payment.provider,
          note: null,
        })),
      onAnomaly: (payment, { idempotencyKey }) =>
        orders.applyOnce(idempotencyKey, payment.orderId, (order) =>
          order.status === 'paid'
            ? order
            : {
                ...order,
                status: 'needs_attention',
                paymentId: payment.id,
                provider: payment.provider,
                note: `${payment.anomaly ?? 'anomaly'}: received ${payment.paidAmount ?? '?'} ${payment.paidCurrency ?? ''} of ${payment.amount} ${payment.currency}`,
              },
        ),
    },
  });
}
