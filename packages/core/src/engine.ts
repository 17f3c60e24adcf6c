import { randomBytes } from 'node:crypto';
import { type PaymentsOptions, type ResolvedOptions, resolveOptions } from './config.js';
import { isPaymentsError, PaymentsError } from './errors.js';
import type { CallbackInput, PaymentsRequest, PaymentsResponse } from './http-types.js';
import { type Logger, redactingLogger, redactSecrets, silentLogger } from './logger.js';
import { formatAmount, fromMinorUnits, normalizeCurrency, registerCurrencyScales } from './money.js';
import { normalizePayUrl } from './pay-url.js';
import { isLive, isOrderId, newPaymentId, type Payment } from './payment.js';
import type {
  CallbackEventName,
  CheckoutResult,
  OrderDetails,
  PaymentProvider,
  ProviderContext,
} from './provider.js';
import { type MatchedRoute, matchRoute, Router } from './routes.js';
import { CallbackUrlSigner } from './signed-url.js';
import { decideTransition, type HookName, hooksFor, type ProviderEvent } from './state-machine.js';
import type { HookJob, PaymentStore } from './store.js';

/** What a checkout produced: where to send the buyer, and the payment behind it. */
export interface CheckoutOutcome {
  readonly payment: Payment;
  /** The provider's pay page, or null when the order is already paid. */
  readonly payUrl: string | null;
  /** Where to send the buyer now: the pay page, or the success page of an already paid order. */
  readonly redirectUrl: string;
  readonly alreadyPaid: boolean;
  /** An existing live payment was reused (double click, second tab). */
  readonly reused: boolean;
}

export interface CheckoutInput {
  readonly orderId: string;
  /** Provider name; optional when only one is configured or `defaultProvider` is set. */
  readonly provider?: string;
  /** The HTTP request behind the checkout, passed on to `loadOrder`. */
  readonly request?: PaymentsRequest;
}

/** The result of applying a provider event: the payment as stored now, and whether it moved. */
export interface ApplyResult {
  readonly payment: Payment;
  readonly changed: boolean;
}

export interface DeliveryReport {
  readonly delivered: number;
  readonly retried: number;
  readonly dead: number;
}

export interface ReconcileReport {
  readonly checked: number;
  readonly changed: number;
  readonly errors: number;
}

interface NormalizedOrder {
  readonly amount: string;
  readonly currency: string;
  readonly details: OrderDetails & { amount: string };
}

/** A buyer reloading the return page asks the provider at most this often per payment. */
const RETURN_CHECK_INTERVAL_MS = 2_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The payments engine: the whole of paymount without HTTP. Create it with {@link createPayments}. */
export class Payments {
  readonly #options: ResolvedOptions;
  readonly #store: PaymentStore;
  readonly #logger: Logger;
  readonly #secrets: readonly string[];
  /** False with the default silent logger: the per-payment info lines are then not even built. */
  readonly #logsInfo: boolean;
  readonly #signer: CallbackUrlSigner;
  readonly #providers = new Map<string, PaymentProvider>();
  readonly #contexts = new Map<string, ProviderContext>();
  readonly #hookNames: ReadonlySet<HookName>;
  readonly #instanceId: string;
  readonly #router: Router;
  readonly #inflightCheckouts = new Map<string, Promise<CheckoutResult>>();
  /** When each live payment was last checked with its provider for a buyer (return, status). */
  readonly #lastChecked = new Map<string, number>();
  #hookTimer: NodeJS.Timeout | undefined;
  #reconcileTimer: NodeJS.Timeout | undefined;
  #delivering: Promise<DeliveryReport> | undefined;
  #deliverAgain = false;
  #running = new Set<Promise<unknown>>();
  #closed = false;

