import { DEFAULTS } from '../config/defaults.js';
import type { PaymentsOptions } from '../config/options.js';
import { resolveOptions } from '../config/resolve.js';
import type {
  AnomalyResolution,
  ApplyResult,
  CheckoutInput,
  CheckoutOutcome,
  DeliveryReport,
  ReconcileOptions,
  ReconcileReport,
} from '../contracts/actions.js';
import type { PaymentsRequest, PaymentsResponse, PaymountHandler } from '../contracts/http.js';
import type { JournalEntry, JournalPage, JournalQuery, OperatorAction } from '../contracts/journal.js';
import type { RecordedRefundInput, Refund, RefundInput } from '../contracts/refunds.js';
import type { HookJob, PaymentCount, PaymentListQuery, PaymentPage } from '../contracts/store.js';
import type { Payment } from '../domain/payment.js';
import type { ProviderEvent } from '../domain/state-machine.js';
import { Router } from '../http/router.js';
import type { MatchedRoute, RouteName } from '../http/routes.js';
import type { Logger } from '../logging/logger.js';
import { cancelOrder } from './cancel.js';
import { checkout } from './checkout.js';
import { createEngineContext, type EngineContext } from './context.js';
import { countWithin, type HealthReport, health } from './health.js';
import { deliverHooks, replayHook } from './hook-delivery.js';
import { paymentHistory, pruneJournal, readJournal, record } from './journal.js';
import { countPayments, listPayments } from './listing.js';
import { paymentsPort } from './port.js';
import { refresh } from './provider-checks.js';
import { reconcile } from './reconcile.js';
import { type RefundTotals, recordRefund, refundPayment, refundTotals } from './refunds.js';
import { acceptAnomaly, resolveAnomaly } from './resolve.js';
import { returnUrlFor } from './return-urls.js';
import { applyEvent } from './transitions.js';
import { Workers } from './workers.js';

/**
 * The payments engine: the whole of paymount without a framework. Create it with
 * {@link createPayments}; mount it with an adapter (`app.use('/pay', paymount(payments))`).
 * Each method delegates to one action in `engine/`.
 */
export class Payments implements PaymountHandler<MatchedRoute> {
  readonly #engine: EngineContext;
  readonly #router: Router;
  readonly #workers: Workers;
  #closed = false;

  constructor(options: PaymentsOptions) {
    this.#engine = createEngineContext(resolveOptions(options));
    this.#router = new Router(paymentsPort(this.#engine));
    this.#workers = new Workers(this.#engine);
    this.#workers.start();
    this.#engine.telemetry.observeHookJobs(() => countWithin(this.#engine, DEFAULTS.healthTimeoutMs));
  }

  /** Absolute URL paymount is mounted at, without a trailing slash. */
  get publicUrl(): string {
    return this.#engine.options.publicUrl;
  }

