import type { PaymentsRequest } from '../contracts/http.js';
import type { OrderDetails, PaymentProvider } from '../contracts/provider.js';
import type { Refund } from '../contracts/refunds.js';
import type { PaymentStore } from '../contracts/store.js';
import type { Payment } from '../domain/payment.js';
import type { HookName } from '../domain/state-machine.js';
import type { Logger } from '../logging/logger.js';

/** What every hook receives besides the payment. */
export interface HookContext {
  /** Stable for this hook and transition across retries and instances: use it to make the hook idempotent. */
  readonly idempotencyKey: string;
  /** 1 on the first call. */
  readonly attempt: number;
  readonly from: Payment['status'];
  readonly to: Payment['status'];
  /**
   * `onRefunded` only: the refund that succeeded (one call per refund). Null when the
   * provider itself reported the whole payment refunded, with no refund of paymount's.
   */
  readonly refund?: Refund | null;
}

export type PaymentHook = (payment: Payment, context: HookContext) => unknown | Promise<unknown>;

/**
 * Why paymount asks `loadOrder`, and for whom. `checkout`: a buyer (or the shop's code)
 * wants to pay the order now; decide who may pay it and return the amount. `confirm`: a
 * payment of the order is about to become `paid`; return the order as it stands now, or
 * null when it is gone. There is no buyer's request then: skip the session check.
 */
export type LoadOrderReason = 'checkout' | 'confirm';

/** What `loadOrder` receives besides the order id. */
export interface LoadOrderContext {
  readonly provider: string;
  readonly reason: LoadOrderReason;
  /** The HTTP request behind a checkout; absent for a `confirm` and for checkouts from code. */
  readonly request?: PaymentsRequest;
  /** With `confirm`: the payment about to be paid. */
  readonly payment?: Payment;
}

export interface ReturnUrls {
  /** Where a paid buyer lands. A path on the shop (`/orders/{orderId}/thanks`) or an absolute URL on an allowed origin. */
  readonly success: string;
  /** Where a buyer lands while the payment is not settled yet. */
  readonly pending: string;
  /** Where a buyer lands after an expired or failed payment. */
  readonly failure: string;
  /** Where a buyer lands when the payment needs the shop's attention; default: `pending`. */
  readonly anomaly?: string | undefined;
  /** Per-provider overrides, keyed by provider name. */
  readonly byProvider?: Readonly<Record<string, Partial<Omit<ReturnUrls, 'byProvider'>>>> | undefined;
}

/** See {@link PaymentsOptions.browserErrors}. */
export type BrowserErrors = 'redirect' | 'framework' | 'json';

