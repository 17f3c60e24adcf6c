import type { LoadOrderContext } from '../config/options.js';
import type { PaymentsRequest } from '../contracts/http.js';
import type { OrderDetails } from '../contracts/provider.js';
import { isPaymentsError, PaymentsError } from '../domain/errors.js';
import { formatAmount, fromMinorUnits, normalizeCurrency } from '../domain/money.js';
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
  provider: string,
  request: PaymentsRequest | undefined,
): Promise<NormalizedOrder> {
  const context: LoadOrderContext = { provider, ...(request ? { request } : {}) };
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
