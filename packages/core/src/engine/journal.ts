import { randomBytes } from 'node:crypto';
import { LIMITS } from '../config/defaults.js';
import { setField } from '../contracts/callback-body.js';
import type { CallbackInput } from '../contracts/http.js';
import type {
  JournalEntry,
  JournalPage,
  JournalQuery,
  JournalType,
  ProviderCheckReason,
} from '../contracts/journal.js';
import type { UnsureMatch } from '../contracts/provider.js';
import type { HookJob } from '../contracts/store.js';
import { toPaymentsError } from '../domain/errors.js';
import type { Payment } from '../domain/payment.js';
import type { ProviderEvent } from '../domain/state-machine.js';
import type { EngineContext } from './context.js';

let lastMillis = -1;
let counter = 0;
// The id's time part and the entry's `at` of the millisecond `lastMillis`, made once per millisecond.
let lastPrefix = '';
let lastAt = '';
const processTag = randomBytes(3).toString('hex');

/**
 * A journal id and time: `jr_`, the time in base 36, a counter within the millisecond
 * and a per-process tag. Ids of one process sort in the order they were made; two
 * processes never make the same one.
 */
function newJournalStamp(now: Date): { id: string; at: string } {
  const millis = now.getTime();
  if (millis === lastMillis) counter++;
  else {
    lastMillis = millis;
    counter = 0;
    lastPrefix = `jr_${millis.toString(36).padStart(9, '0')}`;
    lastAt = now.toISOString();
  }
  return { id: `${lastPrefix}${counter.toString(36).padStart(3, '0')}${processTag}`, at: lastAt };
}

