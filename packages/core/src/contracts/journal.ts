/**
 * The payment journal: an append-only list of what happened to payments, in order —
 * what the provider sent and what paymount decided, kept so that the people running a
 * shop can answer "the buyer says they paid" without reading logs.
 */

/** The stable entry types. Their `data` shapes are documented in the README's journal section. */
export const JOURNAL_TYPES = [
  'checkout.created',
  'checkout.reused',
  'checkout.failed',
  'callback.accepted',
  'callback.refused',
  'provider.checked',
  'status.changed',
  'hook.failed',
  'hook.delivered',
  'hook.dead',
  'hook.replayed',
  'operator.action',
  'refund.requested',
  'refund.succeeded',
  'refund.failed',
] as const;

export type JournalType = (typeof JOURNAL_TYPES)[number];

/** Why paymount asked a provider where a payment stands. */
export type ProviderCheckReason = 'return' | 'status' | 'reconcile' | 'refresh' | 'callback' | 'checkout';

/** One journal entry. `data` is plain JSON, already scrubbed of secrets and capped in size. */
export interface JournalEntry {
  /** Unique, and ordered like the entries of one process: `jr_` then time and a counter. */
  readonly id: string;
  /** Null for what names no payment of this shop (a callback for an unknown payment). */
  readonly paymentId: string | null;
  readonly provider: string | null;
  /** ISO 8601. */
  readonly at: string;
  readonly type: JournalType;
  readonly data: Readonly<Record<string, unknown>>;
}

/** What `payments.journal()` and a store's `listJournal` filter by. All optional. */
export interface JournalQuery {
  readonly paymentId?: string;
  readonly provider?: string;
  readonly type?: JournalType;
  /** ISO 8601, inclusive. */
  readonly since?: string;
  /** ISO 8601, exclusive. */
  readonly until?: string;
  /** At most this many entries (default 50, at most 500). */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
  /** `asc`: oldest first (a payment's history); `desc` (default): newest first, for browsing. */
  readonly order?: 'asc' | 'desc';
}

/** One page of journal entries and where the next one starts (null: no more). */
export interface JournalPage {
  readonly entries: JournalEntry[];
  readonly nextCursor: string | null;
}

/** What an operator did, for `payments.recordOperatorAction()`. */
export interface OperatorAction {
  /** The operator: an id, or a name. */
  readonly who: string;
  /** What was done, e.g. `hook.replay`, `payment.refresh`, `anomaly.accept`. */
  readonly what: string;
  readonly paymentId?: string;
  readonly note?: string;
  /** Where the operator acted (`console`, `cli`, …). */
  readonly source?: string;
}
