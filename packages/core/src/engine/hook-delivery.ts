import { LIMITS } from '../config/defaults.js';
import type { DeliveryReport } from '../contracts/actions.js';
import type { HookJob } from '../contracts/store.js';
import type { EngineContext } from './context.js';
import { type EntryDraft, hookEntry, record } from './journal.js';
import { refundOfJob } from './refund-records.js';

type Outcome = 'delivered' | 'retried' | 'dead';

/** Runs a job's hook; resolves to null on success, or the error (a timeout counts as one). */
async function runHook(engine: EngineContext, job: HookJob): Promise<unknown | null> {
  const hook = engine.options.hooks[job.hook];
  if (!hook) return null;
  const { timeoutMs } = engine.options.hookDelivery;
  let result: unknown;
  try {
    // onRefunded is told which refund succeeded (read from the store: it is final by then).
    const refund = job.hook === 'onRefunded' ? { refund: await refundOfJob(engine, job) } : {};
    result = hook(job.payment, {
      idempotencyKey: job.id,
      attempt: job.attempts + 1,
      from: job.from,
      to: job.to,
      ...refund,
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

/** Back-off before the next attempt: doubling from `baseDelayMs`, capped, with jitter. */
function retryDelay(engine: EngineContext, attempts: number): number {
  const { baseDelayMs, maxDelayMs } = engine.options.hookDelivery;
  const jitter = 1 - LIMITS.hookRetryJitter + Math.random() * 2 * LIMITS.hookRetryJitter;
  return Math.round(Math.min(maxDelayMs, baseDelayMs * 2 ** (attempts - 1)) * jitter);
}

async function deliverJob(
  engine: EngineContext,
  job: HookJob,
  now: number,
  /** The round's `hook.delivered` entries, appended as one when the round ends. */
  delivered: EntryDraft[],
): Promise<Outcome> {
  const { store, instanceId: owner, logger } = engine;
  const started = Date.now();
  const error = await runHook(engine, job);
  const attempts = job.attempts + 1;
  if (error === null) {
    // Committed before the next hook starts: a crash then repeats at most the one hook that
    // was running, never the ones before it. Only the journal entries wait for the batch.
    // A failing completion (the store is down) ends the round: the job stays leased and is
    // delivered again once its lease runs out.
    await store.completeHookJob(job.id, owner);
    delivered.push(hookEntry('hook.delivered', job, { attempt: attempts, durationMs: Date.now() - started }));
    return 'delivered';
  }
  const message = error instanceof Error ? error.message : String(error);
  await record(engine, hookEntry('hook.failed', job, { attempt: attempts, error: engine.redact(message) }));
  const fields = { jobId: job.id, paymentId: job.paymentId, hook: job.hook, attempts, err: error };
  if (attempts >= engine.options.hookDelivery.maxAttempts) {
    await store.failHookJob(job.id, owner, message, null);
    await record(engine, hookEntry('hook.dead', job, { attempts }));
    const hint = `fix the ${job.hook} hook where the error points, then payments.replayHook("${job.id}")`;
    logger.error(
      { ...fields, hint },
      'paymount: hook failed for the last time and is dead-lettered; replay it with payments.replayHook()',
    );
    return 'dead';
  }
  await store.failHookJob(job.id, owner, message, now + retryDelay(engine, attempts));
  const hint = `fix the ${job.hook} hook where the error points; it is retried with back-off, up to hookDelivery.maxAttempts`;
  logger.warn({ ...fields, hint }, 'paymount: hook failed; it will be retried');
  return 'retried';
}

/**
 * Runs due hook jobs until none is due: each job's hook is called with its idempotency
 * key; success completes it, failure schedules a retry with back-off, and the last
 * allowed failure dead-letters it.
 */
export async function deliverHooks(engine: EngineContext): Promise<DeliveryReport> {
  const counts: Record<Outcome, number> = { delivered: 0, retried: 0, dead: 0 };
  const leaseMs = engine.options.hookDelivery.timeoutMs + LIMITS.hookLeaseMarginMs;
  for (;;) {
    const now = engine.now().getTime();
    const jobs = await engine.store.claimHookJobs({
      now,
      limit: LIMITS.hookClaimBatch,
      leaseMs,
      owner: engine.instanceId,
    });
    if (jobs.length === 0) break;
    const delivered: EntryDraft[] = [];
    let retried = false;
    try {
      for (const job of jobs) {
        const outcome = await engine.telemetry.hookRun(job.hook, job.attempts + 1, () =>
          deliverJob(engine, job, now, delivered),
        );
        counts[outcome]++;
        retried ||= outcome === 'retried';
      }
    } finally {
      // Also when a completion failed and ends the round: the rest of its jobs stay leased
      // and are delivered once the lease runs out, as after a crash.
      await record(engine, ...delivered);
    }
    // A batch that was not full took every job that was due, and none it ran is due again
    // (a retry may be due at once): no need to ask again.
    if (jobs.length < LIMITS.hookClaimBatch && !retried) break;
  }
  return counts;
}

/** Puts a dead-lettered hook job back in line; false when there is no such dead job. */
export async function replayHook(engine: EngineContext, jobId: string): Promise<boolean> {
  const replayed = await engine.store.replayHookJob(jobId, engine.now().getTime());
  if (!replayed) return false;
  // A job id is `{paymentId}:{status}:{hook}`: status and hook hold no colon.
  const parts = jobId.split(':');
  const hook = parts.pop() ?? '';
  parts.pop();
  const paymentId = parts.join(':');
  const payment = await engine.store.get(paymentId).catch(() => null);
  await record(engine, {
    type: 'hook.replayed',
    paymentId,
    provider: payment?.provider ?? null,
    data: { jobId, hook },
  });
  engine.kickHooks();
  return true;
}
