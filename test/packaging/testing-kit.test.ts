/**
 * @paymount/testing as a store author outside this repository uses it: packed,
 * npm-installed next to @paymount/core and vitest in a folder of its own, and its
 * store suite run there against `memoryStore()` and against a small store written in
 * that folder.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

let work: string;
let project: string;

async function sh(command: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, [...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout}\n${failed.stderr}`, {
      cause: error,
    });
  }
}

/** A store of the author's own: memoryStore() underneath, every value copied through JSON on the way in and out. */
const AUTHOR_STORE = `
import { memoryStore } from '@paymount/core/store';

const copy = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

export function jsonCopyStore() {
  const inner = memoryStore();
  const wrapped = {};
  for (const name of Object.keys(inner)) {
    wrapped[name] = async (...args) => copy(await inner[name](...args.map(copy)));
  }
  return wrapped;
}
`;

const SUITE = `
import { memoryStore } from '@paymount/core/store';
import { storeConformance } from '@paymount/testing';
import { jsonCopyStore } from './json-copy-store.js';

storeConformance('memoryStore from the tarball', { make: async () => memoryStore() });
storeConformance('an author\\'s own store', { make: async () => jsonCopyStore() });
`;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'paymount-testing-kit-'));
  project = join(work, 'my-store');
  mkdirSync(project);
  const packed = JSON.parse(
    await sh(process.execPath, [join(root, 'scripts', 'pack-packages.mjs'), join(work, 'tarballs')], root),
  ) as Array<{ name: string; filename: string }>;
  const wanted = packed.filter((p) => p.name === '@paymount/core' || p.name === '@paymount/testing');
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'my-paymount-store', version: '1.0.0', private: true, type: 'module' }, null, 2),
  );
  await sh(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--ignore-scripts',
      ...wanted.map((p) => p.filename),
      'vitest@~4.1.12',
    ],
    project,
  );
  writeFileSync(join(project, 'json-copy-store.js'), AUTHOR_STORE);
  writeFileSync(join(project, 'store.test.js'), SUITE);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('@paymount/testing from its tarball, outside the repository', () => {
  it('runs the store suite against memoryStore() and a store written there, all green', async () => {
    const output = await sh(
      join(project, 'node_modules', '.bin', 'vitest'),
      ['run', '--reporter=json', '--outputFile=report.json', '--root', project],
      project,
    );
    const report = JSON.parse(readFileSync(join(project, 'report.json'), 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      testResults: Array<{ name: string }>;
    };
    expect(report.numFailedTests, output).toBe(0);
    expect(report.testResults).toHaveLength(1);
    // Two runs of the whole suite, each with its dozens of checks.
    expect(report.numPassedTests).toBeGreaterThan(20);
  }, 180_000);
});
