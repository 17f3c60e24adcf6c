import type { DeliveryReport } from '../contracts/actions.js';
import type { EngineContext } from './context.js';
import { deliverHooks } from './hook-delivery.js';
import { reconcile } from './reconcile.js';

const NOTHING_DELIVERED: DeliveryReport = { delivered: 0, retried: 0, dead: 0 };

/**
 * The engine's background work: the hook worker (woken after each transition and on a
 * poll) and the optional reconciler timer. Each runs one round at a time; `close()`
 * stops the timers and waits for the rounds in flight.
 */
export class Workers {
  readonly #engine: EngineContext;
  readonly #running = new Set<Promise<unknown>>();
  #hookTimer: NodeJS.Timeout | undefined;
  #reconcileTimer: NodeJS.Timeout | undefined;
  #delivering: Promise<DeliveryReport> | undefined;
  #deliverAgain = false;
  #reconciling = false;
  #closed = false;

  constructor(engine: EngineContext) {
    this.#engine = engine;
    engine.kickHooks = () => this.kickHooks();
  }

  /** Starts the timers the options ask for. */
  start(): void {
    const { pollIntervalMs } = this.#engine.options.hookDelivery;
    if (pollIntervalMs > 0) {
      this.#hookTimer = setInterval(() => this.kickHooks(), pollIntervalMs);
      this.#hookTimer.unref();
      // Jobs left by a previous process (a crash between transition and hook) run at start.
      queueMicrotask(() => this.kickHooks());
    }
    const { intervalMs } = this.#engine.options.reconcile;
    if (intervalMs > 0) {
      this.#reconcileTimer = setInterval(() => this.#reconcileRound(), intervalMs);
      this.#reconcileTimer.unref();
    }
  }

  /** Starts a delivery round now, or right after the one running (so no job waits for the poll). */
  kickHooks(): void {
    if (this.#closed || this.#engine.options.hookDelivery.pollIntervalMs === 0) return;
    if (this.#delivering) {
      this.#deliverAgain = true;
      return;
    }
    this.#delivering = this.#track(this.#deliveryRound());
  }

  async #deliveryRound(): Promise<DeliveryReport> {
    try {
      return await deliverHooks(this.#engine);
    } catch (error) {
      this.#engine.logger.error({ err: error }, 'paymount: hook delivery round failed');
      return NOTHING_DELIVERED;
    } finally {
      this.#delivering = undefined;
      if (this.#deliverAgain && !this.#closed) {
        this.#deliverAgain = false;
        this.kickHooks();
      }
    }
  }

  #reconcileRound(): void {
    if (this.#reconciling || this.#closed) return;
    this.#reconciling = true;
    void this.#track(
      reconcile(this.#engine)
        .catch((error: unknown) =>
          this.#engine.logger.error({ err: error }, 'paymount: reconcile round failed'),
        )
        .finally(() => {
          this.#reconciling = false;
        }),
    );
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#running.add(promise);
    void promise.finally(() => this.#running.delete(promise)).catch(() => {});
    return promise;
  }

  /** Stops the timers and waits for running rounds. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#hookTimer) clearInterval(this.#hookTimer);
    if (this.#reconcileTimer) clearInterval(this.#reconcileTimer);
    await Promise.allSettled([...this.#running]);
  }
}