  constructor(options: PaymentsOptions) {
    this.#options = resolveOptions(options);
    if (this.#options.currencyScales) registerCurrencyScales(this.#options.currencyScales);
    this.#store = this.#options.store;
    this.#signer = new CallbackUrlSigner(this.#options.secret);
    this.#instanceId = this.#options.instanceId ?? `pmi_${randomBytes(8).toString('hex')}`;
    const secrets = [this.#options.secret];
    for (const provider of Object.values(this.#options.providers)) secrets.push(...provider.secrets);
    this.#secrets = [...new Set(secrets.filter((s) => s.length >= 6))].sort((a, b) => b.length - a.length);
    // Scrubbing walks every logged object: skip it when nothing is logged at all.
    this.#logger = this.#options.logger ? redactingLogger(this.#options.logger, this.#secrets) : silentLogger;
    this.#logsInfo = this.#options.logger !== undefined;
    this.#hookNames = new Set(
      Object.entries(this.#options.hooks ?? {})
        .filter(([, fn]) => typeof fn === 'function')
        .map(([name]) => name as HookName),
    );
    for (const [name, provider] of Object.entries(this.#options.providers)) {
      this.#providers.set(name, provider);
      this.#contexts.set(name, this.#providerContext(name));
    }
    this.#router = new Router(this, this.#options.maxBodyBytes ?? 65_536);
    this.#startWorkers();
  }

  /** Absolute URL paymount is mounted at, without a trailing slash. */
  get publicUrl(): string {
    return this.#options.publicUrl;
  }

  /** Largest request body paymount reads, in bytes. */
  get maxBodyBytes(): number {
    return this.#options.maxBodyBytes ?? 65_536;
  }

  get logger(): Logger {
    return this.#logger;
  }

  /** Removes every configured secret from a text that is about to leave the process. */
  redact(text: string): string {
    return redactSecrets(text, this.#secrets);
  }

  /** Names of the configured providers. */
  /** True when a provider of that name is configured. */
  hasProvider(name: string): boolean {
    return this.#providers.has(name);
  }

  get providerNames(): string[] {
    return [...this.#providers.keys()];
  }

  #now(): Date {
    return this.#options.now ? this.#options.now() : new Date();
  }

  #providerContext(name: string): ProviderContext {
    const base = this.#options.publicUrl;
    return {
      name,
      logger: this.#logger,
      plainCallbackUrl: `${base}/callback/${name}`,
      callbackUrl: (paymentId: string, event: CallbackEventName) =>
        `${base}/callback/${name}?pm=${paymentId}&ev=${event}&sig=${this.#signer.sign(name, paymentId, event)}`,
      verifyCallbackUrl: (query: URLSearchParams) => {
        const paymentId = query.get('pm');
        const event = query.get('ev');
        const sig = query.get('sig');
        if (!paymentId || !event || !sig) return null;
        if (event !== 'paid' && event !== 'timeout' && event !== 'notify') return null;
        return this.#signer.verify(name, paymentId, event, sig) ? { paymentId, event } : null;
      },
      returnUrl: (paymentId: string) => `${base}/return/${paymentId}`,
      getPayment: (paymentId: string) => this.#store.get(paymentId),
      now: () => this.#now(),
    };
  }

  /** The configured provider of that name; throws `unknown_provider`. */
  providerFor(name: string): PaymentProvider {
    return this.#provider(name).provider;
  }

  #provider(name: string): { provider: PaymentProvider; ctx: ProviderContext } {
    const provider = this.#providers.get(name);
    const ctx = this.#contexts.get(name);
    if (!provider || !ctx) {
      throw new PaymentsError('unknown_provider', `No payment provider named "${name}" is configured.`, {
        details: { provider: name },
      });
    }
    return { provider, ctx };
  }

  #chooseProvider(requested: string | undefined): string {
    if (requested !== undefined && requested !== '') {
      this.#provider(requested);
      return requested;
    }
    if (this.#options.defaultProvider) return this.#options.defaultProvider;
    if (this.#providers.size === 1) return [...this.#providers.keys()][0]!;
    throw new PaymentsError(
      'invalid_request',
      `Choose a payment provider with ?provider= (one of: ${this.providerNames.join(', ')}).`,
    );
  }

  #normalizeOrder(orderId: string, order: unknown): NormalizedOrder {
    try {
      if (typeof order !== 'object' || order === null)
        throw new PaymentsError('invalid_amount', 'not an object');
      const o = order as OrderDetails;
      const currency = normalizeCurrency(o.currency);
      let amount: string;
      if (o.amount !== undefined) {
        amount = formatAmount(o.amount, currency);
      } else if (o.amountMinor !== undefined) {
        amount = fromMinorUnits(o.amountMinor, currency);
      } else {
        throw new PaymentsError('invalid_amount', 'neither amount nor amountMinor was given');
      }
      return { amount, currency, details: { ...o, amount, currency } };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#logger.error({ orderId, reason }, 'paymount: loadOrder returned an order that cannot be paid');
      throw new PaymentsError(
        'order_invalid',
        `loadOrder("${orderId}") returned an invalid order: ${reason}`,
        {
          cause: error,
        },
      );
    }
  }

  /**
   * Creates or reuses the payment for an order and returns where to send the buyer.
   * The amount always comes from `loadOrder`; an order already paid is never charged again.
   */
  async checkout(input: CheckoutInput): Promise<CheckoutOutcome> {
    const { orderId } = input;
    if (!isOrderId(orderId)) {
      throw new PaymentsError(
        'invalid_order_id',
        'Order ids are 1–64 characters of letters, digits and . _ : - [ ] |, starting with a letter or digit.',
      );
    }
    const name = this.#chooseProvider(input.provider);
    const { provider, ctx } = this.#provider(name);
    const existing = await this.#store.findByOrder(orderId);
    const paid = existing.find((p) => p.status === 'paid');
    if (paid) return this.#alreadyPaid(paid);

    let loaded: OrderDetails | null;
    try {
      loaded = await this.#options.loadOrder(orderId, {
        provider: name,
        ...(input.request ? { request: input.request } : {}),
      });
    } catch (error) {
      if (isPaymentsError(error)) throw error;
      this.#logger.error({ orderId, err: error }, 'paymount: loadOrder threw');
      throw new PaymentsError('internal_error', 'loadOrder failed.', { cause: error });
    }
    if (loaded === null || loaded === undefined) {
      throw new PaymentsError('order_not_found', `There is no order "${orderId}" to pay.`);
    }
    const order = this.#normalizeOrder(orderId, loaded);
    if (provider.validateOrder) await provider.validateOrder(order.details, ctx);

    let live = existing.find((p) => p.provider === name && isLive(p)) ?? null;
    if (live && (live.amount !== order.amount || live.currency !== order.currency)) {
      // The order changed since that pay page was made: it asks the wrong amount, so it must not be reused.
      await this.applyEvent(live.id, { status: 'failed', providerStatus: 'superseded' });
      live = null;
    }
    const reuseWindow = this.#options.checkout?.reuseWindowMs ?? 15 * 60_000;
    if (live?.status === 'pending' && this.#now().getTime() - Date.parse(live.createdAt) > reuseWindow) {
      live = await this.refresh(live.id).catch(() => live);
      if (live?.status === 'paid') return this.#alreadyPaid(live);
      if (live && !isLive(live)) live = null;
    }
    if (live?.status === 'pending' && live.payUrl) return this.#reusedCheckout(live);

    const now = this.#now();
    const candidate: Payment = {
      id: newPaymentId(),
      orderId,
      provider: name,
      amount: order.amount,
      currency: order.currency,
      status: 'created',
      providerRef: null,
      payUrl: null,
      providerStatus: null,
      paidAmount: null,
      paidCurrency: null,
      anomaly: null,
      description: order.details.description ?? null,
      metadata: this.#orderMetadata(order.details),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      paidAt: null,
      version: 1,
    };
    const firstCheckAt = now.getTime() + (this.#options.reconcile?.firstCheckAfterMs ?? 60_000);
    const { payment, created } = await this.#store.createOrReuse(candidate, firstCheckAt);
    if (payment.status === 'pending' && payment.payUrl) return this.#reusedCheckout(payment);
    if (payment.amount !== order.amount || payment.currency !== order.currency) {
      throw new PaymentsError('conflict', 'The order changed while it was being checked out; try again.');
    }
    const result = await this.#createAtProvider(payment, order.details, provider, ctx);
    const stored = await this.#markPending(payment, result);
    if (stored.status === 'paid') return this.#alreadyPaid(stored);
    const payUrl = normalizePayUrl(stored.payUrl ?? result.payUrl, name);
    if (this.#logsInfo)
      this.#logger.info(
        { paymentId: stored.id, orderId, provider: name, amount: stored.amount, currency: stored.currency },
        created ? 'paymount: payment created' : 'paymount: payment resumed',
      );
    return { payment: stored, payUrl, redirectUrl: payUrl, alreadyPaid: false, reused: !created };
  }

  #orderMetadata(order: OrderDetails): Record<string, string> {
    const metadata: Record<string, string> = {};
    if (order.email) metadata['email'] = order.email;
    if (order.lang) metadata['lang'] = order.lang;
    if (order.method) metadata['method'] = order.method;
    for (const [key, value] of Object.entries(order.metadata ?? {})) {
      if (typeof value === 'string') metadata[key] = value;
    }
    return metadata;
  }

  /**
   * A live payment's pay page, handed out again. The stored URL is checked once more: one
   * stored before pay URLs were normalised must give a clear `provider_error`, never a
   * `Location` header that throws.
   */
  #reusedCheckout(payment: Payment): CheckoutOutcome {
    const payUrl = normalizePayUrl(payment.payUrl, payment.provider);
    return { payment, payUrl, redirectUrl: payUrl, alreadyPaid: false, reused: true };
  }

  #alreadyPaid(payment: Payment): CheckoutOutcome {
    return {
      payment,
      payUrl: null,
      redirectUrl: this.returnUrlFor(payment),
      alreadyPaid: true,
      reused: true,
    };
  }

