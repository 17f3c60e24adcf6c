import { randomBytes, randomUUID } from 'node:crypto';
import type { AmountEcho } from './orders.js';

/** Permissions an AAIO API key can carry, by the call they open. */
export type AaioApiPermission = 'info-pay' | 'methods-pay' | 'balance';

/** How the simulated API misbehaves (for reliability tests). */
export interface AaioFault {
  /**
   * `down`: HTTP 503 with an HTML body; `garbage`: HTTP 200 with a body that is not JSON;
   * `slow`: answers after `delayMs`; `rate-limit`: HTTP 429 with `Retry-After`.
   */
  readonly mode: 'down' | 'garbage' | 'slow' | 'rate-limit';
  /** Only the next N API calls misbehave; default: until cleared. */
  readonly times?: number;
  /** For `slow`. Default 15 000 ms. */
  readonly delayMs?: number;
  /** For `rate-limit`. Default 1 second. */
  readonly retryAfterSeconds?: number;
  /** For `down`. Default 503. */
  readonly status?: number;
}

/** The shop's settings in AAIO's cabinet, changeable while the simulator runs. */
export interface AaioSimShopSettings {
  /** Where notifications are POSTed; null: none are sent. */
  notificationUrl: string | null;
  /** Where the buyer is redirected after paying; null: the simulator shows a plain page. */
  successUrl: string | null;
  /** Where the buyer is redirected after a failed or expired payment. */
  failUrl: string | null;
  /** Body encoding of notifications (AAIO's exact Content-Type is UNKNOWN). Default `urlencoded`. */
  notificationEncoding: 'urlencoded' | 'multipart';
  /** How many notifications a payment sends: AAIO sends `once`. `twice` and `never` are faults. */
  notify: 'once' | 'twice' | 'never';
  /** Sends notifications this late, in the background (the buyer's return wins the race). Default 0. */
  notifyDelayMs: number;
  /** Amount format in notifications (UNKNOWN in the docs). Default `as-sent`. */
  amountEcho: AmountEcho;
  /** `info-pay` amounts as JSON numbers (as AAIO's sample) or strings. Default `number`. */
  infoPayAmounts: 'number' | 'string';
}

/** The cabinet settings as options: each may be left out or given as undefined. */
type ShopSettingOptions = { readonly [K in keyof AaioSimShopSettings]?: AaioSimShopSettings[K] | undefined };

export interface AaioSimulatorOptions extends ShopSettingOptions {
  /** Default 0 (a free port). The simulator binds 127.0.0.1 only. */
  readonly port?: number | undefined;
  /** Default: a random UUID. */
  readonly merchantId?: string | undefined;
  /** Defaults: random. Read them back from `simulator.merchant`. */
  readonly secret1?: string | undefined;
  readonly secret2?: string | undefined;
  readonly apiKey?: string | undefined;
  /** What the API key may do. Default: all. */
  readonly apiKeyPermissions?: readonly AaioApiPermission[] | undefined;
  /** What `GET /api/public/ips` lists. Default `['127.0.0.1']` (where the simulator sends from). */
  readonly notificationIps?: readonly string[] | undefined;
  /** Order lifetime before `expired` (UNKNOWN at AAIO). Default 24 hours. */
  readonly orderLifetimeMs?: number | undefined;
  readonly currencies?: readonly string[] | undefined;
  /**
   * The methods `methods-pay` lists, by code; `get_pay_url` with one of them refuses an
   * amount outside its limits. Default: `cards_ru` (10–100 000), `sbp` (10–300 000) and
   * `tether_trc20` (100–1 000 000), the same in every currency.
   */
  readonly methods?: Readonly<Record<string, AaioSimMethod>> | undefined;
  /** How long the merchant has to answer a notification. Default 10 000 ms. */
  readonly notificationTimeoutMs?: number | undefined;
  readonly fault?: AaioFault | null | undefined;
  /**
   * A JSON file where the simulator keeps its orders and the merchant's credentials across
   * restarts: with a fixed `port`, pay forms and orders of a shop restarted by nodemon keep
   * working. Credentials given as options win over saved ones. Default: none.
   */
  readonly stateFile?: string | undefined;
  /** The simulator's clock (order expiry). Default: real time. */
  readonly now?: (() => Date) | undefined;
}

/** A payment method as `POST /api/methods-pay` lists it: limits per currency. */
export interface AaioSimMethod {
  readonly name: string;
  /** Smallest amount per currency (`{ RUB: 10 }`); a currency left out has no minimum. */
  readonly min: Readonly<Record<string, number | string>>;
  readonly max: Readonly<Record<string, number | string>>;
  readonly commission_percent?: number;
}