export interface PaymentsOptions {
  /** Absolute URL where paymount's routes are mounted, as providers and buyers reach it. */
  readonly publicUrl: string;
  /** At least 32 characters; signs the callback URLs paymount publishes. */
  readonly secret: string;
  readonly store: PaymentStore;
  readonly providers: Readonly<Record<string, PaymentProvider>>;
  /** Provider used when a checkout names none; required when more than one is configured and routes omit it. */
  readonly defaultProvider?: string | undefined;
  /** The shop's own truth about an order: amount and currency. Return null for an unknown order. */
  readonly loadOrder: (
    orderId: string,
    context: LoadOrderContext,
  ) => Promise<OrderDetails | null> | OrderDetails | null;
  readonly returnUrls: ReturnUrls;
  /** Absolute origins (besides `publicUrl`'s) that return URLs may point to. */
  readonly allowedRedirectOrigins?: readonly string[] | undefined;
  readonly hooks?: Readonly<Partial<Record<HookName, PaymentHook>>> | undefined;
  /**
   * Where paymount logs (pino-compatible; secrets are scrubbed). Default: warnings and
   * errors on the console, each line ending with what to do. `false`: nothing at all.
   */
  readonly logger?: Logger | false | undefined;
  /**
   * OpenTelemetry spans and metrics through `@opentelemetry/api`, when it is installed and
   * an SDK is registered before `createPayments`. Default `true`; `false`: none from paymount.
   */
  readonly telemetry?: boolean | undefined;
  /**
   * What a buyer's browser (a request that accepts HTML) gets when checkout or return fails.
   * `redirect` (default): checkout sends it to the failure page (`returnUrls.failure`, per
   * provider too) with `?paymount_error=CODE`; a return that names no known payment gets a
   * small HTML page. `framework`: the error (a `PaymentsError` with `status` and `code`) goes
   * to the framework's error handling — Express `next(error)`, a `throw` in Koa — so the
   * shop's own error page renders it. `json`: the JSON error, as API clients always get.
   */
  readonly browserErrors?: BrowserErrors | undefined;
  /** What an overpayment becomes. Default `anomaly` (a person looks); `paid` accepts it. */
  readonly overpayment?: 'anomaly' | 'paid' | undefined;
  /** Largest request body paymount reads, in bytes. Default 65 536. */
  readonly maxBodyBytes?: number | undefined;
  /** Extra currency precisions, e.g. `{ TON: 9 }`. */
  readonly currencyScales?: Readonly<Record<string, number>> | undefined;
  readonly hookDelivery?:
    | {
        /** Attempts before a hook job is dead-lettered. Default 10. */
        readonly maxAttempts?: number | undefined;
        /** First retry delay; doubles each attempt. Default 1 000 ms. */
        readonly baseDelayMs?: number | undefined;
        readonly maxDelayMs?: number | undefined;
        /** A hook that runs longer counts as failed. Default 30 000 ms. */
        readonly timeoutMs?: number | undefined;
        /** Background poll for due jobs (retries, restarts). 0 turns the background worker off. Default 1 000 ms. */
        readonly pollIntervalMs?: number | undefined;
      }
    | undefined;
  readonly reconcile?:
    | {
        /** Background reconciler interval; 0 (default) turns it off: call `payments.reconcile()` yourself. */
        readonly intervalMs?: number | undefined;
        /** First provider check of a payment left pending. Default 60 000 ms after creation. */
        readonly firstCheckAfterMs?: number | undefined;
        /** Longest pause between checks of one payment. Default 3 600 000 ms. */
        readonly maxBackoffMs?: number | undefined;
        /** Payments checked per round. Default 50. */
        readonly batchSize?: number | undefined;
        /**
         * An `expired` or `anomaly` payment is asked about again this long after it became
         * so, then at doubling pauses (a late payment, a resolution on the provider's side).
         * Default 600 000 ms.
         */
        readonly recheckAfterMs?: number | undefined;
        /** How many times in all such a payment is asked about again; 0 turns it off. Default 10. */
        readonly rechecks?: number | undefined;
      }
    | undefined;
  /**
   * The status route asks the provider about a live payment at most this often (ms), so
   * a waiting page learns of a payment whose notification was lost. 0 turns it off. Default 10 000.
   */
  readonly statusCheckIntervalMs?: number | undefined;
  readonly refunds?:
    | {
        /**
         * A refund the provider has not finished (`pending`) is asked about again by each
         * reconcile round once it has not changed for this long. Default 60 000 ms.
         */
        readonly checkIntervalMs?: number | undefined;
        /** Unfinished refunds asked about per reconcile round. Default 20. */
        readonly batchSize?: number | undefined;
      }
    | undefined;
  readonly journal?:
    | {
        /** `payments.pruneJournal()` deletes entries older than this many days. Default 90. */
        readonly retainDays?: number | undefined;
      }
    | undefined;
  readonly checkout?:
    | {
        /** A pending payment older than this is re-checked with the provider before it is reused. Default 15 min. */
        readonly reuseWindowMs?: number | undefined;
        /**
         * A payment still `created` this long after checkout (its provider checkout failed and
         * nobody retried) is expired by the reconciler, with `onExpired`. Default 3 600 000 ms.
         */
        readonly createdExpiryMs?: number | undefined;
      }
    | undefined;
  /** Identifies this process in store leases. Default: random per process. */
  readonly instanceId?: string | undefined;
  /** Injected clock, for tests. */
  readonly now?: (() => Date) | undefined;
}
