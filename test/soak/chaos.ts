// The soak's faults, at random moments: PostgreSQL restarted (a managed database's
// `-m fast`, or `-m immediate`, a crash), and one shop instance, `b`, SIGKILLed and started
// again a moment later on the same port, as an orchestrator would. Instance `a` is never
// killed, so its heap is followed over the whole run.

import { sleep } from '../faults/support/http.js';
import type { ShopConfig } from '../faults/support/shop-config.js';
import { type ShopProcess, startShop } from '../faults/support/shop-process.js';
import type { PgCluster } from '../support/pg-cluster.js';

/** The instance the soak kills; the other one lives through the whole run. */
export const KILLED_INSTANCE = 'b';

/** How often each instance prints its heap after a GC. */
export const HEAP_EVERY_MS = 5_000;

export type ChaosKind = 'postgres restart -m fast' | 'postgres restart -m immediate' | 'SIGKILL instance';

export interface ChaosEvent {
  /** When, in ms after the load started. */
  readonly at: number;
  readonly kind: ChaosKind;
}

/** Random moments between 10 % and 85 % of the run, at least 5 s apart; at least one of each kind. */
export function chaosPlan(durationMs: number, random: () => number): ChaosEvent[] {
  const perKind = Math.max(1, Math.round((durationMs / 60_000) * 1.5));
  const kinds: ChaosKind[] = [];
  for (let i = 0; i < perKind; i++) {
    kinds.push(
      random() < 0.7 ? 'postgres restart -m fast' : 'postgres restart -m immediate',
      'SIGKILL instance',
    );
  }
  const from = durationMs * 0.1;
  const span = durationMs * 0.75;
  const slot = span / kinds.length;
  // One event per slot, at a random place in it: random, yet spread over the whole run.
  const shuffled = kinds.map((kind) => ({ kind, key: random() })).sort((a, b) => a.key - b.key);
  return shuffled.map(({ kind }, i) => ({
    kind,
    at: Math.round(from + i * slot + random() * Math.max(0, slot - 5_000)),
  }));
}

/** The two instances, each restartable under its name. */
export class Instances {
  readonly #configs = new Map<string, ShopConfig>();
  readonly #current = new Map<string, ShopProcess>();
  readonly #all: { name: string; process: ShopProcess; killed: boolean }[] = [];

  async start(config: ShopConfig): Promise<ShopProcess> {
    const shop = await startShop(config);
    // A restarted instance comes back on the port it had, where the balancer sends it requests.
    this.#configs.set(config.instance, { ...config, port: shop.port });
    this.#current.set(config.instance, shop);
    this.#all.push({ name: config.instance, process: shop, killed: false });
    return shop;
  }

  get(name: string): ShopProcess {
    return this.#current.get(name)!;
  }

  get names(): string[] {
    return [...this.#current.keys()];
  }

  async killAndRestart(name: string, downMs: number): Promise<void> {
    const entry = this.#all.find((e) => e.process === this.#current.get(name))!;
    entry.killed = true;
    await entry.process.kill();
    await sleep(downMs);
    await this.start(this.#configs.get(name)!);
  }

  /**
   * Each instance's heap after a GC, over its longest-lived process: the sample after the
   * warm-up (code loading, pools filling) against the last one.
   */
  heap(): { name: string; lives: number; startMb: number; endMb: number; overS: number }[] {
    return this.names.map((name) => {
      const lives = this.#all.filter((e) => e.name === name);
      const samples = lives
        .map((e) =>
          e.process.process.lines.filter((l) => l.startsWith('heap ')).map((l) => Number(l.slice(5))),
        )
        .sort((a, b) => b.length - a.length)[0]!;
      const warm = Math.min(2, Math.max(0, samples.length - 1));
      return {
        name,
        lives: lives.length,
        startMb: (samples[warm] ?? 0) / 2 ** 20,
        endMb: (samples.at(-1) ?? 0) / 2 ** 20,
        overS: Math.max(0, samples.length - 1 - warm) * (HEAP_EVERY_MS / 1_000),
      };
    });
  }

  /** Processes that ended without being killed on purpose: crashes. */
  crashes(): { name: string; stderr: string }[] {
    return this.#all
      .filter((e) => !e.killed && e.process.process.ended)
      .map((e) => ({ name: e.name, stderr: e.process.process.stderr() }));
  }

  async closeAll(): Promise<void> {
    for (const shop of this.#current.values()) {
      const entry = this.#all.find((e) => e.process === shop)!;
      entry.killed = true;
      await shop.close();
    }
  }
}

/** Runs the plan from `startedAt`, one event after another; resolves with what happened. */
export async function runChaos(
  plan: readonly ChaosEvent[],
  startedAt: number,
  cluster: PgCluster,
  instances: Instances,
  random: () => number,
): Promise<{ at: number; what: string; tookMs: number }[]> {
  const log: { at: number; what: string; tookMs: number }[] = [];
  for (const event of plan) {
    await sleep(Math.max(0, startedAt + event.at - Date.now()));
    const began = Date.now();
    let what: string = event.kind;
    if (event.kind === 'SIGKILL instance') {
      what = `SIGKILL instance ${KILLED_INSTANCE}`;
      await instances.killAndRestart(KILLED_INSTANCE, 1_000 + Math.round(random() * 2_000));
    } else {
      await cluster.restart(event.kind === 'postgres restart -m fast' ? 'fast' : 'immediate');
    }
    log.push({ at: began - startedAt, what, tookMs: Date.now() - began });
  }
  return log;
}
