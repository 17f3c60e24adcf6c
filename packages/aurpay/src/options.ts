import { PaymentsConfigError } from '@paymount/core/provider';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { ANY_ZONE, type OrderTimeZone, parseOrderTimeZone } from './order-time.js';

/** The HMAC algorithms Aurpay's signature auth names in its `Algorithm` header. */
export type AurpayAlgorithm = 'HMAC-SHA256' | 'HMAC-SHA3_256';

/**
 * Options of {@link aurpay}. Every behaviour the public Aurpay documentation leaves
 * open is an option here, with the default the README explains.
 */
export interface AurpayOptions {
  /**
   * The merchant's API key. Sent as the `API-Key` header when no `signature` is
   * configured, and compared with the `API-Key` header Aurpay echoes in callbacks.
   */
  readonly apiKey?: string | undefined;
  /** Signature auth (Aurpay's recommendation for production) instead of the `API-Key` header. */
  readonly signature?:
    | {
        /** Sent as the `API-Token` header. */
        readonly token: string;
        /** The HMAC key; never sent. */
        readonly secret: string;
        /** Default `HMAC-SHA256`. */
        readonly algorithm?: AurpayAlgorithm | undefined;
      }
    | undefined;
  /**
   * The merchant's callback-authentication secret. When set, every callback must carry
   * `Callback-Token`, `Date` and `Signature = base64(HMAC-SHA256(secret, "{Date} | {url}"))`.
   * Required with signature auth unless `apiKey` and `requireEchoedApiKey: true` are given.
   */
  readonly callbackSecret?: string | undefined;
  /** When set (and `callbackSecret` is), the `Callback-Token` header must equal it. */
  readonly callbackToken?: string | undefined;
  /** How far a callback's `Date` may be from our clock, in ms. Default 300 000 (5 min). */
  readonly callbackMaxSkewMs?: number | undefined;
  /**
   * Refuse callbacks that do not echo our `API-Key`. Default: true when `apiKey` is set.
   * An echoed key that does not match is refused whatever this says. Turning it off
   * needs `callbackSecret`: some check made by Aurpay itself is always required.
   */
  readonly requireEchoedApiKey?: boolean | undefined;
  /**
   * What to do with a callback that names no Aurpay order (a GET callback without
   * `aurpay_order_id`), so it cannot be confirmed with Aurpay's API:
   * `refuse` (default) answers 400 and changes nothing; `trust-signed-url` takes
   * paymount's signed callback URL as proof of the event (paid or timed out) with no amount check.
   */
  readonly unconfirmedCallbacks?: 'refuse' | 'trust-signed-url' | undefined;
  /** Ask Aurpay to POST the order-info object to the callbacks (carries the order id). Default true. */
  readonly enablePostCallback?: boolean | undefined;
  /** Aurpay's `fixed_encrypt_price`: USDT priced 1:1 to USD. Default false. */
  readonly fixedEncryptPrice?: boolean | undefined;
  /** How `price` goes out in the JSON body: a JSON number with the exact digits (default, as in Aurpay's example) or a string. */
  readonly priceFormat?: 'number' | 'string' | undefined;
  /**
   * Fix the coin for every payment (uses `POST /api/order/pay-info` instead of `pay-url`).
   * A shop can also fix it per order with `method: "CHAIN:CURRENCY"` (e.g. `"ETH:USDT-ERC20"`).
   */
  readonly coin?: { readonly chain: string; readonly currency: string } | undefined;
  /** What Aurpay's `TERMINATED` (meaning undocumented) becomes. Default `failed`. */
  readonly terminatedAs?: 'failed' | 'expired' | undefined;
  /** Check the order's currency against `GET /api/order/pay/real-currency` before checkout. Default false. */
  readonly validateCurrencies?: boolean | undefined;
  /** How long that currency list is cached, in ms. Default 3 600 000. */
  readonly currencyCacheTtlMs?: number | undefined;
  /**
   * Refuse an Aurpay order created this long (ms) before the payment itself, in every
   * zone `orderTimeZone` allows: it cannot belong to it. Default 600 000.
   */
  readonly orderClockSlackMs?: number | undefined;
  /**
   * The zone of Aurpay's zone-less `create_time` (undocumented): `'any'` (default: every
   * real zone, UTC−12 … UTC+14, so no guess can refuse a genuine order), `'UTC'`, or a
   * fixed offset such as `'+08:00'` or `'-05:00'`, which narrows the stale-order check and
   * the lost-order search to the minute.
   */
  readonly orderTimeZone?: string | undefined;
  /**
   * The search for lost first callbacks: a `pay-url` payment has no Aurpay order id until
   * a callback names one, so once per reconcile round Aurpay's order list
   * (`GET /api/v2/order/`) is read for orders of the same `vs_price` and `vs_currency`,
   * created within `windowMs` after such a payment, and bound to no other payment. One
   * order fitting one payment, and no other, is bound and its status applied; anything
   * ambiguous is logged for a person. `false` turns it off (e.g. an Aurpay account that
   * other shops or invoices use too). Defaults: `windowMs` 3 600 000 (an order made up to an
   * hour after the checkout), `lookBackMs` 21 600 000 (payments up to 6 hours old are
   * looked for), `maxPages` 10 and `pageSize` 50 per round. A read cut short by
   * `maxPages` binds nothing: an unread order could make a match ambiguous.
   */
  readonly lostOrderSearch?:
    | false
    | {
        readonly windowMs?: number | undefined;
        readonly lookBackMs?: number | undefined;
        readonly maxPages?: number | undefined;
        readonly pageSize?: number | undefined;
      }
    | undefined;
  /**
   * The field names of a refund request (`POST /api/v2/order/refund/{order_id}`), which
   * Aurpay does not publish: `address-amount` (default: `{"address": wallet, "amount":
   * fiat}`) or `refund-prefixed` (`{"refund_address", "refund_amount"}`). The amount is in
   * the order's fiat currency (`vs_currency`).
   */
  readonly refundRequest?: 'address-amount' | 'refund-prefixed' | undefined;
  /** Default `https://dashboard.aurpay.net`. */
  readonly baseUrl?: string | undefined;
  /** Per-request time budget, in ms. Default 10 000. */
  readonly timeoutMs?: number | undefined;
  /** Extra attempts for reads (order detail, lists). Checkout creation is never retried. Default 2. */
  readonly retries?: number | undefined;
  /** Base back-off between read attempts, in ms. Default 200. */
  readonly retryDelayMs?: number | undefined;
  /** An undici dispatcher (proxies, tests). */
  readonly dispatcher?: Dispatcher | undefined;
}

