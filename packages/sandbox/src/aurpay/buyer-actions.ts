import { randomBytes } from 'node:crypto';
import { dispatchCallback } from './callback-dispatch.js';
import type { AurpaySimCallback } from './callbacks.js';
import { compareDecimal, isPositiveDecimal } from './order-book.js';
import type { AurpaySimState } from './state.js';

/**
 * The buyer pays an order: `SUCCESS`, or `PARTIAL` when `amount` (fiat) is below the price.
 * Sends the success callback unless `callback: false`.
 */
export async function payOrder(
  state: AurpaySimState,
  ref: string,
  options: { amount?: string; callback?: boolean } = {},
): Promise<AurpaySimCallback[]> {
  const order = state.findOrThrow(ref);
  const amount = options.amount ?? order.info.vs_price;
  if (!isPositiveDecimal(amount)) throw new Error(`"${amount}" is not an amount.`);
  const partial = compareDecimal(amount, order.info.vs_price) < 0;
  order.paidAmount = amount;
  order.info['tx_hash'] = `0x${randomBytes(32).toString('hex')}`;
  order.info['from_addr'] = `0x${randomBytes(20).toString('hex')}`;
  order.info['obtained'] = amount;
  state.touch(order, partial ? 'PARTIAL' : 'SUCCESS');
  return options.callback === false ? [] : dispatchCallback(state, order, 'success');
}

/** The order times out (`OVERDUE`); sends the timeout callback unless `callback: false`. */
export async function expireOrder(
  state: AurpaySimState,
  ref: string,
  options: { callback?: boolean } = {},
): Promise<AurpaySimCallback[]> {
  const order = state.findOrThrow(ref);
  state.touch(order, 'OVERDUE');
  return options.callback === false ? [] : dispatchCallback(state, order, 'timeout');
}
