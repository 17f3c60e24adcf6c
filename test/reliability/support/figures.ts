// The figures the reliability suite proves, collected while it runs and printed as one
// table when it ends (and written to artifacts/reliability-summary.json for CI).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One line of the summary: what was tried, how often, and what came of it. */
export interface FigureRow {
  readonly area: string;
  readonly scenario: string;
  /** Inputs sent: callbacks, requests, fuzz cases, hook jobs… */
  readonly sent: number;
  /** The counts that prove the claim, e.g. `onPaid=1 2xx=200 5xx=0`. */
  readonly result: string;
  /** True when every assertion behind the row passed. */
  holds: boolean;
}

const rows: FigureRow[] = [];

/**
 * Adds a row that holds only if `check` then completes without throwing: call `check`'s
 * assertions inside, so a failing row shows in the table as well as in the test.
 */
export async function figure(
  row: Omit<FigureRow, 'holds'>,
  check: () => void | Promise<void> = () => {},
): Promise<void> {
  const entry: FigureRow = { ...row, holds: false };
  rows.push(entry);
  await check();
  entry.holds = true;
}

/** Every row so far. */
export function figureRows(): readonly FigureRow[] {
  return rows;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The rows as a plain-text table. */
export function figureTable(): string {
  const header = { area: 'area', scenario: 'scenario', sent: 'sent', result: 'result', holds: 'holds' };
  const lines = rows.map((r) => ({
    area: r.area,
    scenario: r.scenario,
    sent: String(r.sent),
    result: r.result,
    holds: r.holds ? 'yes' : 'NO',
  }));
  const all = [header, ...lines];
  const width = (key: keyof typeof header): number => Math.max(...all.map((l) => l[key].length));
  const keys = ['area', 'scenario', 'sent', 'result', 'holds'] as const;
  const format = (l: typeof header): string => keys.map((k) => pad(l[k], width(k))).join(' | ');
  const rule = keys.map((k) => '-'.repeat(width(k))).join('-+-');
  return [format(header), rule, ...lines.map(format)].join('\n');
}

/** Writes the rows to artifacts/reliability-summary.json. */
export function writeFigures(): string {
  const dir = fileURLToPath(new URL('../../../artifacts/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}reliability-summary.json`;
  writeFileSync(file, `${JSON.stringify({ rows }, null, 2)}\n`);
  return file;
}
