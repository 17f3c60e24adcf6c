import { PaymentsConfigError } from '@paymount/core/provider';
import type { Dispatcher } from 'undici';
import { z } from 'zod';

/** The address AAIO's wiki lists as its notification source; used when `/api/public/ips` cannot be read. */
export const DOCUMENTED_AAIO_IPS: readonly string[] = ['91.107.204.74'];

/** Currencies AAIO documents for payment creation. */
export const AAIO_CURRENCIES: readonly string[] = ['RUB', 'UAH', 'EUR', 'USD'];

/**
 * Where notifications may come from:
 * - `false` (default): no address check; the sign (secret #2) is the proof.
 * - a list of addresses or CIDR ranges (`'91.107.204.74'`, `'10.0.0.0/8'`).
 * - `'fetch'`: AAIO's own list from `GET /api/public/ips`, cached for `ipListTtlMs`,
 *   falling back to the last list read, then to {@link DOCUMENTED_AAIO_IPS}.
 */
export type AaioIpAllowlist = false | 'fetch' | readonly string[];

/** Options of {@link aaio}. Secrets stay inside the provider and out of every log, error and response. */
export interface AaioOptions {
  /** The shop id (`merchant_id`), a UUID from AAIO's shop settings. */
  readonly merchantId: string;
  /** Secret key #1: signs payment creation. */
  readonly secret1: string;
  /** Secret key #2: verifies payment notifications. */
  readonly secret2: string;
  /** API key for `/api/*` calls (needs the "order info" permission for `info-pay`). */
  readonly apiKey: string;
  /** Default `https://aaio.so`. AAIO has moved domains before (`aaio.io`), so it is configurable. */
  readonly baseUrl?: string | undefined;
  /** Source-address check of notifications. Default `false`; see {@link AaioIpAllowlist}. */
  readonly ipAllowlist?: AaioIpAllowlist | undefined;
  /** How long a list fetched from `/api/public/ips` is used before it is read again. Default 1 hour. */
  readonly ipListTtlMs?: number | undefined;
  /** Addresses used with `ipAllowlist: 'fetch'` when AAIO's list cannot be read. Default {@link DOCUMENTED_AAIO_IPS}. */
  readonly fallbackIps?: readonly string[] | undefined;
  /**
   * Ask `POST /api/info-pay` about every verified notification and apply AAIO's answer
   * rather than the notification itself. Default true (needs a working `apiKey`).
   */
  readonly confirmWithInfoPay?: boolean | undefined;
  /**
   * `get_pay_url` (default): ask AAIO for the currently valid pay-form URL (its domain
   * changes when blocked); the order's fields, e-mail included, go to AAIO in that POST.
   * `pay_url`: build the signed legacy `GET /merchant/pay?…` link locally, without a call
   * to AAIO. Whoever sees that link (the buyer's browser history, the checkout JSON) sees
   * the amount, currency, payment id, description, language, method and `us_*` fields;
   * the buyer's e-mail is left out of it, so AAIO's form asks for it.
   */
  readonly checkoutMode?: 'get_pay_url' | 'pay_url' | undefined;
  /** Pay page language when the order names none: `ru` or `en`. Default: AAIO's choice. */
  readonly lang?: 'ru' | 'en' | undefined;
  /** Currencies accepted at checkout. Default {@link AAIO_CURRENCIES}. */
  readonly currencies?: readonly string[] | undefined;
  /**
   * The payment method suggested to AAIO (its `method` code, e.g. `'sbp'`) when the order
   * names none. Default: none, the buyer picks one on AAIO's form.
   */
  readonly method?: string | undefined;
  /**
   * Before creating the AAIO order, check the amount against the limits AAIO lists for the
   * order's method (or `method`) in `POST /api/methods-pay`; outside them the checkout is
   * refused with `amount_out_of_range`. Default true (needs the API key's methods-pay
   * permission; without it, or when AAIO cannot be asked, nothing is refused).
   */
  readonly methodLimits?: boolean | undefined;
  /** How long the methods-pay list is used before it is read again, in ms. Default 600 000. */
  readonly methodLimitsTtlMs?: number | undefined;
  /**
   * UNKNOWN in AAIO's docs: how long an order lives before `expired`. A payment that
   * AAIO's `info-pay` still does not know after this long (the buyer never opened the
   * pay form) is reported expired. Default 24 hours (AAIO's sample shows one day).
   */
  readonly orderLifetimeMs?: number | undefined;
  /** Budget per API attempt, in ms. Default 10 000. */
  readonly timeoutMs?: number | undefined;
  /** Extra attempts for calls that are safe to repeat. Default 2. */
  readonly retries?: number | undefined;
  /** Base of the back-off between attempts, in ms. Default 200. */
  readonly retryDelayMs?: number | undefined;
  /** Longest `Retry-After` (HTTP 429) we wait for before giving up, in ms. Default 5 000. */
  readonly maxRetryAfterMs?: number | undefined;
  /** An undici dispatcher instead of the provider's own keep-alive pool (proxies, tests). */
  readonly dispatcher?: Dispatcher | undefined;
}

