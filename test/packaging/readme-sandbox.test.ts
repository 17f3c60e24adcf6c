/**
 * The README's "The sandbox in a plain Express app" snippet, followed as a new user would:
 * copied as it is into a fresh folder (only its ports changed to free ones), next to the
 * packed packages installed with npm and Express 4, run with `node app.cjs`. A buyer starts a
 * payment, the process is restarted (as nodemon does on every save), and the old pay page is
 * still there and pays the order.
 *
 * better-sqlite3 is the copy this repository built, linked in as a shop's own installation
 * would be (see store-peers.test.ts for the registry's). Needs the npm registry.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../first-hour/support/ports.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
let work: string;
let project: string;

async function sh(command: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    return (await run(command, [...args], { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout}\n${failed.stderr}`, {
      cause: error,
    });
  }
}

/** The first ```js block of the README section with this title. */
function readmeSnippet(title: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(`### ${title}`));
  const snippet = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!snippet) throw new Error(`README.md has no js snippet under "### ${title}"`);
  return snippet;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'paymount-readme-sandbox-'));
  project = join(work, 'shop');
  const packed = JSON.parse(
    await sh(process.execPath, [join(root, 'scripts', 'pack-packages.mjs'), join(work, 'tarballs')], root),
  ) as Array<{ name: string; filename: string }>;
  const wanted = [
    '@paymount/core',
    '@paymount/express',
    '@paymount/sqlite',
    '@paymount/aaio',
    '@paymount/sandbox',
  ];
  const tarballs = packed.filter((p) => wanted.includes(p.name)).map((p) => p.filename);
  const builtSqlite = realpathSync(join(root, 'packages', 'sqlite', 'node_modules', 'better-sqlite3'));
  await sh('mkdir', ['-p', project], work);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shop', private: true }));
  await sh(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--ignore-scripts',
      ...tarballs,
      'express@^4.21',
      `better-sqlite3@file:${builtSqlite}`,
    ],
    project,
  );
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

interface App {
  readonly child: ChildProcess;
  stderr: string;
}

/** `node app.cjs`, until its order page answers (a bounded number of tries). */
async function startApp(shopUrl: string): Promise<App> {
  const child = spawn(process.execPath, ['app.cjs'], { cwd: project, stdio: ['ignore', 'ignore', 'pipe'] });
  const app: App = { child, stderr: '' };
  child.stderr?.on('data', (chunk: Buffer) => {
    app.stderr += chunk.toString();
  });
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`app.cjs exited:\n${app.stderr}`);
    const answer = await fetch(`${shopUrl}/orders/1`).catch(() => null);
    if (answer?.ok) return app;
    await sleep(100);
  }
  throw new Error(`app.cjs did not answer:\n${app.stderr}`);
}

async function stopApp(app: App): Promise<void> {
  if (app.child.exitCode === null) {
    const exited = once(app.child, 'exit');
    app.child.kill('SIGTERM');
    await exited;
  }
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual' as const,
});

describe("the README's sandbox snippet, from the packed packages", () => {
  it('runs as written, and a payment begun before a restart is paid after it', async () => {
    const [shopPort, simPort] = await freePorts(2);
    const source = readmeSnippet('The sandbox in a plain Express app')
      .replace(/\b3000\b/g, String(shopPort))
      .replace(/\b4802\b/g, String(simPort));
    writeFileSync(join(project, 'app.cjs'), source);
    const shop = `http://127.0.0.1:${shopPort}`;

    const first = await startApp(shop);
    const page = await (await fetch(`${shop}/orders/1`)).text();
    expect(page).toContain('action="/pay/checkout/1"');
    const checkout = await fetch(`${shop}/pay/checkout/1`, form({ provider: 'aaio' }));
    expect(checkout.status).toBe(303);
    const payPage = checkout.headers.get('location') ?? '';
    expect(payPage.startsWith(`http://127.0.0.1:${simPort}/`)).toBe(true);
    await stopApp(first);
    expect(first.stderr).toBe('');

    const second = await startApp(shop);
    try {
      expect((await fetch(payPage)).status).toBe(200);
      const paid = await fetch(payPage, form({ action: 'pay' }));
      const back = await fetch(paid.headers.get('location') ?? '', { redirect: 'manual' });
      expect([back.status, back.headers.get('location')]).toEqual([303, `${shop}/orders/1/thanks`]);
      expect(await (await fetch(`${shop}/orders/1/thanks`)).text()).toBe('Thank you');
    } finally {
      await stopApp(second);
    }
    expect(second.stderr).toBe('');
  }, 120_000);
});
