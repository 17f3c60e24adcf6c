import type { LoadOrderContext } from '../config/options.js';
import type { OrderDetails } from '../contracts/provider.js';
import { isPaymentsError, PaymentsError } from '../domain/errors.js';
import { compareAmounts, formatAmount, fromMinorUnits, normalizeCurrency } from '../domain/money.js';
import type { Payment } from '../domain/payment.js';
import type { EngineContext } from './context.js';

/** An order as `loadOrder` described it, with its amount in the currency's canonical form. */
export interface NormalizedOrder {
  readonly amount: string;
  readonly currency: string;
  readonly details: OrderDetails & { amount: string };
}

function normalize(engine: EngineContext, order: unknown): NormalizedOrder {
  if (typeof order !== 'object' || order === null) {
    throw new PaymentsError('invalid_amount', 'not an object');
  }
  const o = order as OrderDetails;
  const scales = engine.options.currencyScales;
  const currency = normalizeCurrency(o.currency);
  let amount: string;
  if (o.amount !== undefined) amount = formatAmount(o.amount, currency, scales);
  else if (o.amountMinor !== undefined) amount = fromMinorUnits(o.amountMinor, currency, scales);
  else throw new PaymentsError('invalid_amount', 'neither amount nor amountMinor was given');
  return { amount, currency, details: { ...o, amount, currency } };
}

/**
 * Asks the shop's `loadOrder` for the truth about an order: amount and currency, never
 * from the request. Throws `order_not_found` for null, `order_invalid` for an order
 * that cannot be paid, `internal_error` when `loadOrder` itself failed.
 */
export async function loadOrder(
  engine: EngineContext,
  orderId: string,
  context: LoadOrderContext,
): Promise<NormalizedOrder> {
  let loaded: OrderDetails | null;
  try {
    loaded = await engine.options.loadOrder(orderId, context);
  } catch (error) {
    if (isPaymentsError(error)) throw error;
    const hint = 'fix loadOrder where the stack points (return null for an order this buyer may not pay)';
    engine.logger.error({ orderId, err: error, hint }, 'paymount: loadOrder threw');
    throw new PaymentsError('internal_error', 'loadOrder failed.', { cause: error });
  }
  if (loaded === null || loaded === undefined) {
    throw new PaymentsError('order_not_found', `There is no order "${orderId}" to pay.`);
  }
  try {
    return normalize(engine, loaded);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    engine.logger.error(
      { orderId, reason, code: 'order_invalid' },
      'paymount: loadOrder returned an order that cannot be paid',
    );
    throw new PaymentsError('order_invalid', `loadOrder("${orderId}") returned an invalid order: ${reason}`, {
      cause: error,
    });
  }
}

/** True when the order asks for this payment's amount and currency (compared as decimals). */
export function sameMoney(payment: Pick<Payment, 'amount' | 'currency'>, order: NormalizedOrder): boolean {
  return order.currency === payment.currency && compareAmounts(order.amount, payment.amount) === 0;
}

/**
 * Asks the shop once more, just before a payment becomes `paid`, whether its order still
 * asks for this amount and currency (`reason: 'confirm'`). False for a changed or a gone
 * order: the payment must not be paid then. A `loadOrder` that throws is the shop's outage,
 * not an answer: the error goes up and nothing changes, so the provider or the reconciler
 * tries again.
 */
export async function orderStillMatches(engine: EngineContext, payment: Payment): Promise<boolean> {
  try {
    const order = await loadOrder(engine, payment.orderId, {
      provider: payment.provider,
      reason: 'confirm',
      payment,
    });
    return sameMoney(payment, order);
  } catch (error) {
    if (isPaymentsError(error) && error.code === 'order_not_found') return false;
    throw error;
  }
}

/** The string fields of an order a payment keeps (e-mail, language, method, pass-through metadata). */
export function orderMetadata(order: OrderDetails): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (order.email) metadata['email'] = order.email;
  if (order.lang) metadata['lang'] = order.lang;
  if (order.method) metadata['method'] = order.method;
  for (const [key, value] of Object.entries(order.metadata ?? {})) {
    if (typeof value === 'string') metadata[key] = value;
  }
  return metadata;
}
