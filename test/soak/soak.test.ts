// The soak, one minute of it, inside the test command: two instances on one PostgreSQL of
// its own, restarted and SIGKILLed at random moments under a mixed load. It must lose no
// payment and never run onPaid twice with different keys. `npm run soak -- --minutes N`
// runs the longer version by hand.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { SoakSummary } from './report.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'paymount-soak-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('loses no payment in a one-minute soak with PostgreSQL restarts and killed instances', async () => {
  const jsonFile = join(dir, 'summary.json');
  const child = spawn(
    process.execPath,
    [
      '--conditions=@paymount/source',
      '--import',
      'tsx',
      'test/soak/soak.ts',
      '--minutes',
      '1',
      '--json',
      jsonFile,
    ],
    {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  console.log(output);
  expect(code, output).toBe(0);

  const summary = JSON.parse(readFileSync(jsonFile, 'utf8')) as SoakSummary;
  expect(summary.verdict.lost).toEqual([]);
  expect(summary.verdict.hooksTwiceDifferentKeys).toBe(0);
  expect(summary.verdict.paidAtProviders).toBeGreaterThan(0);
  expect(summary.verdict.settled).toBe(summary.verdict.paidAtProviders);
  expect(summary.forgedAccepted).toBe(0);
  expect(summary.crashes).toEqual([]);
  expect(summary.faults.some((f) => f.what.startsWith('postgres restart'))).toBe(true);
  expect(summary.faults.some((f) => f.what.startsWith('SIGKILL'))).toBe(true);
}, 360_000);
