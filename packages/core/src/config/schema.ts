import { z } from 'zod';
import type { PaymentProvider } from '../contracts/provider.js';
import type { PaymentStore } from '../contracts/store.js';
import { HOOK_NAMES } from '../domain/state-machine.js';
import type { Logger } from '../logging/logger.js';
import type { PaymentHook, PaymentsOptions } from './options.js';

export const PROVIDER_NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const isFunction = (v: unknown): boolean => typeof v === 'function';
const STORE_METHODS = [
  'createOrReuse',
  'get',
  'findByOrder',
  'transition',
  'findByProviderRef',
  'findUnbound',
  'hasEvent',
  'rememberEvent',
  'claimDueChecks',
  'scheduleCheck',
  'checkAllLiveAt',
  'claimHookJobs',
  'completeHookJob',
  'failHookJob',
  'listHookJobs',
  'countHookJobs',
  'replayHookJob',
  'appendJournal',
  'listJournal',
  'pruneJournal',
  'close',
] as const;
const PROVIDER_METHODS = ['createCheckout', 'verifyCallback', 'fetchStatus', 'callbackReply'] as const;

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

/** The shape of `createPayments` options; cross-field rules live in `resolve.ts`. */
export const optionsSchema = z
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
          HOOK_NAMES.map((h) => [
            h,
            z.custom<PaymentHook>(isFunction, { message: 'must be a function' }).optional(),
          ]),
        ),
      )
      .strict()
      .optional(),
    logger: z
      .custom<Logger | false>(
        (v) =>
          v === false ||
          (typeof v === 'object' &&
            v !== null &&
            ['debug', 'info', 'warn', 'error'].every((m) => isFunction((v as Record<string, unknown>)[m]))),
        { message: 'must be pino-compatible (debug, info, warn and error methods), or false for no logs' },
      )
      .optional(),
    telemetry: z.boolean().optional(),
    browserErrors: z.enum(['redirect', 'framework', 'json']).optional(),
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
        recheckAfterMs: positiveInt.optional(),
        rechecks: nonNegativeInt.max(30).optional(),
      })
      .strict()
      .optional(),
    statusCheckIntervalMs: nonNegativeInt.optional(),
    refunds: z
      .object({ checkIntervalMs: nonNegativeInt.optional(), batchSize: positiveInt.max(1_000).optional() })
      .strict()
      .optional(),
    journal: z
      .object({ retainDays: positiveInt.max(36_500).optional() })
      .strict()
      .optional(),
    checkout: z
      .object({ reuseWindowMs: nonNegativeInt.optional(), createdExpiryMs: positiveInt.optional() })
      .strict()
      .optional(),
    instanceId: z.string().min(1).max(128).optional(),
    now: z.custom<() => Date>(isFunction, { message: 'must be a function returning a Date' }).optional(),
  })
  .strict();
