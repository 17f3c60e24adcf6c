import type { JournalEntry, JournalPage, JournalQuery } from '../contracts/journal.js';

interface Row {
  readonly seq: number;
  readonly entry: JournalEntry;
}

/** The memory store's journal: entries in insertion order, with a per-payment index for histories. */
export interface MemoryJournal {
  append(entries: readonly JournalEntry[]): void;
  list(query: JournalQuery & { readonly limit: number }): JournalPage;
  prune(before: string): number;
}

function matches(entry: JournalEntry, query: JournalQuery): boolean {
  if (query.provider !== undefined && entry.provider !== query.provider) return false;
  if (query.type !== undefined && entry.type !== query.type) return false;
  if (query.since !== undefined && entry.at < query.since) return false;
  if (query.until !== undefined && entry.at >= query.until) return false;
  return true;
}

/** A fresh, empty {@link MemoryJournal} keeping the newest `capacity` entries. */
export function memoryJournal(capacity: number): MemoryJournal {
  let rows: Row[] = [];
  const ids = new Set<string>();
  const byPayment = new Map<string, Row[]>();
  let seq = 0;
  // A memory store lives as long as its process: its journal keeps the newest entries only.
  // Dropped rows are skipped by an offset and cut off in batches, not shifted one by one.
  let start = 0;
  const dropOldest = (): void => {
    const oldest = rows[start++];
    if (start >= capacity) {
      rows = rows.slice(start);
      start = 0;
    }
    if (!oldest) return;
    ids.delete(oldest.entry.id);
    if (oldest.entry.paymentId === null) return;
    const list = byPayment.get(oldest.entry.paymentId);
    list?.shift();
    if (list?.length === 0) byPayment.delete(oldest.entry.paymentId);
  };
  return {
    append(entries) {
      for (const entry of entries) {
        if (ids.has(entry.id)) continue;
        ids.add(entry.id);
        const row = { seq: ++seq, entry };
        rows.push(row);
        if (entry.paymentId !== null) {
          const list = byPayment.get(entry.paymentId);
          if (list) list.push(row);
          else byPayment.set(entry.paymentId, [row]);
        }
        if (rows.length - start > capacity) dropOldest();
      }
    },
    list(query) {
      const source =
        query.paymentId === undefined ? rows.slice(start) : (byPayment.get(query.paymentId) ?? []);
      const after = query.cursor === undefined ? undefined : Number(query.cursor);
      const desc = query.order !== 'asc';
      const ordered = desc ? [...source].reverse() : source;
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
      rows = rows.slice(start);
      start = 0;
      const kept = rows.filter((row) => row.entry.at >= before);
      const removed = rows.length - kept.length;
      if (removed === 0) return 0;
      for (const row of rows) if (row.entry.at < before) ids.delete(row.entry.id);
      rows = kept;
      for (const [paymentId, list] of byPayment) {
        const left = list.filter((row) => row.entry.at >= before);
        if (left.length === 0) byPayment.delete(paymentId);
        else byPayment.set(paymentId, left);
      }
      return removed;
    },
  };
}
