// The bench's results: the table printed and written to bench/results/latest.md, and
// bench/results/latest.json with every measured figure, its target and whether it was met.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export interface PairResult {
  readonly name: string;
  readonly target: number | null;
  readonly baseline: { label: string; rps: number; p99: number };
  readonly subject: { label: string; rps: number; p99: number };
  /** The median of the rounds' ratios (each round measures both sides back to back). */
  readonly ratio: number;
  readonly roundRatios: readonly number[];
  /** The same, by the server's own CPU per request: the baseline's over paymount's, median of the rounds. */
  readonly cpuRatio: number;
  readonly cpuRoundRatios: readonly number[];
  readonly cpuUsPerRequest: { readonly baseline: number; readonly subject: number };
  readonly met: boolean | null;
  readonly failures: number;
}

/** The lowest and highest of the rounds' ratios, for the table. */
function spread(r: PairResult): string {
  if (r.roundRatios.length < 2) return '—';
  return `${Math.min(...r.roundRatios).toFixed(2)}–${Math.max(...r.roundRatios).toFixed(2)}`;
}

export interface MemoryResult {
  readonly payments: number;
  readonly bytesPerPayment: number;
  readonly fixedSet: number;
  readonly callbacks: number;
  readonly growthBytes: number;
  readonly flat: boolean;
}

export interface StoresResult {
  readonly transitions: number;
  readonly stores: Record<string, { sequential: number; concurrent: number }>;
  /** The databases alone, measured in the same run (bench/floors.ts): what a store can reach here. */
  readonly floors: Record<string, { bare: number; schema: number }>;
}

/** The engine alone per paying callback, in-process (bench/engine-cpu.ts). */
export interface EngineResult {
  readonly callbacks: number;
  readonly usPerCallback: number;
  readonly usPerCheckout: number;
}

/**
 * A memory-store callback pair or the checkout pair in time per request: each server is
 * pinned to one core and kept busy, so 1 s / req/s is about the CPU one request costs it. `allowedUs` is what the
 * target leaves paymount on top of the bare route; `engineUs` what the engine alone costs.
 */
export interface CallbackBudget {
  readonly name: string;
  readonly bareUs: number;
  readonly paymountUs: number;
  readonly allowedUs: number;
  readonly engineUs: number;
}

function budgets(results: readonly PairResult[], engine: EngineResult | null): CallbackBudget[] {
  if (!engine) return [];
  const us = (rps: number): number => Math.round(1e6 / rps);
  const engineUs = (name: string): number | null => {
    if (name.startsWith('checkout ')) return engine.usPerCheckout;
    return name.startsWith('callback ') && name.endsWith('(memory)') ? engine.usPerCallback : null;
  };
  return results.flatMap((r) => {
    const own = engineUs(r.name);
    if (own === null || r.target === null) return [];
    const bareUs = us(r.baseline.rps);
    const allowedUs = Math.round(bareUs * (1 / r.target - 1));
    return [{ name: r.name, bareUs, paymountUs: us(r.subject.rps), allowedUs, engineUs: own }];
  });
}

/** A Markdown table: the header, a rule (the first column left-aligned, the rest right), the rows. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const rule = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
}

/** A figure that is not a ratio of two servers, with its target. */
export interface TargetResult {
  readonly name: string;
  readonly value: number;
  readonly target: string;
  readonly met: boolean;
  /** What the database alone reaches in the same run, for a store's figure. */
  readonly floor?: { bare: number; schema: number };
}

export interface RunShape {
  readonly rounds: number;
  readonly seconds: number;
  readonly connections: number;
  readonly pinned: boolean;
  readonly quick: boolean;
  /** How long the measuring took, servers' set-up included (not the build before it). */
  readonly elapsedSeconds: number;
}

const floorOf = (stores: StoresResult, name: string): { floor?: { bare: number; schema: number } } => {
  const floor = stores.floors[name];
  return floor ? { floor } : {};
};

