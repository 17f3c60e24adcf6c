import type { Database } from 'better-sqlite3';

/** What one queued write came to inside its batch. */
type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

interface Queued {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Runs the store's writes; see {@link groupCommit}. */
export interface WriteQueue {
  /** Queues `work` (synchronous statements) and resolves to its result once it is committed. */
  run<T>(work: () => T): Promise<T>;
  /** Commits every write queued so far, now (before the connection closes). */
  flush(): void;
}

/**
 * Group commit: every write asked for during one turn of the event loop runs in one
 * IMMEDIATE transaction, so concurrent callbacks share one commit (one sync of the WAL to
 * disk) instead of paying one each. Each write runs in a savepoint of its own: a write
 * that throws (a provider reference taken, a constraint) is rolled back alone and rejects
 * alone, the others still commit. No promise resolves before the commit that holds its
 * write is done, so nothing is acknowledged that is not durable; a failing commit (the
 * file locked by another process past the busy timeout, a full disk) rejects every write
 * of the batch, and none of them is stored.
 */
export function groupCommit(db: Database, toError: (error: unknown) => Error): WriteQueue {
  let queue: Queued[] = [];
  let scheduled = false;

  const savepoint = db.transaction((work: () => unknown) => work());
  const commit = db.transaction((batch: readonly Queued[]): Outcome[] => {
    // Alone in its batch, a write needs no savepoint: its failure rolls the transaction back.
    if (batch.length === 1) return [{ ok: true, value: batch[0]!.work() }];
    return batch.map((item): Outcome => {
      try {
        return { ok: true, value: savepoint(item.work) };
      } catch (error) {
        // Some errors (I/O, a full disk) make SQLite roll the whole transaction back:
        // then nothing of the batch is kept, and every write of it must fail.
        if (!db.inTransaction) throw error;
        return { ok: false, error };
      }
    });
  });

  const flush = (): void => {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = commit.immediate(batch);
    } catch (error) {
      for (const item of batch) item.reject(toError(error));
      return;
    }
    outcomes.forEach((outcome, i) => {
      const item = batch[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(toError(outcome.error));
    });
  };

  return {
    run<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!scheduled) {
          scheduled = true;
          // After the I/O callbacks of this turn: every request that arrived in it joins the batch.
          setImmediate(flush);
        }
      });
    },
    flush,
  };
}
