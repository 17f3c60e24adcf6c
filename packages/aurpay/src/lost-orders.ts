import {
  compareAmounts,
  type FoundPayment,
  type LostPaymentFinder,
  type LostPaymentSearch,
  type Payment,
  type ProviderContext,
} from '@paymount/core/provider';
import type { AurpayApiClient } from './api-client.js';
import { checkOrderBelongs } from './callback-verification.js';
import type { LostOrderSearchOptions, ResolvedAurpayOptions } from './options.js';
import type { AurpayOrderInfo } from './order-info.js';
import { readRecentOrders } from './order-list.js';
import { eventFromOrder } from './order-status.js';
import { orderCreatedBetween } from './order-time.js';

function samePrice(order: AurpayOrderInfo, payment: Payment): boolean {
  if (order.vsPrice === null || order.vsCurrency !== payment.currency.toUpperCase()) return false;
  return compareAmounts(order.vsPrice, payment.amount) === 0;
}

/**
 * True when the order may be this payment's: the same fiat price and currency, and
 * created (in some zone `create_time` may be in) between the payment's creation, less the
 * clock slack, and `windowMs` after it. An order without a readable time fits any window.
 */
export function orderFits(
  order: AurpayOrderInfo,
  payment: Payment,
  options: ResolvedAurpayOptions,
  windowMs: number,
): boolean {
  if (!samePrice(order, payment)) return false;
  const created = orderCreatedBetween(order, options.orderTimeZone);
  if (!created) return true;
  const start = Date.parse(payment.createdAt) - options.orderClockSlackMs;
  return created.latest >= start && created.earliest <= Date.parse(payment.createdAt) + windowMs;
}

/** Which payments each order fits, and which orders each payment fits, for orders bound to no payment yet. */
async function fitsOf(
  payments: readonly Payment[],
  orders: readonly AurpayOrderInfo[],
  search: LostPaymentSearch,
  options: ResolvedAurpayOptions,
  windowMs: number,
): Promise<{ byPayment: Map<string, AurpayOrderInfo[]>; byOrder: Map<string, Payment[]> }> {
  const byPayment = new Map<string, AurpayOrderInfo[]>(payments.map((p) => [p.id, []]));
  const byOrder = new Map<string, Payment[]>();
  const seen = new Set<string>();
  for (const order of orders) {
    if (seen.has(order.orderId)) continue; // a list that shifted between pages repeats entries
    seen.add(order.orderId);
    const fit = payments.filter((payment) => orderFits(order, payment, options, windowMs));
    if (fit.length === 0 || (await search.isBound(order.orderId))) continue;
    byOrder.set(order.orderId, fit);
    for (const payment of fit) byPayment.get(payment.id)?.push(order);
  }
  return { byPayment, byOrder };
}

/**
 * Matches orders to payments one to one, or not at all: a payment is matched when exactly
 * one unbound order fits it, that order fits no other payment looked for, and its time is
 * known. Every other fit is logged as needing a person, with the ids involved.
 */
export async function matchLostOrders(
  search: LostPaymentSearch,
  orders: readonly AurpayOrderInfo[],
  options: ResolvedAurpayOptions,
  windowMs: number,
  ctx: ProviderContext,
): Promise<Array<{ payment: Payment; order: AurpayOrderInfo }>> {
  const { byPayment, byOrder } = await fitsOf(search.payments, orders, search, options, windowMs);
  const matches: Array<{ payment: Payment; order: AurpayOrderInfo }> = [];
  for (const payment of search.payments) {
    const fit = byPayment.get(payment.id) ?? [];
    if (fit.length === 0) continue;
    const [order] = fit;
    const rivals = order ? (byOrder.get(order.orderId) ?? []) : [];
    if (fit.length === 1 && order && rivals.length === 1 && order.createdAt !== null) {
      matches.push({ payment, order });
      continue;
    }
    const candidates = {
      providerRefs: fit.map((o) => o.orderId).slice(0, 10),
      otherPaymentIds: [...new Set(fit.flatMap((o) => byOrder.get(o.orderId) ?? []))]
        .map((p) => p.id)
        .filter((id) => id !== payment.id)
        .slice(0, 10),
    };
    search.unsure(payment.id, candidates);
    ctx.logger.warn(
      {
        paymentId: payment.id,
        aurpayOrderIds: candidates.providerRefs,
        otherPaymentIds: candidates.otherPaymentIds,
      },
      'paymount: an Aurpay payment without a callback matches its orders ambiguously (same price and time); left pending: a person should look in the Aurpay dashboard',
    );
  }
  return matches;
}

/**
 * The Aurpay lost-callback search: one read of the order list (`GET /api/v2/order/`) per
 * reconcile round for every pay-url payment still without an Aurpay order, then, for each
 * certain match, the order detail (the source of truth, as for a callback).
 */
export function lostOrderFinder(
  api: AurpayApiClient,
  options: ResolvedAurpayOptions,
  search: LostOrderSearchOptions,
  fetchOrder: (orderId: string) => Promise<AurpayOrderInfo>,
): LostPaymentFinder {
  return {
    lookBackMs: search.lookBackMs,
    async find(lost, ctx): Promise<FoundPayment[]> {
      if (lost.payments.length === 0) return [];
      const since =
        Math.min(...lost.payments.map((p) => Date.parse(p.createdAt))) - options.orderClockSlackMs;
      const read = await readRecentOrders(
        api,
        { since, maxPages: search.maxPages, pageSize: search.pageSize, logger: ctx.logger },
        (order, from) => {
          const created = orderCreatedBetween(order, options.orderTimeZone);
          return created !== null && created.latest < from;
        },
      );
      // Cut short, the list may hold an unread order that would make a match ambiguous.
      if (read.cut) return [];
      const found: FoundPayment[] = [];
      for (const { payment, order } of await matchLostOrders(
        lost,
        read.orders,
        options,
        search.windowMs,
        ctx,
      )) {
        try {
          const detail = await fetchOrder(order.orderId);
          // The list may lag behind: only the detail's own price and currency bind.
          if (detail.orderId !== order.orderId || !samePrice(detail, payment)) continue;
          checkOrderBelongs(payment, detail, options);
          const event = eventFromOrder(detail, { terminatedAs: options.terminatedAs });
          found.push({ paymentId: payment.id, event: { ...event, providerRef: detail.orderId } });
        } catch (error) {
          ctx.logger.warn(
            { paymentId: payment.id, aurpayOrderId: order.orderId, err: error },
            'paymount: could not confirm a found Aurpay order with its detail; the next round tries again',
          );
        }
      }
      return found;
    },
  };
}