/** The targets of issue 19 that are not pairs: memory per payment, heap growth, store transitions per second. */
function otherTargets(memory: MemoryResult | null, stores: StoresResult | null): TargetResult[] {
  const targets: TargetResult[] = [];
  if (memory) {
    targets.push({
      name: 'bytes per payment (memory store)',
      value: memory.bytesPerPayment,
      target: '≤ 1536',
      met: memory.bytesPerPayment <= 1536,
    });
    targets.push({
      name: `heap growth over ${memory.callbacks} callbacks (bytes)`,
      value: memory.growthBytes,
      target: '< 1048576 (flat)',
      met: memory.flat,
    });
  }
  const sqlite = stores?.stores['sqlite'];
  if (sqlite) {
    const met = sqlite.sequential >= 5000;
    targets.push({
      name: 'store transitions/s, sqlite, sequential',
      value: sqlite.sequential,
      target: '≥ 5000',
      met,
      ...floorOf(stores, 'sqlite'),
    });
  }
  const postgres = stores?.stores['postgres'];
  if (postgres) {
    const met = postgres.concurrent >= 3000;
    targets.push({
      name: 'store transitions/s, postgres, 16 concurrent',
      value: postgres.concurrent,
      target: '≥ 3000',
      met,
      ...floorOf(stores, 'postgres'),
    });
  }
  return targets;
}

function table(
  shape: RunShape,
  results: readonly PairResult[],
  targets: readonly TargetResult[],
  stores: StoresResult | null,
  budget: readonly CallbackBudget[],
  pg: boolean,
): string {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.baseline.rps} | ${r.subject.rps} | **${r.ratio.toFixed(3)}** | ${spread(r)} | ${r.cpuRatio.toFixed(3)} (${r.cpuUsPerRequest.baseline} / ${r.cpuUsPerRequest.subject} µs) | ${r.target === null ? 'reported' : `≥ ${r.target.toFixed(2)} ${r.met ? '✓' : '✗'}`} | ${r.baseline.p99} / ${r.subject.p99} |`,
  );
  const lines = [
    `Machine: ${machine}${shape.pinned ? ' (servers under test pinned to one core, load generator and simulators to the other)' : ''}; ${shape.quick ? 'quick run: ' : ''}${shape.rounds} alternating round(s) of ${shape.seconds} s per side, ${shape.connections} connections, 1 s warm-up excluded; measured in ${shape.elapsedSeconds} s.`,
    '',
    '| pair | baseline req/s | paymount req/s | ratio | rounds | by server CPU per request | target | p99 ms (base / paymount) |',
    '|---|---:|---:|---:|---:|---:|---|---|',
    ...rows,
  ];
  if (targets.length > 0) {
    const header = ['figure', 'value', 'target', "the database alone: bare / paymount's schema"];
    lines.push(
      '',
      ...markdownTable(
        header,
        targets.map((t) => [
          t.name,
          String(t.value),
          `${t.target} ${t.met ? '✓' : '✗'}`,
          t.floor ? `${t.floor.bare} / ${t.floor.schema}` : '',
        ]),
      ),
    );
  }
  if (budget.length > 0) {
    const header = [
      'pair, µs per request',
      'baseline',
      'paymount',
      'paymount − baseline',
      'the target allows',
    ];
    lines.push(
      '',
      ...markdownTable(
        [...header, 'the engine alone, in-process'],
        budget.map((b) =>
          [b.name, b.bareUs, b.paymountUs, b.paymountUs - b.bareUs, b.allowedUs, b.engineUs].map(String),
        ),
      ),
    );
  }
  if (stores) {
    const each = Object.entries(stores.stores)
      .map(([name, s]) => `${name} ${s.sequential} / ${s.concurrent}`)
      .join(' · ');
    lines.push(
      '',
      `Store transitions per second (${stores.transitions} pending → paid with an outbox row each; sequential / 16 concurrent): ${each}${pg ? '' : ' (PostgreSQL not measured: PAYMOUNT_TEST_PG_URL unset)'}.`,
    );
  }
  return lines.join('\n');
}

/** Prints the run's table and writes bench/results/latest.json and latest.md. */
export function report(
  shape: RunShape,
  results: readonly PairResult[],
  memory: MemoryResult | null,
  stores: StoresResult | null,
  engine: EngineResult | null,
  pg: boolean,
): void {
  const targets = otherTargets(memory, stores);
  const budget = budgets(results, engine);
  const text = table(shape, results, targets, stores, budget, pg);
  console.log(`\n${text}\n`);
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const json = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model.trim() ?? null, node: process.version },
    ...shape,
    // Every target in one list: met is true, false, or null for a figure that is only reported.
    targets: [
      ...results.map((r) => ({
        name: r.name,
        value: r.ratio,
        target: r.target === null ? null : `≥ ${r.target}`,
        met: r.met,
      })),
      ...targets,
    ],
    pairs: results,
    memory,
    stores,
    engine,
    budget,
  };
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.md'), `${text}\n`);
  console.log('written: bench/results/latest.json and latest.md');
}
