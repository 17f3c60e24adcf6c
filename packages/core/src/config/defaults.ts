/**
 * Every default of paymount, named once. The option docs in `options.ts` quote these;
 * `resolveOptions` fills them in, so the engine never writes `?? 1_000` itself.
 */
export const DEFAULTS = {
  overpayment: 'anomaly',
  /** Spans and metrics whenever `@opentelemetry/api` is installed: with no SDK they cost next to nothing. */
  telemetry: true,
  /** A readiness probe gives the store this long to answer before it reports it unreachable. */
  healthTimeoutMs: 2_000,
  /** A browser's checkout error lands on the shop's failure page with `?paymount_error=CODE`. */
  browserErrors: 'redirect',
  /** 64 KiB: provider notifications are a few hundred bytes; anything near this is not one. */
  maxBodyBytes: 65_536,
  hookDelivery: {
    maxAttempts: 10,
    baseDelayMs: 1_000,
    maxDelayMs: 15 * 60_000,
    timeoutMs: 30_000,
    pollIntervalMs: 1_000,
  },
  reconcile: {
    intervalMs: 0,
    firstCheckAfterMs: 60_000,
    maxBackoffMs: 3_600_000,
    batchSize: 50,
    /**
     * 10 min: an expired or anomalous payment is asked about again this long after it
     * became so, then at doubling pauses, `rechecks` times in all: 10 checks reach ~3.5
     * days, long enough for a late payment or a merchant's resolution in the dashboard.
     */
    recheckAfterMs: 10 * 60_000,
    rechecks: 10,
  },
  statusCheckIntervalMs: 10_000,
  refunds: {
    /** 1 min: an unfinished refund is asked about again once it has not changed for this long. */
    checkIntervalMs: 60_000,
    /** Unfinished refunds asked about per reconcile round: bounded, so a round stays short. */
    batchSize: 20,
  },
  journal: {
    retainDays: 90,
  },
  memoryStore: {
    /** The memory store lives as long as its process: it keeps the newest journal entries only. */
    journalEntries: 10_000,
  },
  checkout: {
    reuseWindowMs: 15 * 60_000,
    /** 1 h: a payment whose provider checkout never succeeded is expired by the reconciler after this. */
    createdExpiryMs: 3_600_000,
  },
} as const;

/**
 * Internal limits that are not options: named so that each one is explained once.
 */
export const LIMITS = {
  /** Largest provider answer read: their JSON is a few KiB; anything this big is not an answer. */
  providerAnswerMaxBytes: 1_048_576,
  /** Journal entries per page when a query names no limit, and the most a page may hold. */
  journalPageDefault: 50,
  journalPageMax: 500,
  /** Payments per page of `payments.list()` when a query names no limit, and the most a page may hold. */
  paymentPageDefault: 50,
  paymentPageMax: 500,
  /** What a journal entry keeps of a callback's fields, as JSON: enough to read, bounded per entry. */
  journalFieldsMaxBytes: 4_096,
  /** A single callback field value kept in the journal is cut to this many characters. */
  journalFieldMaxChars: 256,
  /** An operator's note in the journal (resolving an anomaly) is at most this long. */
  operatorNoteMaxChars: 2_000,
  /** A buyer reloading the return page asks the provider at most this often per payment. */
  returnCheckIntervalMs: 2_000,
  /** Buyer-check timestamps kept per process before the table is cleared (bounded memory). */
  buyerCheckEntries: 10_000,
  /** Compare-and-set retries of one event before the caller is told to try again. */
  transitionAttempts: 16,
  /** After this many lost races, back off a little between attempts. */
  transitionAttemptsBeforeBackoff: 3,
  /** Retries of the created → pending write after a checkout. */
  markPendingAttempts: 8,
  /** How long an instance owns a claimed reconcile check before another may take it. */
  reconcileLeaseMs: 120_000,
  /** Payments claimed per store round trip by `reconcile({ all: true })`, which loops until none is left. */
  reconcileAllBatch: 200,
  /**
   * At most this many payments without a provider reference are looked for by one
   * provider's lost-payment search; with more, the search is skipped (and logged), since
   * an order could then fit a payment it was not shown.
   */
  lostPaymentSearchLimit: 1_000,
  /**
   * How many of a payment's newest provider checks are read to see whether a lost-payment
   * search already noted the same unsure match: enough to see past the status checks of
   * the rounds between, few enough to be one small read.
   */
  unsureNoteLookback: 20,
  /** Hook jobs claimed per store round trip. */
  hookClaimBatch: 50,
  /** A hook job's lease outlasts its timeout by this much, so a slow hook is not run twice. */
  hookLeaseMarginMs: 60_000,
  /** The jitter applied to hook retry delays, as a fraction either way. */
  hookRetryJitter: 0.2,
} as const;
