import type { JournalEntry, JournalType, PaymentStore } from '@paymount/core/store';
import { expect, it } from 'vitest';
import { samplePayment } from './store-samples.js';

let made = 0;

/** A journal entry for store tests; ids sort in the order they are made. */
export function sampleJournalEntry(overrides: Partial<JournalEntry> = {}): JournalEntry {
  made++;
  return {
    id: `jr_test${Date.now().toString(36)}${String(made).padStart(6, '0')}`,
    paymentId: null,
    provider: 'test',
    at: new Date().toISOString(),
    type: 'callback.refused' as JournalType,
    data: { code: 'callback_unauthorized', n: made },
    ...overrides,
  };
}

/**
 * The journal part of the store suite: append-only entries, read back in order and
 * newest first, filtered, paged by cursor, pruned by age, and written atomically with
 * the transition they describe. Registered by `storeConformance`, inside its describe.
 */
export function journalConformance(current: () => PaymentStore): void {
  it('journal: appends entries and reads them back in order, a payment at a time', async () => {
    const store = current();
    const a = samplePayment();
    const entries = [
      sampleJournalEntry({ paymentId: a.id, type: 'checkout.created', data: { amount: '10.00' } }),
      sampleJournalEntry({ paymentId: null }),
      sampleJournalEntry({ paymentId: a.id, type: 'callback.accepted', data: { nested: { ok: true } } }),
    ];
    await store.appendJournal(entries);
    await store.appendJournal([entries[0]!]);
    const history = await store.listJournal({ paymentId: a.id, order: 'asc', limit: 10 });
    expect(history.entries).toEqual([entries[0], entries[2]]);
    expect(history.nextCursor).toBeNull();
    const newest = await store.listJournal({ limit: 10 });
    expect(newest.entries.map((e) => e.id)).toEqual([entries[2]!.id, entries[1]!.id, entries[0]!.id]);
  });

  it('journal: filters by provider, type and time, and pages by cursor without gaps or repeats', async () => {
    const store = current();
    const t0 = Date.now() - 10_000;
    const entries = Array.from({ length: 7 }, (_, i) =>
      sampleJournalEntry({
        at: new Date(t0 + i * 1000).toISOString(),
        provider: i % 2 === 0 ? 'even' : 'odd',
        type: i === 3 ? 'hook.dead' : 'callback.refused',
      }),
    );
    await store.appendJournal(entries);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listJournal({ order: 'asc', limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(entries.map((e) => e.id));
    const even = await store.listJournal({ provider: 'even', limit: 10, order: 'asc' });
    expect(even.entries.map((e) => e.id)).toEqual([0, 2, 4, 6].map((i) => entries[i]!.id));
    const dead = await store.listJournal({ type: 'hook.dead', limit: 10 });
    expect(dead.entries.map((e) => e.id)).toEqual([entries[3]!.id]);
    const window = await store.listJournal({
      since: entries[2]!.at,
      until: entries[5]!.at,
      order: 'asc',
      limit: 10,
    });
    expect(window.entries.map((e) => e.id)).toEqual([2, 3, 4].map((i) => entries[i]!.id));
  });

  it('journal: prunes entries older than a time and keeps the rest', async () => {
    const store = current();
    const old = sampleJournalEntry({ at: new Date(Date.now() - 100 * 86_400_000).toISOString() });
    const recent = sampleJournalEntry();
    await store.appendJournal([old, recent]);
    expect(await store.pruneJournal(new Date(Date.now() - 90 * 86_400_000).toISOString())).toBe(1);
    expect((await store.listJournal({ limit: 10 })).entries.map((e) => e.id)).toEqual([recent.id]);
  });

  it('journal: writes a transition’s entries with it, and none for a transition that lost the race', async () => {
    const store = current();
    const p = samplePayment();
    await store.createOrReuse(p, 0);
    const won = sampleJournalEntry({
      paymentId: p.id,
      type: 'status.changed',
      data: { from: 'created', to: 'pending' },
    });
    const lost = sampleJournalEntry({
      paymentId: p.id,
      type: 'status.changed',
      data: { from: 'created', to: 'failed' },
    });
    const next = { ...p, status: 'pending' as const, version: 2 };
    expect(await store.transition({ payment: next, expectedVersion: 1, jobs: [], journal: [won] })).toBe(
      true,
    );
    const stale = { ...p, status: 'failed' as const, version: 2 };
    expect(await store.transition({ payment: stale, expectedVersion: 1, jobs: [], journal: [lost] })).toBe(
      false,
    );
    const history = await store.listJournal({ paymentId: p.id, order: 'asc', limit: 10 });
    expect(history.entries).toEqual([won]);
  });
}
