import { PaymentsError, type ProviderEvent } from '@paymount/core/provider';
import type { AurpayOrderInfo } from './order-info.js';

/** How the undocumented statuses are read; see the README. */
export interface StatusMapping {
  readonly terminatedAs: 'failed' | 'expired';
}

/**
 * Turns Aurpay's order status into paymount's event. `OVERDUE` is `expired`, which is
 * not final in paymount either: a later `SUCCESS` still pays. An unknown status is a
 * `provider_error`, so the callback is answered with an error and the reconciler asks again.
 */
export function eventFromOrder(order: AurpayOrderInfo, mapping: StatusMapping): ProviderEvent {
  const base = { providerRef: order.orderId, providerStatus: order.status };
  switch (order.status) {
    case 'SUCCESS':
    case 'RESOLVED':
      if (!order.vsPrice || !order.vsCurrency) {
        throw new PaymentsError(
          'provider_error',
          `Aurpay reports order ${order.orderId} ${order.status} without vs_price/vs_currency; it cannot be checked.`,
        );
      }
      // RESOLVED is the merchant's own decision in Aurpay's dashboard: the one word that may
      // settle an anomaly which a repeat of SUCCESS may not (a payment after a failure).
      return {
        ...base,
        status: 'paid',
        amount: order.vsPrice,
        currency: order.vsCurrency,
        ...(order.status === 'RESOLVED' ? { resolved: true } : {}),
      };
    case 'PENDING':
      return { ...base, status: 'pending' };
    case 'OVERDUE':
      return { ...base, status: 'expired' };
    case 'TERMINATED':
      return { ...base, status: mapping.terminatedAs };
    case 'PARTIAL':
      // vs_price is the price asked, not what arrived: the paid amount is unknown here.
      return { ...base, status: 'partial', currency: order.vsCurrency };
    case 'REFUNDED':
      return { ...base, status: 'refunded' };
    default:
      throw new PaymentsError(
        'provider_error',
        `Aurpay reports an unknown status "${order.status.slice(0, 20)}" for order ${order.orderId}.`,
      );
  }
}
