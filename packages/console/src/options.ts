import type {
  HookJob,
  JournalEntry,
  JournalPage,
  JournalQuery,
  Logger,
  OperatorAction,
  Payment,
  PaymentStatus,
  ReconcileReport,
  RecordedRefundInput,
  Refund,
  RefundInput,
  RefundTotals,
} from '@paymount/core';
import type { HeaderMap } from '@paymount/core/node';

/** Who is using the console, as `authorize` names them. */
export interface Operator {
  /** Stable id (an e-mail, a user id): the `who` of every `operator.action` entry, and what the CSRF token is bound to. */
  readonly id: string;
  /** Shown in the header instead of the id. */
  readonly name?: string | undefined;
  /** `false`: this operator may look but not act (every action answers 403). Default true. */
  readonly canAct?: boolean | undefined;
}

/** What `authorize` is given to decide who is asking. */
export interface ConsoleRequest {
  readonly method: string;
  /** The path below the console's mount point (`/payments/pm_…`). */
  readonly path: string;
  readonly headers: HeaderMap;
  /** The request's cookies, by name (the first of a repeated name wins). */
  readonly cookies: Readonly<Record<string, string>>;
  readonly ip: string | undefined;
  /** The framework's own request: the Express `req` or the Koa `ctx`, to read the shop's session. */
  readonly frameworkRequest: unknown;
}

/** Options of {@link createConsole}. */
export interface ConsoleOptions {
  /**
   * Required. Resolves to the operator making the request, or null to refuse it (401,
   * with no payment data). There is no default: a console is never open by itself.
   */
  readonly authorize: (request: ConsoleRequest) => Operator | null | Promise<Operator | null>;
  /** Shown in the header and every `<title>`. Default `'Payments'`. */
  readonly title?: string | undefined;
  /** Hides every action and refuses each one with 403. Default false. */
  readonly readOnly?: boolean | undefined;
  /**
   * Key of the CSRF tokens (an HMAC of the operator id), at least 32 characters. Set it
   * when several processes serve the console, so a form rendered by one is accepted by
   * another. Default: random per process (forms from before a restart are refused once).
   */
  readonly secret?: string | undefined;
  /**
   * Where the console is mounted (`'/admin/payments'`), for its links. Only needed when the
   * adapter gives no framework request with an `originalUrl` (Express and Koa both do).
   */
  readonly mountPath?: string | undefined;
  /** A sign-in page of the shop, linked from the 401 page. */
  readonly signInUrl?: string | undefined;
  /**
   * A payment still `created` or `pending` this long (ms) after it was made is listed as
   * overdue on the overview. Default 24 hours, past the pay window of Aurpay and AAIO.
   */
  readonly overdueAfterMs?: number | undefined;
  /** Payments per page of the list. Default 50. */
  readonly pageSize?: number | undefined;
  /**
   * Providers (by their name in `providers`) without a refund API: their payments offer
   * only "Record a refund made elsewhere", and the page says why. Default `['aaio']`.
   */
  readonly refundsByHand?: readonly string[] | undefined;
  /** Where the console logs its own failures. Default: the payments' logger. */
  readonly logger?: Logger | undefined;
}

/** A filter of `payments.list()`. */
export interface ConsoleListQuery {
  readonly status?: PaymentStatus | readonly PaymentStatus[];
  readonly provider?: string;
  readonly search?: string;
  readonly createdSince?: string;
  readonly createdUntil?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/** One row of `payments.counts()`. */
export interface ConsoleCount {
  readonly status: PaymentStatus;
  readonly provider: string;
  readonly count: number;
}

/** The part of `Payments` (from `createPayments`) the console uses; a `Payments` fits as it is. */
export interface ConsolePayments {
  readonly providerNames: readonly string[];
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  get(paymentId: string): Promise<Payment | null>;
  history(paymentId: string): Promise<JournalEntry[]>;
  journal(query?: JournalQuery): Promise<JournalPage>;
  listHookJobs(filter?: { state?: HookJob['state']; paymentId?: string }): Promise<HookJob[]>;
  replayHook(jobId: string): Promise<boolean>;
  refresh(paymentId: string): Promise<Payment>;
  reconcile(options?: { limit?: number; all?: boolean }): Promise<ReconcileReport>;
  recordOperatorAction(action: OperatorAction): Promise<void>;
  list(query?: ConsoleListQuery): Promise<{ payments: Payment[]; nextCursor: string | null }>;
  counts(range: { since: string; until?: string }): Promise<readonly ConsoleCount[]>;
  refund(paymentId: string, input?: RefundInput): Promise<Refund>;
  recordRefund(paymentId: string, input: RecordedRefundInput): Promise<Refund>;
  refunds(paymentId: string): Promise<Refund[]>;
  refundTotals(paymentId: string): Promise<RefundTotals>;
  resolveAnomaly(
    paymentId: string,
    resolution: {
      as: 'paid' | 'refunded';
      note: string;
      operator: { id: string; name?: string };
      source?: string;
    },
  ): Promise<Payment>;
}
