import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../src/contracts/journal.js';
import { memoryJournal } from '../src/stores/memory-journal.js';

let made = 0;
function entry(paymentId: string | null, at = '2026-12-02T00:00:00.000Z'): JournalEntry {
  made++;
  return {
    id: `jr_${String(made).padStart(9, '0')}`,
    at,
    type: 'status.changed',
    paymentId,
    provider: 'p',
    data: { n: made },
  };
}
const ids = (entries: readonly JournalEntry[]): string[] => entries.map((e) => e.id);

describe('the memory journal', () => {
  it("keeps the newest entries only, and each kept payment's history whole and in order", () => {
    const journal = memoryJournal(6);
    const written: JournalEntry[] = [];
    for (let i = 0; i < 20; i++) {
      const next = entry(i % 5 === 4 ? null : `pm_${i % 3}`);
      written.push(next);
      journal.append([next]);
    }
    const kept = written.slice(-6);
    expect(ids(journal.list({ limit: 50, order: 'asc' }).entries)).toEqual(ids(kept));
    for (const paymentId of ['pm_0', 'pm_1', 'pm_2']) {
      const history = journal.list({ paymentId, limit: 50, order: 'asc' }).entries;
      expect(ids(history)).toEqual(ids(kept.filter((e) => e.paymentId === paymentId)));
    }
    expect(journal.list({ paymentId: 'pm_gone', limit: 50 }).entries).toEqual([]);
  });

  it('keeps an entry appended again once, with or without a payment', () => {
    const journal = memoryJournal(100);
    const first = [entry('pm_a'), entry(null), entry('pm_a')];
    journal.append(first);
    journal.append(first);
    journal.append([first[1]!, entry('pm_a')]);
    expect(journal.list({ limit: 50 }).entries).toHaveLength(4);
    expect(journal.list({ paymentId: 'pm_a', limit: 50 }).entries).toHaveLength(3);
  });

  it('pages a payment history by cursor, before and after a prune', () => {
    const journal = memoryJournal(100);
    const old = Array.from({ length: 3 }, () => entry('pm_p', '2026-01-01T00:00:00.000Z'));
    const fresh = Array.from({ length: 5 }, () => entry('pm_p', '2026-06-01T00:00:00.000Z'));
    journal.append([...old, ...fresh]);
    const firstPage = journal.list({ paymentId: 'pm_p', limit: 4, order: 'asc' });
    expect(ids(firstPage.entries)).toEqual(ids([...old, fresh[0]!]));
    expect(journal.prune('2026-03-01T00:00:00.000Z')).toBe(3);
    // The cursor handed out before the prune still means the same place.
    const rest = journal.list({ paymentId: 'pm_p', limit: 10, order: 'asc', cursor: firstPage.nextCursor! });
    expect(ids(rest.entries)).toEqual(ids(fresh.slice(1)));
    expect(ids(journal.list({ limit: 10, order: 'asc' }).entries)).toEqual(ids(fresh));
    journal.append([entry('pm_p')]);
    expect(journal.list({ paymentId: 'pm_p', limit: 10 }).entries).toHaveLength(6);
  });
});
