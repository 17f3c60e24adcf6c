import type { PaymentsRequest } from '../contracts/http.js';
import type { OrderDetails, PaymentProvider } from '../contracts/provider.js';
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
