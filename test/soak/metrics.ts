// What the soak measured: every request with its route, status, error code and latency,
// and the tables printed at the end.

/** One answer as the soak counts it: `route` names what was asked, `outcome` the status and code. */
export interface Sample {
  readonly route: string;
  readonly status: number;
  readonly code: string | null;
  readonly ms: number;
}

export class Recorder {
  readonly #latencies = new Map<string, number[]>();
  readonly #outcomes = new Map<string, Map<string, number>>();
  #total = 0;

  record(sample: Sample): void {
    this.#total++;
    const latencies = this.#latencies.get(sample.route) ?? [];
    latencies.push(sample.ms);
    this.#latencies.set(sample.route, latencies);
    const outcome = sample.status >= 200 && sample.status < 400 ? String(sample.status) : outcomeOf(sample);
    const outcomes = this.#outcomes.get(sample.route) ?? new Map<string, number>();
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    this.#outcomes.set(sample.route, outcomes);
  }

  get total(): number {
    return this.#total;
  }

  /** Per route: requests, share answered 2xx/3xx, p50 and p99 latency. */
  routes(): { route: string; requests: number; okShare: number; p50: number; p99: number }[] {
    return [...this.#latencies.keys()].sort().map((route) => {
      const latencies = [...this.#latencies.get(route)!].sort((a, b) => a - b);
      const outcomes = this.#outcomes.get(route)!;
      const ok = [...outcomes].filter(([key]) => /^[23]\d\d$/.test(key)).reduce((sum, [, n]) => sum + n, 0);
      return {
        route,
        requests: latencies.length,
        okShare: ok / latencies.length,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
      };
    });
  }

  /** Every non-2xx/3xx outcome (`status code`), with its count over all routes and the routes it hit. */
  errors(): { outcome: string; count: number; share: number; routes: string[] }[] {
    const byOutcome = new Map<string, { count: number; routes: Set<string> }>();
    for (const [route, outcomes] of this.#outcomes) {
      for (const [outcome, count] of outcomes) {
        if (/^[23]\d\d$/.test(outcome)) continue;
        const entry = byOutcome.get(outcome) ?? { count: 0, routes: new Set<string>() };
        entry.count += count;
        entry.routes.add(route);
        byOutcome.set(outcome, entry);
      }
    }
    return [...byOutcome]
      .map(([outcome, { count, routes }]) => ({
        outcome,
        count,
        share: count / this.#total,
        routes: [...routes].sort(),
      }))
      .sort((a, b) => b.count - a.count);
  }
}

function outcomeOf(sample: Sample): string {
  if (sample.status === 0) return 'no answer';
  return sample.code ? `${sample.status} ${sample.code}` : String(sample.status);
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/** A Markdown table: the soak's output is pasted into the README as it is. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const right = header.map((_, i) => rows.every((row) => typeof row[i] === 'number'));
  const line = (cells: readonly (string | number)[]): string => `| ${cells.map(String).join(' | ')} |`;
  const rule = `|${right.map((r) => (r ? '---:' : '---')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** A seeded random source, so a soak run can be repeated with `--seed`. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