/** What a new entry says; id and time are filled in. */
export interface EntryDraft {
  readonly type: JournalType;
  readonly paymentId: string | null;
  readonly provider: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A complete journal entry made now. */
export function journalEntry(engine: EngineContext, draft: EntryDraft, now = engine.now()): JournalEntry {
  const { id, at } = newJournalStamp(now);
  return { id, at, type: draft.type, paymentId: draft.paymentId, provider: draft.provider, data: draft.data };
}

/**
 * Writes entries outside a transition. A failing journal write never fails the request it
 * describes: it is logged and the request goes on.
 */
export function record(engine: EngineContext, ...drafts: EntryDraft[]): Promise<void> {
  return appendEntries(
    engine,
    drafts.map((draft) => journalEntry(engine, draft)),
  );
}

/** Writes finished entries outside a transition; like {@link record}, never throws. */
export async function appendEntries(engine: EngineContext, entries: readonly JournalEntry[]): Promise<void> {
  if (entries.length === 0) return;
  try {
    await engine.store.appendJournal(entries);
  } catch (error) {
    engine.logger.warn(
      { err: error, types: entries.map((e) => e.type) },
      'paymount: a journal entry could not be written; the request it describes went on',
    );
  }
}

/** Field names whose values are credentials or personal data, never kept. */
const WITHHELD = /sign|sig$|signature|secret|token|key|password|hash|mail|phone|card|pan$/i;
const EMAIL = /[^\s@"]+@[^\s@"]+\.[^\s@"]+/g;

// A provider sends the same few field names in every callback: the name pattern runs once
// per name. Bounded, since the names come from whoever posts.
const withheldByName = new Map<string, boolean>();
const WITHHELD_NAMES_CACHED = 1_000;

function isWithheld(name: string): boolean {
  let withheld = withheldByName.get(name);
  if (withheld === undefined) {
    withheld = WITHHELD.test(name);
    if (withheldByName.size < WITHHELD_NAMES_CACHED) withheldByName.set(name, withheld);
  }
  return withheld;
}

/** Walks a value, keeping what the journal may hold; `budget.left` counts characters still allowed. */
function keptValue(engine: EngineContext, value: unknown, depth: number, budget: { left: number }): unknown {
  if (budget.left <= 0) return '[…]';
  if (typeof value === 'string') {
    const redacted = engine.redact(value);
    // The e-mail pattern backtracks over every character of a text without an `@`: test first.
    const text = redacted.includes('@') ? redacted.replace(EMAIL, '[e-mail]') : redacted;
    const cut =
      text.length > LIMITS.journalFieldMaxChars ? `${text.slice(0, LIMITS.journalFieldMaxChars)}…` : text;
    budget.left -= cut.length + 3;
    return cut;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    budget.left -= 8;
    return value;
  }
  if (depth > 3 || typeof value !== 'object') return '[…]';
  if (Array.isArray(value))
    return value.slice(0, 20).map((item) => keptValue(engine, item, depth + 1, budget));
  const copy: Record<string, unknown> = {};
  const fields = value as Readonly<Record<string, unknown>>;
  for (const name in fields) {
    if (!Object.hasOwn(fields, name)) continue;
    if (budget.left <= 0) {
      copy['…'] = 'truncated';
      break;
    }
    budget.left -= name.length + 4;
    setField(
      copy,
      name,
      isWithheld(name) ? '[withheld]' : keptValue(engine, fields[name], depth + 1, budget),
    );
  }
  return copy;
}

/**
 * What the journal keeps of the fields a provider sent: values scrubbed of every
 * configured secret and of e-mail addresses, credentials and personal fields withheld by
 * name, strings cut, and the whole kept within `journalFieldsMaxBytes` characters.
 */
export function keptFields(engine: EngineContext, fields: unknown): unknown {
  return keptValue(engine, fields, 0, { left: LIMITS.journalFieldsMaxBytes });
}

/** A page of the journal, with the limit bounded. */
export function readJournal(engine: EngineContext, query: JournalQuery): Promise<JournalPage> {
  const limit = Math.min(
    LIMITS.journalPageMax,
    Math.max(1, Math.floor(query.limit ?? LIMITS.journalPageDefault)),
  );
  return engine.store.listJournal({ ...query, limit });
}

/** Every entry of one payment, oldest first. */
export async function paymentHistory(engine: EngineContext, paymentId: string): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await readJournal(engine, {
      paymentId,
      order: 'asc',
      limit: LIMITS.journalPageMax,
      ...(cursor ? { cursor } : {}),
    });
    entries.push(...page.entries);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return entries;
}

/** Deletes entries older than `journal.retainDays`; resolves to how many. */
export function pruneJournal(engine: EngineContext): Promise<number> {
  const before = new Date(engine.now().getTime() - engine.options.journal.retainDays * 86_400_000);
  return engine.store.pruneJournal(before.toISOString());
}

/** The `status.changed` entry of a transition, written in the transition's own store step. */
export function statusChanged(
  engine: EngineContext,
  from: { readonly status: string },
  to: Payment,
  now = engine.now(),
): JournalEntry {
  return journalEntry(
    engine,
    {
      type: 'status.changed',
      paymentId: to.id,
      provider: to.provider,
      data: {
        from: from.status,
        to: to.status,
        anomaly: to.anomaly,
        providerStatus: to.providerStatus,
        paidAmount: to.paidAmount,
        paidCurrency: to.paidCurrency,
      },
    },
    now,
  );
}

/**
 * The `provider.checked` entry: why paymount asked, and what the provider answered (null: it
 * could not say); `unsure`, the candidates a lost-payment search could not tell apart.
 */
export function providerChecked(
  payment: Payment,
  why: ProviderCheckReason,
  event: ProviderEvent | null,
  unsure?: UnsureMatch,
): EntryDraft {
  return {
    type: 'provider.checked',
    paymentId: payment.id,
    provider: payment.provider,
    data: {
      why,
      answer: event
        ? {
            status: event.status,
            providerStatus: event.providerStatus ?? null,
            amount: event.amount ?? null,
            currency: event.currency ?? null,
          }
        : null,
      ...(unsure
        ? { unsure: { providerRefs: [...unsure.providerRefs], otherPaymentIds: [...unsure.otherPaymentIds] } }
        : {}),
    },
  };
}

/** What a callback carried, as the journal keeps it: query and body fields, scrubbed. */
function callbackFields(engine: EngineContext, input: CallbackInput): unknown {
  return keptFields(engine, { query: Object.fromEntries(input.query), body: input.body.value });
}

/** The `callback.accepted` entry: it passed the provider's checks (a repeat is `duplicate: true`). */
export function callbackAccepted(
  engine: EngineContext,
  payment: Payment,
  input: CallbackInput,
  claimed: ProviderEvent,
  duplicate: boolean,
): EntryDraft {
  return {
    type: 'callback.accepted',
    paymentId: payment.id,
    provider: payment.provider,
    data: {
      event: claimed.status,
      providerStatus: claimed.providerStatus ?? null,
      duplicate,
      ip: input.ip ?? null,
      fields: callbackFields(engine, input),
    },
  };
}

/**
 * The `callback.refused` entry. It names the payment the callback claims to be about when
 * the provider can say which and that payment exists (so it shows in the payment's
 * history); otherwise its payment id is null.
 */
export async function callbackRefused(
  engine: EngineContext,
  providerName: string,
  input: CallbackInput,
  error: unknown,
): Promise<EntryDraft> {
  const refusal = toPaymentsError(error);
  const claimed = engine.providers.get(providerName)?.provider.paymentIdOf?.(input) ?? null;
  const payment = claimed === null ? null : await engine.store.get(claimed).catch(() => null);
  const known = payment !== null && payment.provider === providerName;
  return {
    type: 'callback.refused',
    paymentId: known ? payment.id : null,
    provider: engine.providers.has(providerName) ? providerName : null,
    data: {
      code: refusal.code,
      reason: engine.redact(refusal.message),
      ip: input.ip ?? null,
      fields: callbackFields(engine, input),
    },
  };
}

/** A checkout entry (`checkout.created`, `checkout.reused`, `checkout.failed`) of a payment. */
export function checkoutEntry(
  type: 'checkout.created' | 'checkout.reused' | 'checkout.failed',
  payment: Payment,
  extra: Readonly<Record<string, unknown>>,
): EntryDraft {
  return {
    type,
    paymentId: payment.id,
    provider: payment.provider,
    data: { orderId: payment.orderId, amount: payment.amount, currency: payment.currency, ...extra },
  };
}

/** An error as the journal keeps it: its stable code and its message scrubbed of secrets. */
export function refusalOf(engine: EngineContext, error: unknown): { code: string; message: string } {
  const known = toPaymentsError(error);
  return { code: known.code, message: engine.redact(known.message) };
}

/** A hook entry (`hook.delivered`, `hook.failed`, `hook.dead`) of a hook job. */
export function hookEntry(
  type: 'hook.delivered' | 'hook.failed' | 'hook.dead',
  job: HookJob,
  extra: Readonly<Record<string, unknown>>,
): EntryDraft {
  return {
    type,
    paymentId: job.paymentId,
    provider: job.payment.provider,
    data: { jobId: job.id, hook: job.hook, from: job.from, to: job.to, ...extra },
  };
}
