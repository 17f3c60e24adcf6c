import type { Payment, PaymentStatus } from '../domain/payment.js';
import type { HookName } from '../domain/state-machine.js';
import type { JournalEntry, JournalPage, JournalQuery } from './journal.js';
import type { Refund } from './refunds.js';

/** One hook call owed for one transition: the outbox row, written in the same atomic step as the transition. */
export interface HookJob {
  /** Also the idempotency key handed to the hook: `{paymentId}:{status}:{hook}`. */
  readonly id: string;
  readonly paymentId: string;
  readonly hook: HookName;
  readonly from: PaymentStatus;
  readonly to: PaymentStatus;
  /** The payment as it was right after the transition. */
  readonly payment: Payment;
  readonly state: 'pending' | 'done' | 'dead';
  readonly attempts: number;
  /** Epoch milliseconds. */
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  readonly createdAt: number;
}

/** How many hook jobs wait and how many are dead, for gauges and `payments.health()`. */
export interface HookJobCounts {
  readonly pending: number;
  readonly dead: number;
  /** When the oldest pending job was written (epoch ms), or null when none is pending. */
  readonly oldestPendingAt: number | null;
}

/** A transition to store: the new payment (version already incremented) and the hooks it owes. */
export interface TransitionWrite {
  readonly payment: Payment;
  readonly expectedVersion: number;
  readonly jobs: readonly HookJob[];
  /** Journal entries of the transition (its `status.changed`), written in the same atomic step. */
  readonly journal?: readonly JournalEntry[];
  /**
   * A handled-callback key to remember with the transition, in the same atomic step, as
   * {@link PaymentStore.rememberEvent} would (for the written payment; a key already
   * remembered is kept as it is). Only when the write is stored.
   */
  readonly rememberEvent?: string;
  /**
   * The payment's next provider check after this write (epoch ms), or null for none.
   * Omitted: a live payment keeps the check it had, any other has none.
   */
  readonly nextCheckAt?: number | null;
}

/**
 * What `payments.list()` filters by; every field is optional. Dates are ISO 8601
 * (`createdSince` inclusive, `createdUntil` exclusive); `search` matches an order id, a
 * payment id or a provider reference exactly.
 */
