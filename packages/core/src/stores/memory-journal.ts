import type { JournalEntry, JournalPage, JournalQuery } from '../contracts/journal.js';

interface Row {
  readonly seq: number;
  readonly entry: JournalEntry;
  /** The same payment's row before this one; null for its oldest kept row. */
  older: Row | null;
  /** The same payment's row after this one; null for its newest. */
  newer: Row | null;
}

/** The memory store's journal: entries in insertion order, with a per-payment index for histories. */
export interface MemoryJournal {
  append(entries: readonly JournalEntry[]): void;
  list(query: JournalQuery & { readonly limit: number }): JournalPage;
  prune(before: string): number;
}

/**
 * How far back among its payment's newest rows an entry's id is looked for. An entry is
 * only ever appended again right after it was (a retried write), so a payment hammered
 * by thousands of repeated callbacks does not make each append walk its whole history.
 */
const REPEAT_LOOKBACK = 32;

function matches(entry: JournalEntry, query: JournalQuery): boolean {
  if (query.provider !== undefined && entry.provider !== query.provider) return false;
  if (query.type !== undefined && entry.type !== query.type) return false;
  if (query.since !== undefined && entry.at < query.since) return false;
  if (query.until !== undefined && entry.at >= query.until) return false;
  return true;
}

/**
 * A fresh, empty {@link MemoryJournal} keeping the newest `capacity` entries. Each
 * payment's rows are linked newest to oldest from one map entry, so appending a payment's
 * entry and dropping the oldest row each touch one map entry at most, and a history is a
 * walk along the links. An entry appended again (same id) is kept once.
 */
export function memoryJournal(capacity: number): MemoryJournal {
  // Every kept row, oldest first, from `start` on: dropped rows are skipped by the offset
  // and cut off in batches, not shifted one by one.
  let rows: Row[] = [];
  let start = 0;
  let seq = 0;
  const newestOf = new Map<string, Row>();
  // Entries of no payment have no links to search for a repeat.
  const unattachedIds = new Set<string>();

  // `newest` is the payment's newest row, read once by the caller for both steps.
  const isRepeat = (entry: JournalEntry, newest: Row | null): boolean => {
    if (entry.paymentId === null) return unattachedIds.has(entry.id);
    let row = newest;
    for (let looked = 0; row !== null && looked < REPEAT_LOOKBACK; looked++, row = row.older) {
      if (row.entry.id === entry.id) return true;
    }
    return false;
  };
  const link = (entry: JournalEntry, rowSeq: number, older: Row | null): void => {
    const row: Row = { seq: rowSeq, entry, older, newer: null };
    if (older) older.newer = row;
    rows.push(row);
    if (entry.paymentId === null) unattachedIds.add(entry.id);
    else newestOf.set(entry.paymentId, row);
  };
  const newestRow = (paymentId: string | null): Row | null =>
    paymentId === null ? null : (newestOf.get(paymentId) ?? null);
  const dropOldest = (): void => {
    const oldest = rows[start];
    if (!oldest) return;
    start++;
    if (start >= capacity) {
      rows = rows.slice(start);
      start = 0;
    }
    const { paymentId } = oldest.entry;
    if (paymentId === null) unattachedIds.delete(oldest.entry.id);
    else if (oldest.newer) oldest.newer.older = null;
    else newestOf.delete(paymentId);
  };
  const historyOf = (paymentId: string): Row[] => {
    const history: Row[] = [];
    for (let row = newestOf.get(paymentId) ?? null; row !== null; row = row.older) history.push(row);
    return history.reverse();
  };

  return {
    append(entries) {
      for (const entry of entries) {
        const newest = newestRow(entry.paymentId);
        if (isRepeat(entry, newest)) continue;
        link(entry, ++seq, newest);
        if (rows.length - start > capacity) dropOldest();
      }
    },
    list(query) {
      const source = query.paymentId === undefined ? rows.slice(start) : historyOf(query.paymentId);
      const after = query.cursor === undefined ? undefined : Number(query.cursor);
      const desc = query.order !== 'asc';
      const ordered = desc ? source.reverse() : source;
      const page: Row[] = [];
      for (const row of ordered) {
        if (after !== undefined && (desc ? row.seq >= after : row.seq <= after)) continue;
        if (!matches(row.entry, query)) continue;
        page.push(row);
        if (page.length > query.limit) break;
      }
      const more = page.length > query.limit;
      const kept = more ? page.slice(0, query.limit) : page;
      return { entries: kept.map((r) => r.entry), nextCursor: more ? String(kept.at(-1)!.seq) : null };
    },
    prune(before) {
      const all = rows.slice(start);
      const kept = all.filter((row) => row.entry.at >= before);
      const removed = all.length - kept.length;
      if (removed === 0) return 0;
      // A daily chore at most: the links are made again from the rows kept, numbers unchanged.
      rows = [];
      start = 0;
      newestOf.clear();
      unattachedIds.clear();
      for (const row of kept) link(row.entry, row.seq, newestRow(row.entry.paymentId));
      return removed;
    },
  };
}
