import { z } from 'zod';
import { PaymentsConfigError } from './errors.js';
import type { PaymentsRequest } from './http-types.js';
import type { Logger } from './logger.js';
import type { Payment } from './payment.js';
import type { OrderDetails, PaymentProvider } from './provider.js';
import type { HookName } from './state-machine.js';
import type { PaymentStore } from './store.js';

/** What every hook receives besides the payment. */
export interface HookContext {
  /** Stable for this hook and transition across retries and instances: use it to make the hook idempotent. */
  readonly idempotencyKey: string;
  /** 1 on the first call. */
  readonly attempt: number;
  readonly from: Payment['status'];
  readonly to: Payment['status'];
}

export type PaymentHook = (payment: Payment, context: HookContext) => unknown | Promise<unknown>;

/** What `loadOrder` receives about the request that asked for a checkout (absent for calls from code). */
export interface LoadOrderContext {
  readonly provider: string;
  readonly request?: PaymentsRequest;
}

export interface ReturnUrls {
  /** Where a paid buyer lands. A path on the shop (`/orders/{orderId}/thanks`) or an absolute URL on an allowed origin. */
  readonly success: string;
  /** Where a buyer lands while the payment is not settled yet. */
  readonly pending: string;
  /** Where a buyer lands after an expired or failed payment. */
  readonly failure: string;
  /** Where a buyer lands when the payment needs the shop's attention; default: `pending`. */
  readonly anomaly?: string;
  /** Per-provider overrides, keyed by provider name. */
  readonly byProvider?: Readonly<Record<string, Partial<Omit<ReturnUrls, 'byProvider'>>>>;
}

export interface PaymentsOptions {
  /** Absolute URL where paymount's routes are mounted, as providers and buyers reach it. */
  readonly publicUrl: string;
  /** At least 32 characters; signs the callback URLs paymount publishes. */
  readonly secret: string;
  readonly store: PaymentStore;
  readonly providers: Readonly<Record<string, PaymentProvider>>;
  /** Provider used when a checkout names none; required when more than one is configured and routes omit it. */
  readonly defaultProvider?: string;
  /** The shop's own truth about an order: amount and currency. Return null for an unknown order. */
  readonly loadOrder: (
    orderId: string,
    context: LoadOrderContext,
  ) => Promise<OrderDetails | null> | OrderDetails | null;
  readonly returnUrls: ReturnUrls;
  /** Absolute origins (besides `publicUrl`'s) that return URLs may point to. */
  readonly allowedRedirectOrigins?: readonly string[];
  readonly hooks?: Readonly<Partial<Record<HookName, PaymentHook>>>;
  readonly logger?: Logger;
  /** What an overpayment becomes. Default `anomaly` (a person looks); `paid` accepts it. */
  readonly overpayment?: 'anomaly' | 'paid';
  /** Largest request body paymount reads, in bytes. Default 65 536. */
  readonly maxBodyBytes?: number;
  /** Extra currency precisions, e.g. `{ TON: 9 }`. */
  readonly currencyScales?: Readonly<Record<string, number>>;
  readonly hookDelivery?: {
    /** Attempts before a hook job is dead-lettered. Default 10. */
    readonly maxAttempts?: number;
    /** First retry delay; doubles each attempt. Default 1 000 ms. */
    readonly baseDelayMs?: number;
    readonly maxDelayMs?: number;
    /** A hook that runs longer counts as failed. Default 30 000 ms. */
    readonly timeoutMs?: number;
    /** Background poll for due jobs (retries, restarts). 0 turns the background worker off. Default 1 000 ms. */
    readonly pollIntervalMs?: number;
  };
  readonly reconcile?: {
    /** Background reconciler interval; 0 (default) turns it off: call `payments.reconcile()` yourself. */
    readonly intervalMs?: number;
    /** First provider check of a payment left pending. Default 60 000 ms after creation. */
    readonly firstCheckAfterMs?: number;
    /** Longest pause between checks of one payment. Default 3 600 000 ms. */
    readonly maxBackoffMs?: number;
    /** Payments checked per round. Default 50. */
    readonly batchSize?: number;
  };
  /**
   * The status route asks the provider about a live payment at most this often (ms), so
   * a waiting page learns of a payment whose notification was lost. 0 turns it off. Default 10 000.
   */
  readonly statusCheckIntervalMs?: number;
  readonly checkout?: {
    /** A pending payment older than this is re-checked with the provider before it is reused. Default 15 min. */
    readonly reuseWindowMs?: number;
  };
  /** Identifies this process in store leases. Default: random per process. */
  readonly instanceId?: string;
  /** Injected clock, for tests. */
  readonly now?: () => Date;
}

