// The soak's summary: the tables it prints (Markdown, pasted into the README as they
// are) and the conditions that fail it.
import { table } from './metrics.js';
import type { Verdict } from './verdict.js';

export interface SoakSummary {
  readonly minutes: number;
  readonly seed: number;
  readonly buyers: number;
  readonly requests: number;
  readonly paymentsStarted: number;
  readonly routes: readonly { route: string; requests: number; okShare: number; p50: number; p99: number }[];
  readonly errors: readonly { outcome: string; count: number; share: number; routes: readonly string[] }[];
  readonly faults: readonly { at: number; what: string; tookMs: number }[];
  readonly heap: readonly { name: string; lives: number; startMb: number; endMb: number; overS: number }[];
  readonly verdict: Verdict;
  readonly forgedAccepted: number;
  readonly crashes: readonly { name: string; stderr: string }[];
  readonly owedAtEnd: number;
  readonly drainMs: number;
}

const percent = (share: number): string => `${(share * 100).toFixed(share < 0.001 && share > 0 ? 3 : 1)} %`;
const ms = (value: number): number => Math.round(value);
const mb = (value: number): number => Math.round(value * 10) / 10;

/** Why the soak failed; empty when it passed. */
export function verdictFailures(summary: SoakSummary): string[] {
  const failures: string[] = [];
  const v = summary.verdict;
  if (v.lost.length > 0) failures.push(`${v.lost.length} payments lost: ${v.lost.slice(0, 10).join(', ')}`);
  if (v.hooksTwiceDifferentKeys > 0)
    failures.push(`${v.hooksTwiceDifferentKeys} payments had onPaid run with different keys`);
  if (v.paidWithoutMoney.length > 0)
    failures.push(`${v.paidWithoutMoney.length} payments paid that nobody paid`);
  if (summary.forgedAccepted > 0) failures.push(`${summary.forgedAccepted} forged callbacks accepted`);
  for (const crash of summary.crashes)
    failures.push(`instance ${crash.name} died by itself:\n${crash.stderr}`);
  return failures;
}

export function summaryTables(summary: SoakSummary): string {
  const v = summary.verdict;
  const restarts = summary.faults.filter((f) => f.what.startsWith('postgres'));
  const kills = summary.faults.filter((f) => f.what.startsWith('SIGKILL'));
  const fast = restarts.filter((f) => f.what.endsWith('fast')).length;
  const lines = [
    `Soak: ${summary.minutes} min (seed ${summary.seed}), ${summary.buyers} buyers, two instances behind a balancer on one PostgreSQL.`,
    `${summary.requests} requests, ${summary.paymentsStarted} payments started, ${v.paidAtProviders} paid at the providers.`,
    `Faults: ${restarts.length} PostgreSQL restarts (${fast} \`-m fast\`, ${restarts.length - fast} \`-m immediate\`), ` +
      `instance b SIGKILLed and restarted ${kills.length} times.`,
    '',
    table(
      ['route', 'requests', '2xx/3xx', 'p50 ms', 'p99 ms'],
      summary.routes.map((r) => [r.route, r.requests, percent(r.okShare), ms(r.p50), ms(r.p99)]),
    ),
    '',
    table(
      ['answer (not 2xx/3xx)', 'count', 'of all requests', 'routes'],
      summary.errors.map((e) => [e.outcome, e.count, percent(e.share), e.routes.join(', ')]),
    ),
    '',
    table(
      ['instance', 'processes', 'heap after warm-up, MB', 'heap at end, MB', 'growth, KB', 'over'],
      summary.heap.map((h) => [
        h.name,
        h.lives,
        mb(h.startMb),
        mb(h.endMb),
        Math.round((h.endMb - h.startMb) * 1024),
        `${h.overS} s`,
      ]),
    ),
    '',
    table(
      ['check', 'result'],
      [
        ['paid at the providers', v.paidAtProviders],
        ['of those paid in paymount with onPaid done', v.settled],
        ['**payments lost**', `**${v.lost.length}**`],
        ['paid in paymount without money at the provider', v.paidWithoutMoney.length],
        ['forged callbacks accepted', summary.forgedAccepted],
        ['onPaid run twice, same idempotency key', v.hooksTwiceSameKey],
        ['onPaid run twice, different keys', v.hooksTwiceDifferentKeys],
        ['instances that died by themselves', summary.crashes.length],
        ['drain after the load stopped', `${Math.round(summary.drainMs / 1_000)} s`],
      ],
    ),
  ];
  return lines.join('\n');
}