  async #createAtProvider(
    payment: Payment,
    order: OrderDetails,
    provider: PaymentProvider,
    ctx: ProviderContext,
  ): Promise<CheckoutResult> {
    // Two clicks in one process share one provider call, so the provider sees one invoice.
    const inflight = this.#inflightCheckouts.get(payment.id);
    if (inflight) return inflight;
    const call = (async () => {
      try {
        const result = await provider.createCheckout({ payment, order }, ctx);
        // Normalised here, before it is stored: it becomes a `Location` header for every later visit.
        return { ...result, payUrl: normalizePayUrl(result.payUrl, ctx.name) };
      } catch (error) {
        this.#logger.warn(
          { paymentId: payment.id, provider: ctx.name, err: error },
          'paymount: provider refused or failed the checkout; the payment stays created and a retry resumes it',
        );
        if (isPaymentsError(error)) throw error;
        throw new PaymentsError('provider_error', `${ctx.name} failed to create the payment.`, {
          cause: error,
        });
      } finally {
        this.#inflightCheckouts.delete(payment.id);
      }
    })();
    this.#inflightCheckouts.set(payment.id, call);
    return call;
  }

  async #markPending(payment: Payment, result: CheckoutResult): Promise<Payment> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const current = (await this.#store.get(payment.id)) ?? payment;
      if (current.status !== 'created') return current;
      const next: Payment = {
        ...current,
        status: 'pending',
        payUrl: result.payUrl,
        providerRef: result.providerRef ?? current.providerRef,
        updatedAt: this.#now().toISOString(),
        version: current.version + 1,
      };
      const jobs = this.#jobsFor(current, next);
      if (await this.#store.transition({ payment: next, expectedVersion: current.version, jobs })) {
        if (jobs.length > 0) this.#kickHooks();
        return next;
      }
    }
    throw new PaymentsError('conflict', 'The payment kept changing while it was being created; try again.');
  }

  #jobsFor(from: Payment, to: Payment): HookJob[] {
    const now = this.#now().getTime();
    return hooksFor(to.status, this.#hookNames).map((hook) => ({
      id: `${to.id}:${to.status}:${hook}`,
      paymentId: to.id,
      hook,
      from: from.status,
      to: to.status,
      payment: to,
      state: 'pending' as const,
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      createdAt: now,
    }));
  }

  /** One payment by id, or null. */
  async get(paymentId: string): Promise<Payment | null> {
    return this.#store.get(paymentId);
  }

  /** Every payment of an order, oldest first. */
  async findByOrder(orderId: string): Promise<Payment[]> {
    return this.#store.findByOrder(orderId);
  }

  /**
   * What an event that moves no status still teaches: a provider reference learned
   * now (some providers name their order only in callbacks, and later checks need
   * it), or a new provider status for the same standing (AAIO's `hold` released to
   * `success`). Null when there is nothing to note. A late event of another standing
   * (a timeout after payment) is not noted: it would misdescribe the payment.
   */
  #noteWithoutTransition(payment: Payment, event: ProviderEvent): Payment | null {
    const newRef = event.providerRef && !payment.providerRef ? event.providerRef : null;
    const sameStanding =
      (event.status === 'paid' && payment.status === 'paid') ||
      (event.status === 'pending' && isLive(payment));
    const newStatus =
      sameStanding && event.providerStatus && event.providerStatus !== payment.providerStatus
        ? event.providerStatus
        : null;
    if (newRef === null && newStatus === null) return null;
    return {
      ...payment,
      providerRef: newRef ?? payment.providerRef,
      providerStatus: newStatus ?? payment.providerStatus,
      updatedAt: this.#now().toISOString(),
      version: payment.version + 1,
    };
  }

  /**
   * Moves a payment by a provider event, atomically and forward only. A duplicate,
   * late or out-of-order event changes nothing. Exported for providers' tests and
   * for shops that learn of payments another way; it trusts the event. `known` is a
   * copy of the payment the caller just read, used for the first attempt.
   */
  async applyEvent(paymentId: string, event: ProviderEvent, known?: Payment): Promise<ApplyResult> {
    for (let attempt = 0; attempt < 16; attempt++) {
      // A payment read moments ago is fine for the first try: the store's compare-and-set
      // on its version refuses the write if it changed meanwhile, and the loop reads again.
      const fromCaller = attempt === 0 && known?.id === paymentId;
      const payment = fromCaller ? known : await this.#store.get(paymentId);
      if (!payment) throw new PaymentsError('payment_not_found', `There is no payment "${paymentId}".`);
      let orderPaidElsewhere = false;
      if (event.status === 'paid') {
        const siblings = await this.#store.findByOrder(payment.orderId);
        orderPaidElsewhere = siblings.some((p) => p.id !== payment.id && p.status === 'paid');
      }
      const decision = decideTransition(payment, event, {
        overpayment: this.#options.overpayment ?? 'anomaly',
        orderPaidElsewhere,
      });
      // "Nothing to do" is only trusted from the store itself: on a copy the caller read, a
      // refund could look like a no-op against an older status.
      if (!decision && fromCaller) continue;
      if (!decision) {
        const noted = this.#noteWithoutTransition(payment, event);
        if (!noted) return { payment, changed: false };
        if (await this.#store.transition({ payment: noted, expectedVersion: payment.version, jobs: [] })) {
          return { payment: noted, changed: false };
        }
        continue;
      }
      const now = this.#now().toISOString();
      const next: Payment = {
        ...payment,
        status: decision.to,
        anomaly: decision.anomaly ?? (decision.to === 'paid' ? null : payment.anomaly),
        providerRef: event.providerRef ?? payment.providerRef,
        providerStatus: event.providerStatus ?? payment.providerStatus,
        paidAmount: event.amount ?? payment.paidAmount,
        paidCurrency: event.currency ? event.currency.toUpperCase() : payment.paidCurrency,
        paidAt: decision.to === 'paid' ? now : payment.paidAt,
        updatedAt: now,
        version: payment.version + 1,
      };
      const jobs = this.#jobsFor(payment, next);
      if (await this.#store.transition({ payment: next, expectedVersion: payment.version, jobs })) {
        if (this.#logsInfo)
          this.#logger.info(
            {
              paymentId,
              orderId: payment.orderId,
              provider: payment.provider,
              from: payment.status,
              to: next.status,
              anomaly: next.anomaly,
              providerStatus: next.providerStatus,
            },
            `paymount: payment ${next.status}`,
          );
        if (jobs.length > 0) this.#kickHooks();
        return { payment: next, changed: true };
      }
      // Someone else moved the payment first: read it again and decide again.
      if (attempt > 3) await sleep(Math.random() * 5 * attempt);
    }
    throw new PaymentsError('conflict', 'The payment kept changing concurrently; the provider will retry.');
  }

  /**
   * Handles a provider callback that arrived over HTTP: the provider verifies it,
   * the engine applies it. Throws `PaymentsError` for a refused callback.
   */
  async handleCallback(
    providerName: string,
    input: CallbackInput,
  ): Promise<ApplyResult & { duplicate: boolean }> {
    const { provider, ctx } = this.#provider(providerName);
    const verified = await provider.verifyCallback(input, ctx);
    const dedupeKey = verified.dedupeKey ? `${providerName}:${verified.dedupeKey}` : undefined;
    const payment =
      verified.payment?.id === verified.paymentId
        ? verified.payment
        : await this.#store.get(verified.paymentId);
    if (!payment || payment.provider !== providerName) {
      throw new PaymentsError('payment_not_found', 'The callback names no payment of this shop.');
    }
    // Checked before confirming: a repeat of a callback that already settled the payment
    // needs no provider call (rate limits, AAIO's manual resends, retried webhooks).
    if (dedupeKey && (await this.#store.hasEvent(dedupeKey))) {
      return { payment, changed: false, duplicate: true };
    }
    const event = verified.confirm ? await verified.confirm() : verified.event;
    const result = await this.applyEvent(payment.id, event, payment);
    // Only a settled payment is final for its callback: an expiry or an anomaly may still be
    // resolved by the same callback later (Aurpay resends it when the merchant resolves).
    if (dedupeKey && (result.payment.status === 'paid' || result.payment.status === 'refunded')) {
      await this.#store.rememberEvent(dedupeKey, payment.id);
    }
    return { ...result, duplicate: false };
  }

  /** Asks the payment's provider where it stands and applies the answer. */
  async refresh(paymentId: string): Promise<Payment> {
    const payment = await this.#store.get(paymentId);
    if (!payment) throw new PaymentsError('payment_not_found', `There is no payment "${paymentId}".`);
    const { provider, ctx } = this.#provider(payment.provider);
    const event = await provider.fetchStatus(payment, ctx);
    if (!event) return payment;
    return (await this.applyEvent(paymentId, event)).payment;
  }

  /**
   * Re-asks providers about payments left pending (lost notifications), a batch at
   * a time. Safe with several instances: the store leases each payment to one.
   */
  async reconcile(options: { limit?: number } = {}): Promise<ReconcileReport> {
    const limit = options.limit ?? this.#options.reconcile?.batchSize ?? 50;
    const now = this.#now().getTime();
    const due = await this.#store.claimDueChecks({ now, limit, leaseMs: 120_000, owner: this.#instanceId });
    let changed = 0;
    let errors = 0;
    const first = this.#options.reconcile?.firstCheckAfterMs ?? 60_000;
    const cap = this.#options.reconcile?.maxBackoffMs ?? 3_600_000;
    for (const payment of due) {
      let current: Payment = payment;
      try {
        current = await this.refresh(payment.id);
        if (current.status !== payment.status) changed++;
      } catch (error) {
        errors++;
        this.#logger.warn(
          { paymentId: payment.id, err: error },
          'paymount: reconcile could not check a payment',
        );
      }
      // Older payments are asked less often: the pause grows with age, within [first, cap].
      const age = now - Date.parse(payment.createdAt);
      const pause = Math.min(cap, Math.max(first, Math.floor(age / 2)));
      await this.#store.scheduleCheck(payment.id, isLive(current) ? now + pause : null, this.#instanceId);
    }
    return { checked: due.length, changed, errors };
  }

  /** The shop page a buyer returning from the pay page should land on, for the payment's state. */
  returnUrlFor(payment: Payment): string {
    const urls = this.#options.returnUrls;
    const override = urls.byProvider?.[payment.provider] ?? {};
    const key =
      payment.status === 'paid'
        ? 'success'
        : payment.status === 'anomaly'
          ? 'anomaly'
          : isLive(payment)
            ? 'pending'
            : 'failure';
    const template =
      (key === 'anomaly'
        ? (override.anomaly ?? urls.anomaly ?? override.pending ?? urls.pending)
        : undefined) ??
      override[key] ??
      urls[key as 'success' | 'pending' | 'failure'];
    const filled = template
      .replaceAll('{orderId}', encodeURIComponent(payment.orderId))
      .replaceAll('{paymentId}', encodeURIComponent(payment.id));
    return new URL(filled, this.#options.publicUrl).toString();
  }

  /** Resolves a buyer's return: one more look at the provider if still pending, then the shop page. */
  async resolveReturn(paymentId: string): Promise<{ payment: Payment; redirectUrl: string }> {
    let payment = await this.#store.get(paymentId);
    if (!payment) throw new PaymentsError('payment_not_found', `There is no payment "${paymentId}".`);
    payment = await this.#refreshIfDue(payment, RETURN_CHECK_INTERVAL_MS);
    return { payment, redirectUrl: this.returnUrlFor(payment) };
  }

  /**
   * The payment for the status route: a live one is checked with the provider at most
   * once per `statusCheckIntervalMs`, so a waiting page turns paid even when the
   * provider's notification was lost, without letting polling hammer the provider.
   */
  async statusOf(paymentId: string): Promise<Payment | null> {
    const payment = await this.#store.get(paymentId);
    if (!payment) return null;
    const interval = this.#options.statusCheckIntervalMs ?? 10_000;
    return interval > 0 ? this.#refreshIfDue(payment, interval) : payment;
  }

  async #refreshIfDue(payment: Payment, intervalMs: number): Promise<Payment> {
    if (!isLive(payment)) return payment;
    const now = this.#now().getTime();
    const last = this.#lastChecked.get(payment.id);
    if (last !== undefined && now - last < intervalMs) return payment;
    if (this.#lastChecked.size >= 10_000) this.#lastChecked.clear();
    this.#lastChecked.set(payment.id, now);
    try {
      return await this.refresh(payment.id);
    } catch (error) {
      this.#logger.warn(
        { paymentId: payment.id, err: error },
        'paymount: could not check the payment with its provider',
      );
      return payment;
    }
  }

  /** Looks up a provider's own return redirect (AAIO's Success/Fail URL) for a payment id. */
  paymentIdFromReturn(query: URLSearchParams): string | null {
    for (const provider of this.#providers.values()) {
      const id = provider.paymentIdFromReturn?.(query);
      if (id) return id;
    }
    return null;
  }

  /**
   * Runs due hook jobs once: each job's hook is called with its idempotency key;
   * success completes it, failure schedules a retry with back-off, and the last
   * allowed failure dead-letters it.
   */
  async deliverHooks(): Promise<DeliveryReport> {
    const settings = this.#options.hookDelivery ?? {};
    const maxAttempts = settings.maxAttempts ?? 10;
    const base = settings.baseDelayMs ?? 1_000;
    const maxDelay = settings.maxDelayMs ?? 15 * 60_000;
    const timeoutMs = settings.timeoutMs ?? 30_000;
    let delivered = 0;
    let retried = 0;
    let dead = 0;
    for (;;) {
      const now = this.#now().getTime();
      const jobs = await this.#store.claimHookJobs({
        now,
        limit: 50,
        leaseMs: timeoutMs + 60_000,
        owner: this.#instanceId,
      });
      if (jobs.length === 0) break;
      for (const job of jobs) {
        const error = await this.#runHook(job, timeoutMs);
        if (error === null) {
          await this.#store.completeHookJob(job.id, this.#instanceId);
          delivered++;
          continue;
        }
        const attempts = job.attempts + 1;
        const message = error instanceof Error ? error.message : String(error);
        if (attempts >= maxAttempts) {
          await this.#store.failHookJob(job.id, this.#instanceId, message, null);
          dead++;
          this.#logger.error(
            { jobId: job.id, paymentId: job.paymentId, hook: job.hook, attempts, err: error },
            'paymount: hook failed for the last time and is dead-lettered; replay it with payments.replayHook()',
          );
        } else {
          const delay = Math.min(maxDelay, base * 2 ** (attempts - 1)) * (0.8 + Math.random() * 0.4);
          await this.#store.failHookJob(job.id, this.#instanceId, message, now + Math.round(delay));
          retried++;
          this.#logger.warn(
            { jobId: job.id, paymentId: job.paymentId, hook: job.hook, attempts, err: error },
            'paymount: hook failed; it will be retried',
          );
        }
      }
    }
    return { delivered, retried, dead };
  }

  async #runHook(job: HookJob, timeoutMs: number): Promise<unknown | null> {
    const hook = this.#options.hooks?.[job.hook];
    if (!hook) return null;
    let result: unknown;
    try {
      result = hook(job.payment, {
        idempotencyKey: job.id,
        attempt: job.attempts + 1,
        from: job.from,
        to: job.to,
      });
    } catch (error) {
      return error ?? new Error('hook threw a falsy value');
    }
    // A hook that finished synchronously needs no timeout timer.
    if (typeof (result as { then?: unknown } | null)?.then !== 'function') return null;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        result,
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`hook ${job.hook} did not finish in ${timeoutMs} ms`)),
            timeoutMs,
          );
          timer.unref();
        }),
      ]);
      return null;
    } catch (error) {
      return error ?? new Error('hook threw a falsy value');
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** Hook jobs, for dashboards and support: pending, done or dead-lettered. */
  async listHookJobs(filter?: { state?: HookJob['state']; paymentId?: string }): Promise<HookJob[]> {
    return this.#store.listHookJobs(filter);
  }

  /** Puts a dead-lettered hook job back in line; false when there is no such dead job. */
  async replayHook(jobId: string): Promise<boolean> {
    const replayed = await this.#store.replayHookJob(jobId, this.#now().getTime());
    if (replayed) this.#kickHooks();
    return replayed;
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#running.add(promise);
    void promise.finally(() => this.#running.delete(promise)).catch(() => {});
    return promise;
  }

  #kickHooks(): void {
    if (this.#closed || (this.#options.hookDelivery?.pollIntervalMs ?? 1_000) === 0) return;
    if (this.#delivering) {
      this.#deliverAgain = true;
      return;
    }
    const run = async (): Promise<DeliveryReport> => {
      try {
        return await this.deliverHooks();
      } catch (error) {
        this.#logger.error({ err: error }, 'paymount: hook delivery round failed');
        return { delivered: 0, retried: 0, dead: 0 };
      } finally {
        this.#delivering = undefined;
        if (this.#deliverAgain && !this.#closed) {
          this.#deliverAgain = false;
          this.#kickHooks();
        }
      }
    };
    this.#delivering = this.#track(run());
  }

  #startWorkers(): void {
    const poll = this.#options.hookDelivery?.pollIntervalMs ?? 1_000;
    if (poll > 0) {
      this.#hookTimer = setInterval(() => this.#kickHooks(), poll);
      this.#hookTimer.unref();
      // Jobs left by a previous process (a crash between transition and hook) run at start.
      queueMicrotask(() => this.#kickHooks());
    }
    const interval = this.#options.reconcile?.intervalMs ?? 0;
    if (interval > 0) {
      let busy = false;
      this.#reconcileTimer = setInterval(() => {
        if (busy || this.#closed) return;
        busy = true;
        void this.#track(
          this.reconcile()
            .catch((error: unknown) => this.#logger.error({ err: error }, 'paymount: reconcile round failed'))
            .finally(() => {
              busy = false;
            }),
        );
      }, interval);
      this.#reconcileTimer.unref();
    }
  }

  /** Matches a path below the mount point to a paymount route, cheaply; undefined when it is not ours. */
  match(method: string, path: string): MatchedRoute | undefined {
    return matchRoute(method, path);
  }

  /**
   * Answers an HTTP request addressed to paymount, or returns undefined when the
   * path is not one of paymount's (the adapter then calls the shop's next handler).
   */
  async handle(request: PaymentsRequest): Promise<PaymentsResponse | undefined> {
    return this.#router.handle(request);
  }

  /** Stops background workers, waits for running work, and closes providers. The store stays open: it is the shop's. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#hookTimer) clearInterval(this.#hookTimer);
    if (this.#reconcileTimer) clearInterval(this.#reconcileTimer);
    await Promise.allSettled([...this.#running]);
    await Promise.allSettled([...this.#providers.values()].map((p) => p.close?.()));
  }
}

/**
 * Creates the payments engine. Validates every option at once and throws a
 * `PaymentsConfigError` listing each problem.
 */
export function createPayments(options: PaymentsOptions): Payments {
  return new Payments(options);
}