const PROVIDER_NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const HOOKS = ['onPaid', 'onExpired', 'onFailed', 'onAnomaly', 'onRefunded', 'onStatusChange'] as const;
const isFunction = (v: unknown): boolean => typeof v === 'function';
const STORE_METHODS = [
  'createOrReuse',
  'get',
  'findByOrder',
  'transition',
  'hasEvent',
  'rememberEvent',
  'claimDueChecks',
  'scheduleCheck',
  'claimHookJobs',
  'completeHookJob',
  'failHookJob',
  'listHookJobs',
  'replayHookJob',
  'close',
] as const;
const PROVIDER_METHODS = ['createCheckout', 'verifyCallback', 'fetchStatus', 'callbackReply'] as const;

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

const schema = z
  .object({
    publicUrl: z.string({ error: 'is required: the absolute URL where paymount is mounted' }).refine(
      (value) => {
        try {
          const url = new URL(value);
          return (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash;
        } catch {
          return false;
        }
      },
      {
        message: 'must be an absolute http(s) URL without query or fragment, like "https://shop.example/pay"',
      },
    ),
    secret: z
      .string({ error: 'is required: a random string of at least 32 characters' })
      .min(32, { message: 'must be at least 32 characters long' }),
    store: z.custom<PaymentStore>(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        STORE_METHODS.every((m) => isFunction((v as Record<string, unknown>)[m])),
      { message: 'must be a payment store such as memoryStore(), sqliteStore(…) or postgresStore(…)' },
    ),
    providers: z
      .record(
        z.string(),
        z.custom<PaymentProvider>(
          (v) =>
            typeof v === 'object' &&
            v !== null &&
            PROVIDER_METHODS.every((m) => isFunction((v as Record<string, unknown>)[m])),
          { message: 'must be a provider such as aurpay({…}) or aaio({…})' },
        ),
      )
      .refine((v) => Object.keys(v).length > 0, { message: 'must name at least one provider' }),
    defaultProvider: z.string().optional(),
    loadOrder: z.custom<PaymentsOptions['loadOrder']>(isFunction, {
      message: 'is required: an async function (orderId) => ({ amount, currency }) | null',
    }),
    returnUrls: z.object(
      {
        success: z.string({ error: 'is required' }),
        pending: z.string({ error: 'is required' }),
        failure: z.string({ error: 'is required' }),
        anomaly: z.string().optional(),
        byProvider: z
          .record(
            z.string(),
            z.object({
              success: z.string().optional(),
              pending: z.string().optional(),
              failure: z.string().optional(),
              anomaly: z.string().optional(),
            }),
          )
          .optional(),
      },
      { error: 'is required: { success, pending, failure } pages of the shop' },
    ),
    allowedRedirectOrigins: z.array(z.string()).optional(),
    hooks: z
      .object(
        Object.fromEntries(
          HOOKS.map((h) => [
            h,
            z.custom<PaymentHook>(isFunction, { message: 'must be a function' }).optional(),
          ]),
        ),
      )
      .strict()
      .optional(),
    logger: z
      .custom<Logger>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          ['debug', 'info', 'warn', 'error'].every((m) => isFunction((v as Record<string, unknown>)[m])),
        { message: 'must be pino-compatible (debug, info, warn and error methods)' },
      )
      .optional(),
    overpayment: z.enum(['anomaly', 'paid']).optional(),
    maxBodyBytes: positiveInt.max(16 * 1024 * 1024).optional(),
    currencyScales: z.record(z.string(), z.number().int().min(0).max(30)).optional(),
    hookDelivery: z
      .object({
        maxAttempts: positiveInt.max(1000).optional(),
        baseDelayMs: nonNegativeInt.optional(),
        maxDelayMs: nonNegativeInt.optional(),
        timeoutMs: positiveInt.optional(),
        pollIntervalMs: nonNegativeInt.optional(),
      })
      .strict()
      .optional(),
    reconcile: z
      .object({
        intervalMs: nonNegativeInt.optional(),
        firstCheckAfterMs: nonNegativeInt.optional(),
        maxBackoffMs: positiveInt.optional(),
        batchSize: positiveInt.max(10_000).optional(),
      })
      .strict()
      .optional(),
    statusCheckIntervalMs: nonNegativeInt.optional(),
    checkout: z.object({ reuseWindowMs: nonNegativeInt.optional() }).strict().optional(),
    instanceId: z.string().min(1).max(128).optional(),
    now: z.custom<() => Date>(isFunction, { message: 'must be a function returning a Date' }).optional(),
  })
  .strict();