  /** Names of the configured providers. */
  get providerNames(): string[] {
    return [...this.#engine.providers.keys()];
  }

  /** Largest request body paymount reads, in bytes (part of the handler contract). */
  get maxBodyBytes(): number {
    return this.#engine.options.maxBodyBytes;
  }

  /** The shop's logger, scrubbed of secrets (part of the handler contract). */
  get logger(): Logger {
    return this.#engine.logger;
  }

  /**
   * Creates or reuses the payment for an order and returns where to send the buyer.
   * The amount always comes from `loadOrder`; an order already paid is never charged again.
   */
  checkout(input: CheckoutInput): Promise<CheckoutOutcome> {
    return checkout(this.#engine, input);
  }

  /** One payment by id, or null. */
  get(paymentId: string): Promise<Payment | null> {
    return this.#engine.store.get(paymentId);
  }

  /** Every payment of an order, oldest first. */
  findByOrder(orderId: string): Promise<Payment[]> {
    return this.#engine.store.findByOrder(orderId);
  }

  /**
   * Payments newest first (`createdAt` descending, then id), a page at a time: pass the
   * returned `nextCursor` as `cursor`, with the same filters, for the next page. Filters:
   * `status` (one or several), `provider`, `search` (an order id, payment id or provider
   * reference, exactly), `createdSince` (inclusive) and `createdUntil` (exclusive), ISO 8601.
   * `limit` defaults to 50 and is capped at 500. A malformed status, date, limit or cursor
   * throws `PaymentsError('invalid_request')`.
   */
  list(query?: PaymentListQuery): Promise<PaymentPage> {
    return listPayments(this.#engine, query);
  }

  /**
   * How many payments per status and provider were created at or after `since` and
   * before `until` (ISO 8601; no `until`: up to now), for an overview. Pairs with no
   * payment are left out; sorted by status (in the order of `PAYMENT_STATUSES`), then provider.
   */
  counts(query: { since: string; until?: string }): Promise<PaymentCount[]> {
    return countPayments(this.#engine, query);
  }

  /**
   * Moves a payment by a provider event, atomically and forward only; a duplicate, late
   * or out-of-order event changes nothing. For providers' tests and for shops that learn
   * of payments another way: it trusts the event.
   */
  applyEvent(paymentId: string, event: ProviderEvent, known?: Payment): Promise<ApplyResult> {
    return applyEvent(this.#engine, paymentId, event, known);
  }

  /** Asks the payment's provider where it stands and applies the answer. */
  refresh(paymentId: string): Promise<Payment> {
    return refresh(this.#engine, paymentId);
  }

  /**
   * Re-asks providers about payments, one batch of those due by their schedule: pending
   * ones (lost notifications), stuck `created` ones (expired after
   * `checkout.createdExpiryMs`), and a bounded number of slower looks at expired and
   * anomalous ones. With `{ all: true }`: every live payment now, whatever its schedule
   * (a cron job, an operator's "check now"), in batches until none is left; `onBatch` then
   * hears the totals after each batch.
   */
  reconcile(options?: ReconcileOptions): Promise<ReconcileReport> {
    return reconcile(this.#engine, options);
  }

  /**
   * Voids the live payments of an order the shop edits or withdraws: each becomes
   * `failed` (`providerStatus: 'cancelled'`, `onFailed`), so its pay page can no longer
   * make it `paid`; money that still arrives there becomes the anomaly
   * `paid_after_failure`. Returns the payments voided.
   */
  cancel(orderId: string): Promise<Payment[]> {
    return cancelOrder(this.#engine, orderId);
  }

  /**
   * An operator accepts an anomaly's money as the payment of its order: the payment
   * becomes `paid`, with `onPaid`. Refused (`conflict`) while another payment of the
   * order is paid, and (`invalid_request`) for a payment that is not an anomaly.
   */
  acceptAnomaly(paymentId: string): Promise<Payment> {
    return acceptAnomaly(this.#engine, paymentId);
  }

  /**
   * An operator resolves an anomaly, with a note: `as: 'paid'` accepts its money as the
   * order's payment (`paid`, `onPaid`, as {@link acceptAnomaly}); `as: 'refunded'` records
   * that the operator gave the money back by hand, in the provider's dashboard (`refunded`,
   * `onRefunded`; no money moves through paymount). Either writes an `operator.action`
   * journal entry naming the operator, what was done and the note, in the same store step
   * as the change. Refused: `payment_not_found`; `invalid_request` when the payment is not
   * an anomaly, or the note or operator is missing; `conflict` when paying while another
   * payment of the order is paid.
   *
   * ```ts
   * await payments.resolveAnomaly(id, { as: 'refunded', note: 'Refunded in AAIO, ticket 812', operator: { id: 'ana' } });
   * ```
   */
  resolveAnomaly(paymentId: string, resolution: AnomalyResolution): Promise<Payment> {
    return resolveAnomaly(this.#engine, paymentId, resolution);
  }

  /**
   * Refunds a paid payment through its provider: everything still refundable, or
   * `amount` (a decimal string) of it. Resolves to the refund, `succeeded` or `pending`
   * (the reconciler finishes it); `onRefunded` runs once when it succeeds. Refused with
   * `refund_not_allowed`, `refund_exceeds_payment`, `invalid_amount` or
   * `refund_unsupported`; a provider that refuses leaves a `failed` refund and throws
   * `provider_error`; one that cannot be reached throws its `provider_*` error with the
   * refund kept `pending` (`error.details.refundId`). The same `idempotencyKey` gives back
   * the same refund.
   */
  refund(paymentId: string, input?: RefundInput): Promise<Refund> {
    return refundPayment(this.#engine, paymentId, input);
  }

  /** Every refund of a payment, oldest first. */
  refunds(paymentId: string): Promise<Refund[]> {
    return this.#engine.store.listRefunds(paymentId);
  }

  /** What a payment took in, what of it is refunded, reserved by unfinished refunds, and still refundable. */
  refundTotals(paymentId: string): Promise<RefundTotals> {
    return refundTotals(this.#engine, paymentId);
  }

  /**
   * Records a refund made outside paymount, for any provider (AAIO has no refund API):
   * `succeeded` at once, with `onRefunded`; the same `reference` records it once.
   */
  recordRefund(paymentId: string, input: RecordedRefundInput): Promise<Refund> {
    return recordRefund(this.#engine, paymentId, input);
  }

  /** The shop page a buyer returning from the pay page should land on, for the payment's state. */
  returnUrlFor(payment: Payment): string {
    return returnUrlFor(this.#engine, payment);
  }

  /** Runs due hook jobs until none is due (for a worker process with `pollIntervalMs: 0`). */
  deliverHooks(): Promise<DeliveryReport> {
    return deliverHooks(this.#engine);
  }

  /**
   * Everything that happened to one payment, oldest first: checkouts, callbacks accepted
   * and refused, provider checks, status changes, hook attempts, operator actions.
   */
  history(paymentId: string): Promise<JournalEntry[]> {
    return paymentHistory(this.#engine, paymentId);
  }

  /**
   * Browses the journal of every payment, newest first unless `order: 'asc'`, a page at a
   * time: pass the returned `nextCursor` as `cursor` for the next page.
   */
  journal(query: JournalQuery = {}): Promise<JournalPage> {
    return readJournal(this.#engine, query);
  }

  /** Deletes journal entries older than `journal.retainDays` (default 90); resolves to how many. */
  pruneJournal(): Promise<number> {
    return pruneJournal(this.#engine);
  }

  /**
   * Notes what an operator did (from the console, the CLI or the shop's own tools) in the
   * journal: who, what, and an optional note, for the payment it concerns.
   */
  async recordOperatorAction(action: OperatorAction): Promise<void> {
    const payment = action.paymentId ? await this.#engine.store.get(action.paymentId) : null;
    await record(this.#engine, {
      type: 'operator.action',
      paymentId: action.paymentId ?? null,
      provider: payment?.provider ?? null,
      data: { who: action.who, what: action.what, note: action.note ?? null, source: action.source ?? null },
    });
  }

  /**
   * For readiness probes: whether the store answers (within `timeoutMs`, default 2 s), the
   * hook backlog and its oldest age, dead hooks, and when each provider's API last answered
   * well. `ok` is false only when the store is unreachable.
   */
  health(options?: { timeoutMs?: number }): Promise<HealthReport> {
    return health(this.#engine, options);
  }

  /** Hook jobs, for dashboards and support: pending, done or dead-lettered. */
  listHookJobs(filter?: { state?: HookJob['state']; paymentId?: string }): Promise<HookJob[]> {
    return this.#engine.store.listHookJobs(filter);
  }

  /** Puts a dead-lettered hook job back in line; false when there is no such dead job. */
  replayHook(jobId: string): Promise<boolean> {
    return replayHook(this.#engine, jobId);
  }

  /** Matches a path below the mount point to a paymount route, cheaply; undefined when it is not ours. */
  match(method: string, path: string): MatchedRoute | undefined {
    return this.#router.match(method, path);
  }

  /** Answers a request {@link match} recognised; never rejects. */
  respond(request: PaymentsRequest, matched: MatchedRoute): Promise<PaymentsResponse> {
    return this.#router.respond(request, matched);
  }

  /** Answers provider callbacks (part of the handler contract). */
  get servesProviderCallbacks(): boolean {
    return true;
  }

  /**
   * The same routes, restricted to some of them, for a shop that mounts paymount at two
   * places of its middleware chain: provider callbacks before body parsers, CSRF and
   * session middleware (which would refuse or track them), the buyer's routes after the
   * session, so `loadOrder` sees it.
   *
   * ```ts
   * app.use('/pay', paymount(payments.only('callback')));
   * app.use(session(…), csrf(…));
   * app.use('/pay', paymount(payments.only('checkout', 'return', 'status')));
   * ```
   */
  only(...routes: RouteName[]): PaymountHandler<MatchedRoute> {
    const allowed = new Set(routes);
    return {
      match: (method, path) => {
        const matched = this.match(method, path);
        return matched && allowed.has(matched.route) ? matched : undefined;
      },
      respond: (request, matched) => this.respond(request, matched),
      maxBodyBytes: this.maxBodyBytes,
      logger: this.logger,
      servesProviderCallbacks: allowed.has('callback'),
    };
  }

  /**
   * Answers an HTTP request addressed to paymount, or resolves to undefined when the
   * path is not one of paymount's (the adapter then calls the shop's next handler).
   */
  async handle(request: PaymentsRequest): Promise<PaymentsResponse | undefined> {
    const matched = this.match(request.method, request.path);
    return matched ? this.respond(request, matched) : undefined;
  }

  /** Stops background workers, waits for running work, and closes providers. The store stays open: it is the shop's. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#engine.telemetry.close();
    await this.#workers.close();
    await Promise.allSettled([...this.#engine.providers.values()].map(({ provider }) => provider.close?.()));
  }
}

/**
 * Creates the payments engine. Validates every option at once and throws a
 * `PaymentsConfigError` listing each problem.
 */
export function createPayments(options: PaymentsOptions): Payments {
  return new Payments(options);
}