/** The lost-order search settings, once resolved (see `lostOrderSearch`). */
export interface LostOrderSearchOptions {
  readonly windowMs: number;
  readonly lookBackMs: number;
  readonly maxPages: number;
  readonly pageSize: number;
}

/** Options with every default filled in. */
export interface ResolvedAurpayOptions {
  readonly apiKey: string | null;
  readonly signature: { token: string; secret: string; algorithm: AurpayAlgorithm } | null;
  readonly callbackSecret: string | null;
  readonly callbackToken: string | null;
  readonly callbackMaxSkewMs: number;
  readonly requireEchoedApiKey: boolean;
  readonly unconfirmedCallbacks: 'refuse' | 'trust-signed-url';
  readonly enablePostCallback: boolean;
  readonly fixedEncryptPrice: boolean;
  readonly priceFormat: 'number' | 'string';
  readonly coin: { chain: string; currency: string } | null;
  readonly terminatedAs: 'failed' | 'expired';
  readonly validateCurrencies: boolean;
  readonly currencyCacheTtlMs: number;
  readonly orderClockSlackMs: number;
  readonly orderTimeZone: OrderTimeZone;
  readonly lostOrderSearch: LostOrderSearchOptions | null;
  readonly refundRequest: 'address-amount' | 'refund-prefixed';
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly dispatcher: Dispatcher | undefined;
}

const secret = z.string().min(8, 'must be at least 8 characters');
const nonNegative = z.number().int().nonnegative();

const schema = z
  .object({
    apiKey: secret.optional(),
    signature: z
      .object({
        token: z.string().min(1),
        secret,
        algorithm: z.enum(['HMAC-SHA256', 'HMAC-SHA3_256']).optional(),
      })
      .strict()
      .optional(),
    callbackSecret: secret.optional(),
    callbackToken: z.string().min(1).optional(),
    callbackMaxSkewMs: z.number().int().positive().optional(),
    requireEchoedApiKey: z.boolean().optional(),
    unconfirmedCallbacks: z.enum(['refuse', 'trust-signed-url']).optional(),
    enablePostCallback: z.boolean().optional(),
    fixedEncryptPrice: z.boolean().optional(),
    priceFormat: z.enum(['number', 'string']).optional(),
    coin: z
      .object({ chain: z.string().min(1), currency: z.string().min(1) })
      .strict()
      .optional(),
    terminatedAs: z.enum(['failed', 'expired']).optional(),
    validateCurrencies: z.boolean().optional(),
    currencyCacheTtlMs: nonNegative.optional(),
    orderClockSlackMs: nonNegative.optional(),
    orderTimeZone: z
      .string()
      .refine(
        (v) => parseOrderTimeZone(v) !== null,
        "must be 'any', 'UTC' or an offset from '-12:00' to '+14:00'",
      )
      .optional(),
    lostOrderSearch: z
      .union([
        z.literal(false),
        z
          .object({
            windowMs: z.number().int().positive().optional(),
            lookBackMs: z.number().int().positive().optional(),
            maxPages: z.number().int().positive().max(100).optional(),
            pageSize: z.number().int().positive().max(100).optional(),
          })
          .strict(),
      ])
      .optional(),
    refundRequest: z.enum(['address-amount', 'refund-prefixed']).optional(),
    baseUrl: z
      .string()
      .refine((v) => /^https?:\/\/[^/]+/.test(v), 'must be an absolute http(s) URL')
      .optional(),
    timeoutMs: z.number().int().positive().optional(),
    retries: nonNegative.optional(),
    retryDelayMs: nonNegative.optional(),
    dispatcher: z.custom<Dispatcher>((v) => typeof v === 'object' && v !== null).optional(),
  })
  .strict();

