import { randomBytes } from 'node:crypto';

export interface AurpaySimulatorOptions {
  /** Default 127.0.0.1. */
  readonly host?: string | undefined;
  /** Default 0 (any free port). */
  readonly port?: number | undefined;
  /** The merchant's API key. Default `aurpay-sandbox-api-key`. */
  readonly apiKey?: string | undefined;
  /** Enables signature auth for this merchant besides the API key. */
  readonly signature?: { readonly token: string; readonly secret: string } | undefined;
  /** When set, callbacks carry `Callback-Token`, `Date` and `Signature`. */
  readonly callbackSecret?: string | undefined;
  /** The `Callback-Token` header value. Default `aurpay-sandbox-callback-token`. */
  readonly callbackToken?: string | undefined;
  /** Echo the `API-Key` header on callbacks, as Aurpay documents. Default true. */
  readonly echoApiKey?: boolean | undefined;
  /** Append `aurpay_order_id` to GET callbacks (undocumented for pay-url). Default false. */
  readonly appendOrderIdToGetCallbacks?: boolean | undefined;
  /** Which URL the callback signature covers: as called (default) or as registered. */
  readonly callbackSignatureUrl?: 'called' | 'registered' | undefined;
  /** Fiat currencies `pay-url` accepts. Default USD, EUR, GBP, JPY, CNY, HKD, SGD, AUD, CAD. */
  readonly currencies?: readonly string[] | undefined;
  /** The shape of `real-currency`'s data (undocumented). Default `objects`. */
  readonly currencyListShape?: 'strings' | 'objects' | 'map' | undefined;
  /** How `vs_price` is written back: like Aurpay's example ("100.0", default) or exactly as sent. */
  readonly vsPriceStyle?: 'float-text' | 'as-sent' | undefined;
  /**
   * A JSON file where the simulator keeps its orders (and its merchant id) across restarts:
   * with a fixed `port`, pay pages and orders of a shop restarted by nodemon keep working.
   * Default: none, everything is forgotten on `close()`.
   */
  readonly stateFile?: string | undefined;
  /** Merchant id shown as `user_id`. */
  readonly merchantId?: string | undefined;
  /**
   * The zone of the zone-less `create_time`/`update_time`, in minutes east of UTC (Aurpay
   * documents none): -300 writes New York winter time, 480 Beijing time. Default 0 (UTC).
   */
  readonly timeZoneOffsetMinutes?: number | undefined;
  /** The order of `GET /api/v2/order/` (undocumented). Default `newest-first`. */
  readonly orderListOrder?: 'newest-first' | 'oldest-first' | undefined;
  /**
   * The refund body fields this simulated Aurpay takes (undocumented): `address-amount`
   * (`{"address","amount"}`, default) or `refund-prefixed` (`{"refund_address","refund_amount"}`);
   * the other shape is refused.
   */
  readonly refundRequestShape?: 'address-amount' | 'refund-prefixed' | undefined;
  /**
   * How refunds are answered (undocumented): `object` (default: the refund call answers
   * the refund, `refund-info` the latest one) or `list` (the call answers no data,
   * `refund-info` lists them all).
   */
  readonly refundAnswerShape?: 'object' | 'list' | undefined;
  /** A refund succeeds by itself this long after it was asked, ms; null (default): when finished from the refunds page or `completeRefund`. */
  readonly refundDelayMs?: number | null | undefined;
  /** Injected clock. */
  readonly now?: (() => Date) | undefined;
}

/** Ways to make the simulator misbehave; change the fields at any time. */
export interface AurpaySimulatorFaults {
  /**
   * The merchant API answers 503 (`down`), 500 (`error`), 429 with `Retry-After` (`rate-limit`),
   * non-JSON (`garbage`), late (`slow`, then normally), never (`hang`, until `close()`), or
   * drops the connection without an answer (`reset`).
   */
  api: 'down' | 'error' | 'rate-limit' | 'garbage' | 'slow' | 'hang' | 'reset' | null;
  /** How many API calls `api` still spoils before it clears itself; null: until changed. */
  apiTimes: number | null;
  /** Delay of a `slow` answer, ms. Default 2 000. */
  apiDelayMs: number;
  /**
   * Callbacks are sent (`send`), built but not sent (`drop`), sent twice (`duplicate`), or
   * queued until {@link AurpaySimulator.releaseHeld} (`hold`: delays and reorders them).
   */
  callbacks: 'send' | 'drop' | 'duplicate' | 'hold';
  /** Wait before each callback, ms. Default 0. */
  callbackDelayMs: number;
  /**
   * The refund call is refused in Aurpay's envelope (`refuse`), answers HTTP 500 without
   * refunding (`error`), or refunds and answers only after `apiDelayMs` (`timeout`: a
   * client with a shorter timeout never learns that it did).
   */
  refund: 'refuse' | 'error' | 'timeout' | null;
}

