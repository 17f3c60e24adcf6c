import { type Logger, PaymentsError } from '@paymount/core/provider';
import type { AurpayApiClient } from './api-client.js';

const CODE = /^[A-Za-z]{3,5}$/;
const CODE_FIELDS = ['currency', 'code', 'name', 'symbol', 'value', 'vs_currency'] as const;

function codeOf(item: unknown): string | null {
  if (typeof item === 'string') return CODE.test(item.trim()) ? item.trim().toUpperCase() : null;
  if (typeof item === 'object' && item !== null) {
    for (const field of CODE_FIELDS) {
      const value = (item as Record<string, unknown>)[field];
      if (typeof value === 'string' && CODE.test(value.trim())) return value.trim().toUpperCase();
    }
  }
  return null;
}

/**
 * Reads the fiat currency list from `real-currency`, whose shape Aurpay does not document.
 * Accepted: `["USD", …]`, `[{currency|code|name|symbol: "USD"}, …]`, `{USD: …, EUR: …}`,
 * and any of those under `list`, `currencies`, `data` or `items`. Null for anything else.
 */
export function parseCurrencyList(data: unknown): Set<string> | null {
  if (Array.isArray(data)) {
    const codes = data.map(codeOf).filter((c): c is string => c !== null);
    return codes.length > 0 ? new Set(codes) : null;
  }
  if (typeof data === 'object' && data !== null) {
    const record = data as Record<string, unknown>;
    for (const key of ['list', 'currencies', 'data', 'items']) {
      if (key in record) {
        const nested = parseCurrencyList(record[key]);
        if (nested) return nested;
      }
    }
    const keys = Object.keys(record).filter((k) => CODE.test(k));
    return keys.length > 0 ? new Set(keys.map((k) => k.toUpperCase())) : null;
  }
  if (typeof data === 'string') {
    const codes = data.split(/[,\s]+/).filter((c) => CODE.test(c));
    return codes.length > 0 ? new Set(codes.map((c) => c.toUpperCase())) : null;
  }
  return null;
}

/** The accepted fiat currencies, fetched once per TTL and shared by concurrent checkouts. */
export class CurrencyList {
  readonly #api: AurpayApiClient;
  readonly #ttlMs: number;
  #cached: { codes: Set<string>; at: number } | null = null;
  #loading: Promise<Set<string>> | null = null;

  constructor(api: AurpayApiClient, ttlMs: number) {
    this.#api = api;
    this.#ttlMs = ttlMs;
  }

  /** Throws `invalid_amount` when Aurpay does not take this fiat currency. */
  async check(currency: string, now: Date, logger: Logger): Promise<void> {
    const codes = await this.#get(now.getTime(), logger);
    if (!codes.has(currency.toUpperCase())) {
      throw new PaymentsError('invalid_amount', `Aurpay does not accept payments in ${currency}.`, {
        details: { currency },
      });
    }
  }

  async #get(now: number, logger: Logger): Promise<Set<string>> {
    if (this.#cached && now - this.#cached.at < this.#ttlMs) return this.#cached.codes;
    if (!this.#loading) {
      this.#loading = (async () => {
        try {
          const data = await this.#api.get('/api/order/pay/real-currency');
          const codes = parseCurrencyList(data);
          if (!codes) {
            logger.warn({}, 'paymount: Aurpay real-currency answered in a shape paymount does not know');
            throw new PaymentsError(
              'provider_error',
              'Aurpay listed its currencies in an unknown shape; turn validateCurrencies off or report it.',
            );
          }
          this.#cached = { codes, at: now };
          return codes;
        } finally {
          this.#loading = null;
        }
      })();
    }
    return this.#loading;
  }
}