function resolveLostOrderSearch(input: AurpayOptions['lostOrderSearch']): LostOrderSearchOptions | null {
  if (input === false) return null;
  return {
    windowMs: input?.windowMs ?? 3_600_000,
    lookBackMs: input?.lookBackMs ?? 21_600_000,
    maxPages: input?.maxPages ?? 10,
    pageSize: input?.pageSize ?? 50,
  };
}

/**
 * Validates the options and fills in defaults. Throws a `PaymentsConfigError`
 * listing every problem (never echoing a secret's value).
 */
export function resolveAurpayOptions(input: AurpayOptions): ResolvedAurpayOptions {
  const parsed = schema.safeParse(input);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`aurpay.${issue.path.join('.') || '(options)'}: ${issue.message}`);
    }
  }
  if (!input.apiKey && !input.signature) {
    problems.push('aurpay: give apiKey (API-Key auth) or signature: { token, secret } (signature auth)');
  }
  if (input.requireEchoedApiKey === true && !input.apiKey) {
    problems.push('aurpay.requireEchoedApiKey: needs apiKey to compare the echoed key with');
  }
  if (input.callbackToken !== undefined && input.callbackSecret === undefined) {
    problems.push('aurpay.callbackToken: only checked together with callbackSecret');
  }
  const checksEchoedKey = input.requireEchoedApiKey ?? input.apiKey !== undefined;
  const hasCredentials = input.apiKey !== undefined || input.signature !== undefined;
  if (hasCredentials && input.callbackSecret === undefined && !checksEchoedKey) {
    // paymount's signed URL alone would let whoever learns one callback URL post any Aurpay order to it.
    problems.push(
      'aurpay: callbacks must be authenticated by Aurpay itself: set callbackSecret (Aurpay callback authentication) or apiKey with requireEchoedApiKey: true (the API key Aurpay echoes in callbacks)',
    );
  }
  if (problems.length > 0) throw new PaymentsConfigError(problems);
  return {
    apiKey: input.apiKey ?? null,
    signature: input.signature
      ? {
          token: input.signature.token,
          secret: input.signature.secret,
          algorithm: input.signature.algorithm ?? 'HMAC-SHA256',
        }
      : null,
    callbackSecret: input.callbackSecret ?? null,
    callbackToken: input.callbackToken ?? null,
    callbackMaxSkewMs: input.callbackMaxSkewMs ?? 300_000,
    requireEchoedApiKey: input.requireEchoedApiKey ?? input.apiKey !== undefined,
    unconfirmedCallbacks: input.unconfirmedCallbacks ?? 'refuse',
    enablePostCallback: input.enablePostCallback ?? true,
    fixedEncryptPrice: input.fixedEncryptPrice ?? false,
    priceFormat: input.priceFormat ?? 'number',
    coin: input.coin ? { chain: input.coin.chain, currency: input.coin.currency } : null,
    terminatedAs: input.terminatedAs ?? 'failed',
    validateCurrencies: input.validateCurrencies ?? false,
    currencyCacheTtlMs: input.currencyCacheTtlMs ?? 3_600_000,
    orderClockSlackMs: input.orderClockSlackMs ?? 600_000,
    orderTimeZone: parseOrderTimeZone(input.orderTimeZone ?? 'any') ?? ANY_ZONE,
    lostOrderSearch: resolveLostOrderSearch(input.lostOrderSearch),
    refundRequest: input.refundRequest ?? 'address-amount',
    baseUrl: (input.baseUrl ?? 'https://dashboard.aurpay.net').replace(/\/+$/, ''),
    timeoutMs: input.timeoutMs ?? 10_000,
    retries: input.retries ?? 2,
    retryDelayMs: input.retryDelayMs ?? 200,
    dispatcher: input.dispatcher,
  };
}
