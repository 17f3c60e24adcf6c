import { compareAmounts, decimalFromProvider, type Logger, PaymentsError } from '@paymount/core/provider';
import type { AaioApiClient } from './api-client.js';
import type { ResolvedAaioOptions } from './options.js';

/** One payment method's limits as `POST /api/methods-pay` lists them, per currency, as decimal strings. */
export interface AaioMethodLimits {
  readonly name: string;
  readonly min: ReadonlyMap<string, string>;
  readonly max: ReadonlyMap<string, string>;
}

function amountsByCurrency(value: unknown): Map<string, string> {
  const amounts = new Map<string, string>();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return amounts;
  for (const [currency, amount] of Object.entries(value)) {
    const decimal = decimalFromProvider(amount);
    if (decimal !== null) amounts.set(currency.toUpperCase(), decimal);
  }
  return amounts;
}

/**
 * Reads `methods-pay`'s `list`: `{CODE: {name, min: {RUB, …}, max: {…}, …}}`. Limits that
 * are absent or not amounts are left out (that method is then not limited in that
 * currency); null when there is no list at all.
 */
export function parseMethodList(
  answer: Readonly<Record<string, unknown>>,
): Map<string, AaioMethodLimits> | null {
  const list = answer['list'];
  if (typeof list !== 'object' || list === null || Array.isArray(list)) return null;
  const methods = new Map<string, AaioMethodLimits>();
  for (const [code, entry] of Object.entries(list)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const fields = entry as Record<string, unknown>;
    const name = typeof fields['name'] === 'string' ? fields['name'].slice(0, 80) : code;
    methods.set(code, { name, min: amountsByCurrency(fields['min']), max: amountsByCurrency(fields['max']) });
  }
  return methods;
}

/**
 * AAIO's per-method limits, read from `POST /api/methods-pay` at most once per
 * `methodLimitsTtlMs` and shared by concurrent checkouts. Only a known limit refuses an
 * amount: when the list cannot be read, or does not name the method or the currency,
 * the checkout goes ahead and AAIO decides, so an outage here never stops a payment.
 */
export class MethodLimits {
  readonly #api: AaioApiClient;
  readonly #options: ResolvedAaioOptions;
  #cached: { methods: Map<string, AaioMethodLimits>; at: number } | null = null;
  #loading: Promise<Map<string, AaioMethodLimits> | null> | null = null;

  constructor(api: AaioApiClient, options: ResolvedAaioOptions) {
    this.#api = api;
    this.#options = options;
  }

  /** Throws `amount_out_of_range`, naming the limits, when the method cannot take this amount. */
  async check(
    order: { amount: string; currency: string; method: string },
    now: Date,
    logger: Logger,
  ): Promise<void> {
    const methods = await this.#get(now.getTime(), logger);
    const limits = methods?.get(order.method);
    if (!methods || !limits) {
      if (methods) {
        logger.warn(
          { method: order.method.slice(0, 40) },
          'paymount: AAIO methods-pay does not list this method; its limits are not checked',
        );
      }
      return;
    }
    const currency = order.currency.toUpperCase();
    const min = limits.min.get(currency);
    const max = limits.max.get(currency);
    const below = min !== undefined && compareAmounts(order.amount, min) < 0;
    const above = max !== undefined && compareAmounts(order.amount, max) > 0;
    if (!below && !above) return;
    const range = `${min ?? '0'}–${max ?? 'any'} ${currency}`;
    throw new PaymentsError(
      'amount_out_of_range',
      `AAIO's ${limits.name} (${order.method}) takes ${range}; this order is ${order.amount} ${currency}.`,
      {
        details: { method: order.method, currency, amount: order.amount, min: min ?? null, max: max ?? null },
      },
    );
  }

  async #get(now: number, logger: Logger): Promise<Map<string, AaioMethodLimits> | null> {
    const cached = this.#cached;
    if (cached && now - cached.at < this.#options.methodLimitsTtlMs) return cached.methods;
    this.#loading ??= this.#load(now, logger).finally(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  async #load(now: number, logger: Logger): Promise<Map<string, AaioMethodLimits> | null> {
    try {
      const answer = await this.#api.post(
        '/api/methods-pay',
        { merchant_id: this.#options.merchantId },
        { withKey: true, idempotent: true },
      );
      const methods = parseMethodList(answer);
      if (!methods) throw new PaymentsError('provider_error', 'AAIO methods-pay answered without a list.');
      this.#cached = { methods, at: now };
      return methods;
    } catch (error) {
      // The last list read (if any) is better than none; without one, nothing is refused.
      logger.warn(
        { err: error },
        'paymount: could not read AAIO methods-pay (check the API key has that permission); method limits are not checked now',
      );
      return this.#cached?.methods ?? null;
    }
  }
}