/** Options with every default filled in. */
export interface ResolvedAaioOptions {
  readonly merchantId: string;
  readonly secret1: string;
  readonly secret2: string;
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly ipAllowlist: AaioIpAllowlist;
  readonly ipListTtlMs: number;
  readonly fallbackIps: readonly string[];
  readonly confirmWithInfoPay: boolean;
  readonly checkoutMode: 'get_pay_url' | 'pay_url';
  readonly lang: 'ru' | 'en' | undefined;
  readonly currencies: readonly string[];
  readonly method: string | undefined;
  readonly methodLimits: boolean;
  readonly methodLimitsTtlMs: number;
  readonly orderLifetimeMs: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly dispatcher: Dispatcher | undefined;
}

const secret = (name: string) =>
  z
    .string({ error: `is required: ${name} from AAIO's shop settings` })
    .refine((value) => value.trim().length > 0, { message: `must not be empty (${name})` });

const httpUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash;
    } catch {
      return false;
    }
  },
  { message: 'must be an absolute http(s) URL such as "https://aaio.so"' },
);

const ipEntry = z.string().refine((value) => parseIpEntry(value) !== null, {
  message: 'must list IP addresses or CIDR ranges such as "91.107.204.74" or "10.0.0.0/8"',
});

const schema = z.object({
  merchantId: z.guid({ error: "must be the shop's UUID (merchant_id) from AAIO's shop settings" }),
  secret1: secret('secret key #1'),
  secret2: secret('secret key #2'),
  apiKey: secret('an API key'),
  baseUrl: httpUrl.optional(),
  ipAllowlist: z.union([z.literal(false), z.literal('fetch'), z.array(ipEntry).min(1)]).optional(),
  ipListTtlMs: z.number().int().positive().optional(),
  fallbackIps: z.array(ipEntry).min(1).optional(),
  confirmWithInfoPay: z.boolean().optional(),
  checkoutMode: z.enum(['get_pay_url', 'pay_url']).optional(),
  lang: z.enum(['ru', 'en']).optional(),
  currencies: z
    .array(z.string().regex(/^[A-Z]{3}$/))
    .min(1)
    .optional(),
  method: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an AAIO method code such as "sbp"')
    .optional(),
  methodLimits: z.boolean().optional(),
  methodLimitsTtlMs: z.number().int().nonnegative().optional(),
  orderLifetimeMs: z.number().int().positive().optional(),
  timeoutMs: z.number().int().positive().optional(),
  retries: z.number().int().nonnegative().max(10).optional(),
  retryDelayMs: z.number().int().nonnegative().optional(),
  maxRetryAfterMs: z.number().int().nonnegative().optional(),
  dispatcher: z.custom<Dispatcher>((v) => typeof v === 'object' && v !== null).optional(),
});

/** An IP address or CIDR range of an allowlist, split into its parts; null when it is neither. */
export function parseIpEntry(
  value: string,
): { address: string; prefix: number | null; family: 'ipv4' | 'ipv6' } | null {
  const [address = '', prefixText, extra] = value.trim().split('/');
  if (extra !== undefined) return null;
  const family = /^\d{1,3}(?:\.\d{1,3}){3}$/.test(address)
    ? 'ipv4'
    : /^[0-9a-f:.]+$/i.test(address) && address.includes(':')
      ? 'ipv6'
      : null;
  if (!family) return null;
  if (family === 'ipv4' && address.split('.').some((part) => Number(part) > 255)) return null;
  if (prefixText === undefined) return { address, prefix: null, family };
  const prefix = Number(prefixText);
  const max = family === 'ipv4' ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || prefix > max) return null;
  return { address, prefix, family };
}

/**
 * Checks the options and fills in defaults. Throws a `PaymentsConfigError` naming
 * every problem; secrets are never echoed.
 */
export function resolveAaioOptions(options: AaioOptions): ResolvedAaioOptions {
  const parsed = schema.safeParse(options ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : 'options';
      return `aaio.${path}: ${issue.message}`;
    });
    throw new PaymentsConfigError(problems);
  }
  const o = parsed.data;
  return {
    merchantId: o.merchantId,
    secret1: o.secret1,
    secret2: o.secret2,
    apiKey: o.apiKey,
    baseUrl: (o.baseUrl ?? 'https://aaio.so').replace(/\/+$/, ''),
    ipAllowlist: o.ipAllowlist ?? false,
    ipListTtlMs: o.ipListTtlMs ?? 3_600_000,
    fallbackIps: o.fallbackIps ?? DOCUMENTED_AAIO_IPS,
    confirmWithInfoPay: o.confirmWithInfoPay ?? true,
    checkoutMode: o.checkoutMode ?? 'get_pay_url',
    lang: o.lang,
    currencies: o.currencies ?? AAIO_CURRENCIES,
    method: o.method,
    methodLimits: o.methodLimits ?? true,
    methodLimitsTtlMs: o.methodLimitsTtlMs ?? 600_000,
    orderLifetimeMs: o.orderLifetimeMs ?? 86_400_000,
    timeoutMs: o.timeoutMs ?? 10_000,
    retries: o.retries ?? 2,
    retryDelayMs: o.retryDelayMs ?? 200,
    maxRetryAfterMs: o.maxRetryAfterMs ?? 5_000,
    dispatcher: o.dispatcher,
  };
}