export interface PaymentListQuery {
  /** One status or several (any of them); an empty list filters nothing. */
  readonly status?: PaymentStatus | readonly PaymentStatus[];
  readonly provider?: string;
  readonly search?: string;
  readonly createdSince?: string;
  readonly createdUntil?: string;
  /** At most this many payments (default 50, at most 500). */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** One page of payments, newest first, and where the next one starts (null: no more). */
export interface PaymentPage {
  readonly payments: Payment[];
  readonly nextCursor: string | null;
}

/** How many payments of one status and one provider were created in a window. */
export interface PaymentCount {
  readonly status: PaymentStatus;
  readonly provider: string;
  readonly count: number;
}

/**
 * A listing as a store gets it, already checked: statuses as a list (empty: any), dates as
 * `Date#toISOString()` text, and the place the previous page ended.
 */
export interface PaymentListing {
  readonly statuses: readonly PaymentStatus[];
  readonly provider?: string;
  readonly search?: string;
  readonly createdSince?: string;
  readonly createdUntil?: string;
  /** Only payments after this one in the listing's order (createdAt descending, then id descending). */
  readonly after?: { readonly createdAt: string; readonly id: string };
  readonly limit: number;
}

export interface ClaimOptions {
  /** Epoch milliseconds. */
  readonly now: number;
  readonly limit: number;
  /** How long the claim keeps others away; a crashed claimer's work is taken over after it. */
  readonly leaseMs: number;
  /** Who claims: one id per process. */
  readonly owner: string;
}

/**
 * Durable payment state. Every method is atomic on its own; `transition` is a
 * compare-and-set on `version` that writes the payment and its hook jobs together.
 * Implementations must pass the store conformance suite of `@paymount/testing`.
 *
 * Two rules are the store's to keep, inside the transition itself, because a read
 * followed by a write cannot keep them against a concurrent writer:
 * - **One provider order, one payment.** A `(provider, providerRef)` pair binds to the
 *   first payment written with it, for good; a write that would give it to another
 *   payment throws `provider_ref_taken` and stores nothing.
 * - **One paid payment per order.** A write that would make a second payment of the
 *   same order `paid` is not stored (`transition` returns false, as for a lost race);
 *   the engine reads again and records the anomaly `paid_twice` instead.
 *
 * @example
 * // The SQL stores keep both rules with a unique partial index on
 * // (order_id) WHERE status = 'paid' and a binding table keyed by (provider, provider_ref).
 */
export interface PaymentStore {
  /**
   * Inserts `payment` unless a live (created or pending) payment exists for the same
   * order and provider; then returns that one instead. Atomic: two concurrent calls
   * for one order and provider end with one live payment.
   */
  createOrReuse(payment: Payment, firstCheckAt: number): Promise<{ payment: Payment; created: boolean }>;
  get(id: string): Promise<Payment | null>;
  /** Every payment of an order, oldest first. */
  findByOrder(orderId: string): Promise<Payment[]>;
  /**
   * Compare-and-set: stores the write when the stored version equals `expectedVersion`
   * and it makes no second paid payment of its order; false otherwise, with nothing
   * stored. When the write carries a provider reference the payment did not hold yet,
   * the store binds it to the payment in the same step; a reference bound to another
   * payment throws `PaymentsError('provider_ref_taken')`, with nothing stored.
   */
  transition(write: TransitionWrite): Promise<boolean>;
  /** The payment a provider reference is bound to, or null when none is. */
  findByProviderRef(provider: string, providerRef: string): Promise<Payment | null>;
  /**
   * Live (created or pending) payments of `provider` that hold no provider reference,
   * created at or after `createdSince` (ISO 8601), newest first, at most `limit`: what a
   * provider's search of its own order list looks for (`PaymentProvider.lostPayments`).
   */
  findUnbound(provider: string, createdSince: string, limit: number): Promise<Payment[]>;
  /** True when a callback with this key was already handled. */
  hasEvent(key: string): Promise<boolean>;
  /** Remembers a handled callback; false when it was already remembered. */
  rememberEvent(key: string, paymentId: string): Promise<boolean>;
  /**
   * Claims payments whose next provider check is due and whose status is one of
   * `CHECKABLE_STATUSES` (live, expired, anomaly).
   */
  claimDueChecks(options: ClaimOptions): Promise<Payment[]>;
  /**
   * Sets the next check of a payment (null: none) and releases the claim. Ignored when
   * another owner holds the claim, or when the payment's status is not checkable any more.
   */
  scheduleCheck(paymentId: string, nextCheckAt: number | null, owner: string): Promise<void>;
  /**
   * Makes the next check of every live (created or pending) payment due at `now` at the
   * latest, for `reconcile({ all: true })`; claims held by others are left alone. Returns
   * how many payments it made due.
   */
  checkAllLiveAt(now: number): Promise<number>;
  /** Claims pending hook jobs that are due and not leased by someone else. */
  claimHookJobs(options: ClaimOptions): Promise<HookJob[]>;
  /** Marks a claimed job done. */
  completeHookJob(id: string, owner: string): Promise<void>;
  /** Records a failed attempt: retry at `nextAttemptAt`, or dead-letter when it is null. */
  failHookJob(id: string, owner: string, error: string, nextAttemptAt: number | null): Promise<void>;
  listHookJobs(filter?: { state?: HookJob['state']; paymentId?: string }): Promise<HookJob[]>;
  /**
   * Counts pending and dead hook jobs, and when the oldest pending one was written. Read at
   * every metrics collection and health probe: it must stay cheap however many jobs are
   * done (the SQL stores answer from partial indexes on pending and dead jobs).
   */
  countHookJobs(): Promise<HookJobCounts>;
  /** Moves a dead job back to pending, due now, with its attempt count reset. False when it is not dead. */
  replayHookJob(id: string, now: number): Promise<boolean>;
  /** Appends journal entries (ids are unique; an id already stored is skipped). */
  appendJournal(entries: readonly JournalEntry[]): Promise<void>;
  /**
   * A page of the journal matching the query, in insertion order (`asc`) or newest first
   * (`desc`); `limit` is already bounded by the caller. The cursor is the store's own.
   */
  listJournal(query: JournalQuery & { readonly limit: number }): Promise<JournalPage>;
  /** Deletes entries older than `before` (ISO 8601); resolves to how many. */
  pruneJournal(before: string): Promise<number>;
  /**
   * Payments matching the listing, newest first: `createdAt` descending, then `id`
   * descending (ids compared as plain code points, `COLLATE "C"`), at most `limit`.
   */
  listPayments(listing: PaymentListing): Promise<Payment[]>;
  /**
   * How many payments per status and provider were created at or after `since` and before
   * `until` (when given); both are `Date#toISOString()` text. Pairs with none are left out.
   */
  countPayments(window: { readonly since: string; readonly until?: string }): Promise<PaymentCount[]>;
  close(): Promise<void>;
  /**
   * Inserts a refund, reserving its amount, in one atomic step: refused with
   * `PaymentsError('refund_exceeds_payment')` (nothing stored) when the payment's refunds
   * that are not `failed`, with this one, would exceed `limit`. A refund with the
   * `idempotencyKey` of one already stored for the same payment is not inserted: that one
   * comes back, `created: false`, also when both race.
   */
  createRefund(refund: Refund, limit: string): Promise<{ refund: Refund; created: boolean }>;
  getRefund(id: string): Promise<Refund | null>;
  /** Every refund of a payment, oldest first. */
  listRefunds(paymentId: string): Promise<Refund[]>;
  /**
   * Compare-and-set on the refund's `version`: stores the new record with its jobs and
   * journal, and the payment's transition when the write carries one, all or nothing.
   * False (nothing stored) when either version moved, or the transition is refused.
   */
  updateRefund(write: RefundWrite): Promise<boolean>;
  /**
   * Refunds still `requested` or `pending` whose `updatedAt` is before `updatedBefore`
   * (ISO 8601), least recently updated first, at most `limit`: what the refund sweep asks about.
   */
  unsettledRefunds(updatedBefore: string, limit: number): Promise<Refund[]>;
}

/** A refund write: the new record (version raised) and what it owes, in one atomic step. */
export interface RefundWrite {
  readonly refund: Refund;
  readonly expectedVersion: number;
  /** Hook jobs owed (a succeeded refund's `onRefunded`, the payment's `onStatusChange`). */
  readonly jobs: readonly HookJob[];
  readonly journal: readonly JournalEntry[];
  /**
   * The payment's own transition in the same step (to `refunded`, when this refund makes
   * the refunded total the whole refundable amount). Its `jobs` and `journal` are written too.
   */
  readonly transition?: TransitionWrite;
}