function checkRedirect(path: string, value: string, origins: ReadonlySet<string>, problems: string[]): void {
  if (value.startsWith('/')) {
    if (value.startsWith('//') || value.startsWith('/\\')) {
      problems.push(
        `${path}: "${value}" is protocol-relative and could leave the shop; use "/path" or an absolute URL`,
      );
    }
    return;
  }
  let url: URL;
  try {
    url = new URL(value.replaceAll('{orderId}', 'x').replaceAll('{paymentId}', 'x'));
  } catch {
    problems.push(`${path}: "${value}" must be a path starting with "/" or an absolute URL`);
    return;
  }
  if (!origins.has(url.origin)) {
    problems.push(
      `${path}: "${value}" points to ${url.origin}, which is neither publicUrl's origin nor in allowedRedirectOrigins`,
    );
  }
}

/** The options after validation and defaults. */
export interface ResolvedOptions extends PaymentsOptions {
  readonly publicUrl: string;
  readonly redirectOrigins: ReadonlySet<string>;
}

/**
 * Validates options and lists every problem at once. Never mutates the caller's
 * object: the result is a fresh object, frozen.
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new PaymentsConfigError(['createPayments needs an options object']);
  }
  const parsed = schema.safeParse(options);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.') || 'options';
      problems.push(`${path}: ${issue.message}`);
    }
  }
  const raw = options as Partial<PaymentsOptions>;
  const providerNames = raw.providers && typeof raw.providers === 'object' ? Object.keys(raw.providers) : [];
  for (const name of providerNames) {
    if (!PROVIDER_NAME.test(name)) {
      problems.push(`providers.${name}: provider names are lower-case letters, digits, "-" and "_" (max 32)`);
    }
  }
  if (raw.defaultProvider !== undefined && !providerNames.includes(raw.defaultProvider)) {
    problems.push(
      `defaultProvider: "${raw.defaultProvider}" is not a configured provider (configured: ${providerNames.join(', ') || 'none'})`,
    );
  }
  for (const name of Object.keys(raw.returnUrls?.byProvider ?? {})) {
    if (!providerNames.includes(name)) {
      problems.push(
        `returnUrls.byProvider.${name}: "${name}" is not a configured provider (configured: ${providerNames.join(', ') || 'none'})`,
      );
    }
  }
  const origins = new Set<string>();
  if (parsed.success) {
    origins.add(new URL(parsed.data.publicUrl).origin);
    for (const origin of parsed.data.allowedRedirectOrigins ?? []) {
      try {
        origins.add(new URL(origin).origin);
      } catch {
        problems.push(`allowedRedirectOrigins: "${origin}" is not an absolute URL`);
      }
    }
    const urls = parsed.data.returnUrls;
    for (const key of ['success', 'pending', 'failure', 'anomaly'] as const) {
      const value = urls[key];
      if (value !== undefined) checkRedirect(`returnUrls.${key}`, value, origins, problems);
    }
    for (const [name, override] of Object.entries(urls.byProvider ?? {})) {
      for (const [key, value] of Object.entries(override)) {
        if (value !== undefined)
          checkRedirect(`returnUrls.byProvider.${name}.${key}`, value, origins, problems);
      }
    }
  }
  if (problems.length > 0 || !parsed.success) throw new PaymentsConfigError(problems);
  const data = parsed.data;
  return Object.freeze({
    ...(options as PaymentsOptions),
    ...data,
    hooks: data.hooks as PaymentsOptions['hooks'],
    publicUrl: data.publicUrl.replace(/\/+$/, ''),
    redirectOrigins: origins,
  });
}
