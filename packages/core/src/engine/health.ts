import { DEFAULTS } from '../config/defaults.js';
import type { HookJobCounts } from '../contracts/store.js';
import { toPaymentsError } from '../domain/errors.js';
import type { EngineContext } from './context.js';

/** What `payments.health()` reports, for a readiness probe and a dashboard. */
export interface HealthReport {
  /** False when the store did not answer in time: this instance cannot take payments now. */
  readonly ok: boolean;
  readonly checkedAt: string;
  readonly store: {
    readonly reachable: boolean;
    /** How long the store took to answer, or the timeout when it did not. */
    readonly latencyMs: number;
    /** The error code when it is unreachable (`store_unavailable`, `store_timeout`, …). */
    readonly error: string | null;
  };
  /** Hook jobs, or null when the store could not be asked. */
  readonly hooks: {
    readonly pending: number;
    readonly dead: number;
    /** Age of the oldest pending job in ms, or null when none is pending. */
    readonly oldestPendingAgeMs: number | null;
  } | null;
  /** Per configured provider: when a call to its API last succeeded in this process. */
  readonly providers: Readonly<
    Record<string, { readonly lastSuccessAt: string | null; readonly sinceLastSuccessMs: number | null }>
  >;
}

/** The store's counts, or a timeout: a probe must answer even when the database hangs. */
export async function countWithin(engine: EngineContext, timeoutMs: number): Promise<HookJobCounts> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('timeout'), { code: 'store_timeout' })),
      timeoutMs,
    );
    timer.unref();
  });
  try {
    return await Promise.race([engine.store.countHookJobs(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Readiness: whether the store answers (within `timeoutMs`), the hook backlog and its
 * oldest age, the dead hooks, and how long ago each provider's API last answered well.
 * Only an unreachable store makes `ok` false; the rest is for alerts and dashboards.
 */
export async function health(
  engine: EngineContext,
  options: { timeoutMs?: number } = {},
): Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULTS.healthTimeoutMs;
  const started = performance.now();
  const now = engine.now().getTime();
  let counts: HookJobCounts | null = null;
  let error: string | null = null;
  try {
    counts = await countWithin(engine, timeoutMs);
  } catch (failure) {
    const code = (failure as { code?: unknown }).code;
    error = code === 'store_timeout' ? code : toPaymentsError(failure).code;
  }
  const latencyMs = Math.round(performance.now() - started);
  const providers: Record<string, { lastSuccessAt: string | null; sinceLastSuccessMs: number | null }> = {};
  for (const name of engine.providers.keys()) {
    // Wall-clock time, as the telemetry notes it.
    const last = engine.telemetry.lastProviderSuccess(name);
    providers[name] = {
      lastSuccessAt: last === null ? null : new Date(last).toISOString(),
      sinceLastSuccessMs: last === null ? null : Math.max(0, Date.now() - last),
    };
  }
  return {
    ok: counts !== null,
    checkedAt: new Date(now).toISOString(),
    store: { reachable: counts !== null, latencyMs, error },
    hooks: counts && {
      pending: counts.pending,
      dead: counts.dead,
      oldestPendingAgeMs: counts.oldestPendingAt === null ? null : Math.max(0, now - counts.oldestPendingAt),
    },
    providers,
  };
}