/** Every default of the Aurpay simulator, in one place. */
export const AURPAY_SIM_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  apiKey: 'aurpay-sandbox-api-key',
  callbackToken: 'aurpay-sandbox-callback-token',
  echoApiKey: true,
  appendOrderIdToGetCallbacks: false,
  callbackSignatureUrl: 'called',
  currencies: ['USD', 'EUR', 'GBP', 'JPY', 'CNY', 'HKD', 'SGD', 'AUD', 'CAD'],
  currencyListShape: 'objects',
  vsPriceStyle: 'float-text',
  timeZoneOffsetMinutes: 0,
  orderListOrder: 'newest-first',
  /** How far a signed API request's `Date` may be from the simulator's clock. */
  maxSkewMs: 300_000,
  /** `Retry-After` of the `rate-limit` fault, seconds. */
  retryAfterSeconds: 1,
  faults: {
    api: null,
    apiTimes: null,
    apiDelayMs: 2_000,
    callbacks: 'send',
    callbackDelayMs: 0,
    refund: null,
  } satisfies AurpaySimulatorFaults,
  refundRequestShape: 'address-amount',
  refundAnswerShape: 'object',
} as const;

/** The simulator's options with every default filled in. */
export interface ResolvedAurpaySimOptions {
  readonly host: string;
  readonly port: number;
  readonly apiKey: string;
  readonly signature: { readonly token: string; readonly secret: string } | null;
  readonly callbackSecret: string | null;
  readonly callbackToken: string;
  readonly echoApiKey: boolean;
  readonly appendOrderIdToGetCallbacks: boolean;
  readonly callbackSignatureUrl: 'called' | 'registered';
  /** Upper-cased. */
  readonly currencies: readonly string[];
  readonly currencyListShape: 'strings' | 'objects' | 'map';
  readonly vsPriceStyle: 'float-text' | 'as-sent';
  readonly merchantId: string;
  readonly stateFile: string | null;
  readonly timeZoneOffsetMinutes: number;
  readonly orderListOrder: 'newest-first' | 'oldest-first';
  readonly refundRequestShape: 'address-amount' | 'refund-prefixed';
  readonly refundAnswerShape: 'object' | 'list';
  readonly refundDelayMs: number | null;
  readonly now: () => Date;
}

/** Fills in every default once; the rest of the simulator reads only the resolved options. */
export function resolveAurpaySimOptions(
  options: AurpaySimulatorOptions,
  saved: { readonly merchantId: string } | null = null,
): ResolvedAurpaySimOptions {
  const defaults = AURPAY_SIM_DEFAULTS;
  return {
    host: options.host ?? defaults.host,
    port: options.port ?? defaults.port,
    apiKey: options.apiKey ?? defaults.apiKey,
    signature: options.signature ?? null,
    callbackSecret: options.callbackSecret ?? null,
    callbackToken: options.callbackToken ?? defaults.callbackToken,
    echoApiKey: options.echoApiKey ?? defaults.echoApiKey,
    appendOrderIdToGetCallbacks: options.appendOrderIdToGetCallbacks ?? defaults.appendOrderIdToGetCallbacks,
    callbackSignatureUrl: options.callbackSignatureUrl ?? defaults.callbackSignatureUrl,
    currencies: (options.currencies ?? defaults.currencies).map((c) => c.toUpperCase()),
    currencyListShape: options.currencyListShape ?? defaults.currencyListShape,
    vsPriceStyle: options.vsPriceStyle ?? defaults.vsPriceStyle,
    merchantId: options.merchantId ?? saved?.merchantId ?? `mct-${randomBytes(6).toString('hex')}`,
    stateFile: options.stateFile ?? null,
    timeZoneOffsetMinutes: options.timeZoneOffsetMinutes ?? defaults.timeZoneOffsetMinutes,
    orderListOrder: options.orderListOrder ?? defaults.orderListOrder,
    refundRequestShape: options.refundRequestShape ?? defaults.refundRequestShape,
    refundAnswerShape: options.refundAnswerShape ?? defaults.refundAnswerShape,
    refundDelayMs: options.refundDelayMs ?? null,
    now: options.now ?? (() => new Date()),
  };
}