/** The shop's credentials at the simulated AAIO. */
export interface AaioSimMerchant {
  readonly merchantId: string;
  readonly secret1: string;
  readonly secret2: string;
  readonly apiKey: string;
}

/** Every default of the AAIO simulator, in one place. */
export const AAIO_SIM_DEFAULTS = {
  settings: {
    notificationUrl: null,
    successUrl: null,
    failUrl: null,
    notificationEncoding: 'urlencoded',
    notify: 'once',
    notifyDelayMs: 0,
    amountEcho: 'as-sent',
    infoPayAmounts: 'number',
  } satisfies AaioSimShopSettings,
  apiKeyPermissions: ['info-pay', 'methods-pay', 'balance'],
  currencies: ['RUB', 'UAH', 'EUR', 'USD'],
  methods: {
    cards_ru: { name: 'Bank cards', min: 10, max: 100_000, commission_percent: 3 },
    sbp: { name: 'SBP', min: 10, max: 300_000, commission_percent: 2 },
    tether_trc20: { name: 'USDT TRC-20', min: 100, max: 1_000_000, commission_percent: 1 },
  },
  notificationIps: ['127.0.0.1'],
  orderLifetimeMs: 86_400_000,
  notificationTimeoutMs: 10_000,
  port: 0,
  /** The simulator listens on loopback only. */
  host: '127.0.0.1',
  faultDelayMs: 15_000,
  faultRetryAfterSeconds: 1,
  faultStatus: 503,
} as const;

/** The simulator's options with every default filled in. */
export interface ResolvedAaioSimOptions {
  readonly merchant: AaioSimMerchant;
  readonly settings: AaioSimShopSettings;
  readonly permissions: ReadonlySet<AaioApiPermission>;
  readonly currencies: ReadonlySet<string>;
  readonly methods: Readonly<Record<string, AaioSimMethod>>;
  readonly notificationIps: readonly string[];
  readonly orderLifetimeMs: number;
  readonly notificationTimeoutMs: number;
  readonly port: number;
  readonly fault: AaioFault | null;
  readonly stateFile: string | null;
  readonly now: () => Date;
}

/** The default methods, with the same limits in each of the simulator's currencies. */
function defaultMethods(currencies: readonly string[]): Record<string, AaioSimMethod> {
  const each = (amount: number) => Object.fromEntries(currencies.map((currency) => [currency, amount]));
  return Object.fromEntries(
    Object.entries(AAIO_SIM_DEFAULTS.methods).map(([code, { min, max, ...rest }]) => [
      code,
      { ...rest, min: each(min), max: each(max) },
    ]),
  );
}

/** Fills in every default once; the rest of the simulator reads only the resolved options. */
export function resolveAaioSimOptions(
  options: AaioSimulatorOptions,
  saved: AaioSimMerchant | null = null,
): ResolvedAaioSimOptions {
  const defaults = AAIO_SIM_DEFAULTS;
  return {
    merchant: {
      merchantId: options.merchantId ?? saved?.merchantId ?? randomUUID(),
      secret1: options.secret1 ?? saved?.secret1 ?? randomBytes(16).toString('hex'),
      secret2: options.secret2 ?? saved?.secret2 ?? randomBytes(16).toString('hex'),
      apiKey: options.apiKey ?? saved?.apiKey ?? randomBytes(24).toString('hex'),
    },
    settings: {
      notificationUrl: options.notificationUrl ?? defaults.settings.notificationUrl,
      successUrl: options.successUrl ?? defaults.settings.successUrl,
      failUrl: options.failUrl ?? defaults.settings.failUrl,
      notificationEncoding: options.notificationEncoding ?? defaults.settings.notificationEncoding,
      notify: options.notify ?? defaults.settings.notify,
      notifyDelayMs: options.notifyDelayMs ?? defaults.settings.notifyDelayMs,
      amountEcho: options.amountEcho ?? defaults.settings.amountEcho,
      infoPayAmounts: options.infoPayAmounts ?? defaults.settings.infoPayAmounts,
    },
    permissions: new Set(options.apiKeyPermissions ?? defaults.apiKeyPermissions),
    currencies: new Set(options.currencies ?? defaults.currencies),
    methods: options.methods ?? defaultMethods(options.currencies ?? defaults.currencies),
    notificationIps: options.notificationIps ?? defaults.notificationIps,
    orderLifetimeMs: options.orderLifetimeMs ?? defaults.orderLifetimeMs,
    notificationTimeoutMs: options.notificationTimeoutMs ?? defaults.notificationTimeoutMs,
    port: options.port ?? defaults.port,
    fault: options.fault ?? null,
    stateFile: options.stateFile ?? null,
    now: options.now ?? (() => new Date()),
  };
}
