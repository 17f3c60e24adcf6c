// `npm run bench`: paymount next to the bare framework, measured side by side in one run.
// Every pair runs alternately (A B, B A, …) after a warm-up that is not counted; the table
// shows the ratio of the means. Servers run in child processes; autocannon runs here.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon, { type Request as CannonRequest } from 'autocannon';
import {
  type EngineResult,
  type MemoryResult,
  type PairResult,
  report,
  type StoresResult,
} from './report.js';
import { aaioNotificationBody } from './servers/aaio-fixture.js';

const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 5;
const SECONDS = quick ? 1 : 3;
const WARMUP_SECONDS = 1;
const CONNECTIONS = 32;

interface Started {
  readonly child: ChildProcess;
  readonly info: { port?: number; url?: string };
}

// With two or more cores, the server under test gets a core of its own and the load
// generator (this process) and the simulators share the other, so neither side of a
// pair competes with autocannon for CPU and both run on the same core.
const PIN = cpus().length >= 2 && spawnSync('taskset', ['-cp', '0', String(process.pid)]).status === 0;

/** Starts a bench server in its own process (on the server core) and waits for the port it announces. */
async function start(script: string, args: string[], role: 'server' | 'helper' = 'server'): Promise<Started> {
  const command = [tsx, join(import.meta.dirname, 'servers', script), ...args];
  const pinned = PIN ? ['taskset', '-c', role === 'server' ? '1' : '0', ...command] : command;
  const child = spawn(pinned[0]!, pinned.slice(1), {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const lines = createInterface({ input: child.stdout! });
  const info = await new Promise<Started['info']>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} ${args.join(' ')} exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line) as Started['info']));
  });
  child.removeAllListeners('exit');
  return { child, info };
}

async function stop(started: Started): Promise<void> {
  if (started.child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    started.child.once('exit', () => resolve());
    started.child.kill('SIGTERM');
  });
}

interface Load {
  readonly method: 'GET' | 'POST';
  /** Path and body for the n-th request of this server (n counts across rounds). */
  next(n: number): { path: string; body?: string };
  readonly headers?: Record<string, string>;
}

interface Measured {
  readonly rps: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
}

async function fire(port: number, load: Load, seconds: number, counter: { n: number }): Promise<Measured> {
  const request: CannonRequest = {
    method: load.method,
    setupRequest: (req) => {
      const { path, body } = load.next(counter.n++);
      return { ...req, path, ...(body !== undefined ? { body } : {}) };
    },
  };
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: load.headers ?? {},
    requests: [request],
  });
  // A 303 is the success answer of a checkout.
  const non2xx = result.non2xx - (result.statusCodeStats['303']?.count ?? 0);
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx,
  };
}

interface PairSpec {
  readonly name: string;
  /** Start both servers anew each round (cheap to start, so luck per process averages out). */
  readonly freshEachRound?: boolean;
  /** Seconds per side and round, when not the default. */
  readonly seconds?: number;
  readonly target: number | null;
  readonly baseline: { label: string; script: string; args: string[] };
  readonly subject: { label: string; script: string; args: string[] };
  readonly load: Load;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

async function runPair(spec: PairSpec): Promise<PairResult> {
  process.stdout.write(`• ${spec.name} `);
  const counters = { a: { n: 0 }, b: { n: 0 } };
  const samples = { a: [] as Measured[], b: [] as Measured[] };
  let a: Started | undefined;
  let b: Started | undefined;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Fresh processes each round average out what one process's JIT and memory layout
      // do to its speed (±5 % between two identical servers); others start once.
      if (!a || !b || spec.freshEachRound) {
        if (a) await stop(a);
        if (b) await stop(b);
        a = await start(spec.baseline.script, spec.baseline.args);
        b = await start(spec.subject.script, spec.subject.args);
        await fire(a.info.port!, spec.load, WARMUP_SECONDS, counters.a);
        await fire(b.info.port!, spec.load, WARMUP_SECONDS, counters.b);
      }
      // Alternate the order each round so neither side always runs on a warmer machine.
      const order = round % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
      for (const side of order) {
        const server = side === 'a' ? a : b;
        samples[side].push(await fire(server.info.port!, spec.load, spec.seconds ?? SECONDS, counters[side]));
        process.stdout.write('.');
      }
    }
  } finally {
    if (a) await stop(a);
    if (b) await stop(b);
  }
  const baseRps = mean(samples.a.map((s) => s.rps));
  const subjRps = mean(samples.b.map((s) => s.rps));
  const ratio = subjRps / baseRps;
  const failures = [...samples.a, ...samples.b].reduce((n, s) => n + s.errors + s.non2xx, 0);
  process.stdout.write(` ${ratio.toFixed(3)}${failures ? ` (${failures} failed requests!)` : ''}\n`);
  return {
    name: spec.name,
    target: spec.target,
    baseline: {
      label: spec.baseline.label,
      rps: Math.round(baseRps),
      p99: Math.max(...samples.a.map((s) => s.p99)),
    },
    subject: {
      label: spec.subject.label,
      rps: Math.round(subjRps),
      p99: Math.max(...samples.b.map((s) => s.p99)),
    },
    ratio: Number(ratio.toFixed(3)),
    met: spec.target === null ? null : ratio >= spec.target && failures === 0,
    failures,
  };
}

const passThrough: Load = { method: 'GET', next: () => ({ path: '/products' }) };
// Each request pays a payment of its own (a repeat would be a cheaper duplicate), so each
// server holds more pending payments than it can pay in the run; --quick needs fewer.
const PAYMENTS = quick ? 30_000 : 120_000;
const DURABLE_PAYMENTS = quick ? 10_000 : 60_000;
const callbackLoad = (count: number): Load => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  next: (n) => ({ path: '/pay/callback/aaio', body: aaioNotificationBody(n % count) }),
});
const runTag = Date.now().toString(36);
const checkoutLoad: Load = { method: 'GET', next: (n) => ({ path: `/pay/checkout/b${runTag}-${n}` }) };

/** A valid AAIO notification through paymount on one store, next to a bare route parsing the same form. */
function callbackPair(
  framework: 'express' | 'koa',
  store: 'memory' | 'sqlite' | 'postgres',
  target: number | null,
  payments: number,
  storeArgs: string[],
): PairSpec {
  return {
    name: `callback ${framework} (${store})`,
    target,
    baseline: {
      label: 'bare form route',
      script: 'callback.ts',
      args: [`--framework=${framework}`, '--mode=bare'],
    },
    subject: {
      label: 'paymount AAIO notification',
      script: 'callback.ts',
      args: [
        `--framework=${framework}`,
        '--mode=paymount',
        `--store=${store}`,
        `--payments=${payments}`,
        ...storeArgs,
      ],
    },
    load: callbackLoad(payments),
  };
}

/**
 * The bare form route against itself plus the least durable PostgreSQL write a callback can
 * make: the ratio no PostgreSQL-backed callback can beat on this machine (reported).
 */
function postgresFloorPair(pgUrl: string): PairSpec {
  const bare = ['--framework=express', `--payments=${DURABLE_PAYMENTS}`];
  return {
    name: 'durable floor, callback express (postgres): bare route + one read and one synced write',
    target: null,
    baseline: { label: 'bare form route', script: 'callback.ts', args: [...bare, '--mode=bare'] },
    subject: {
      label: 'bare form route + PostgreSQL write',
      script: 'callback.ts',
      args: [...bare, '--mode=floor', `--pg-url=${pgUrl}`, `--pg-schema=bench_${runTag}_floor`],
    },
    load: callbackLoad(DURABLE_PAYMENTS),
  };
}

/** The same callback on the same kind of store, with the journal off and on: what the journal costs. */
function journalPair(
  store: 'memory' | 'sqlite' | 'postgres',
  payments: number,
  storeArgs: (side: 'off' | 'on') => string[],
): PairSpec {
  const side = (journal: 'off' | 'on') => ({
    label: `paymount, journal ${journal}`,
    script: 'callback.ts',
    args: [
      '--framework=express',
      '--mode=paymount',
      `--store=${store}`,
      `--payments=${payments}`,
      `--journal=${journal}`,
      ...storeArgs(journal),
    ],
  });
  return {
    name: `journal cost, callback express (${store})`,
    target: 0.9,
    baseline: side('off'),
    subject: side('on'),
    load: callbackLoad(payments),
  };
}

/**
 * The same callback with telemetry two ways: `telemetry: false` against the API installed
 * with no SDK (what paymount costs a shop that never set OpenTelemetry up), and that
 * against an SDK that records every span and metric.
 */
function telemetryPairs(payments: number): PairSpec[] {
  const side = (telemetry: 'off' | 'api' | 'sdk', label: string) => ({
    label,
    script: 'callback.ts',
    args: [
      '--framework=express',
      '--mode=paymount',
      '--store=memory',
      `--payments=${payments}`,
      `--telemetry=${telemetry}`,
    ],
  });
  return [
    {
      name: 'telemetry cost, callback express (memory): no SDK vs telemetry off',
      target: 0.95,
      baseline: side('off', 'telemetry: false'),
      subject: side('api', 'API installed, no SDK'),
      load: callbackLoad(payments),
    },
    {
      name: 'telemetry cost, callback express (memory): SDK registered vs none',
      target: null,
      baseline: side('api', 'API installed, no SDK'),
      subject: side('sdk', 'SDK recording spans and metrics'),
      load: callbackLoad(payments),
    },
  ];
}

async function main(): Promise<void> {
  const started = performance.now();
  const pairs: PairSpec[] = [];
  for (const framework of ['express', 'koa'] as const) {
    pairs.push({
      name: `pass-through ${framework}`,
      target: 0.97,
      freshEachRound: true,
      seconds: quick ? 1 : 2,
      baseline: {
        label: `${framework} alone`,
        script: 'pass-through.ts',
        args: [`--framework=${framework}`, '--paymount=off'],
      },
      subject: {
        label: `${framework} + paymount`,
        script: 'pass-through.ts',
        args: [`--framework=${framework}`, '--paymount=on'],
      },
      load: passThrough,
    });
    pairs.push({
      name: `pass-through ${framework}, vs a no-op middleware in paymount's place`,
      target: null,
      freshEachRound: true,
      seconds: quick ? 1 : 2,
      baseline: {
        label: `${framework} + no-op middleware`,
        script: 'pass-through.ts',
        args: [`--framework=${framework}`, '--paymount=noop'],
      },
      subject: {
        label: `${framework} + paymount`,
        script: 'pass-through.ts',
        args: [`--framework=${framework}`, '--paymount=on'],
      },
      load: passThrough,
    });
  }
  const sqlitePath = join(root, '.data', `bench-${runTag}.sqlite`);
  mkdirSync(join(root, '.data'), { recursive: true });
  const pgUrl = process.env.PAYMOUNT_TEST_PG_URL;
  pairs.push(callbackPair('express', 'memory', 0.8, PAYMENTS, []));
  pairs.push(callbackPair('koa', 'memory', 0.8, PAYMENTS, []));
  pairs.push(callbackPair('express', 'sqlite', 0.4, DURABLE_PAYMENTS, [`--sqlite-path=${sqlitePath}`]));
  if (pgUrl) {
    pairs.push(
      callbackPair('express', 'postgres', 0.4, DURABLE_PAYMENTS, [
        `--pg-url=${pgUrl}`,
        `--pg-schema=bench_${runTag}`,
      ]),
    );
  }
  if (pgUrl) pairs.push(postgresFloorPair(pgUrl));
  pairs.push(journalPair('memory', PAYMENTS, () => []));
  pairs.push(...telemetryPairs(PAYMENTS));
  pairs.push(
    journalPair('sqlite', DURABLE_PAYMENTS, (side) => [
      `--sqlite-path=${sqlitePath.replace('.sqlite', `-journal-${side}.sqlite`)}`,
    ]),
  );
  if (pgUrl) {
    pairs.push(
      journalPair('postgres', DURABLE_PAYMENTS, (side) => [
        `--pg-url=${pgUrl}`,
        `--pg-schema=bench_${runTag}_journal_${side}`,
      ]),
    );
  }
  // Each side gets a simulator of its own, so neither pays for the orders the other created.
  const simulators = [
    await start('aaio-simulator.ts', [], 'helper'),
    await start('aaio-simulator.ts', [], 'helper'),
  ];
  pairs.push({
    name: 'checkout express (AAIO simulator)',
    target: 0.9,
    baseline: {
      label: 'hand-written undici route',
      script: 'checkout.ts',
      args: ['--mode=hand', `--simulator=${simulators[0]?.info.url}`],
    },
    subject: {
      label: 'paymount checkout',
      script: 'checkout.ts',
      args: ['--mode=paymount', `--simulator=${simulators[1]?.info.url}`],
    },
    load: checkoutLoad,
  });

  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const results: PairResult[] = [];
  try {
    for (const pair of pairs) if (!only || pair.name.includes(only)) results.push(await runPair(pair));
  } finally {
    await Promise.all(simulators.map(stop));
  }
  // With --only, the memory and store measurements run when named (`--only=memory`, `--only=stores`).
  const memory = !only || only === 'memory' ? await measureInChild<MemoryResult>('memory.ts') : null;
  const stores = !only || only === 'stores' ? await measureInChild<StoresResult>('stores.ts') : null;
  const engine = !only || only === 'memory' ? await measureInChild<EngineResult>('engine-cpu.ts') : null;
  report(
    {
      rounds: ROUNDS,
      seconds: SECONDS,
      connections: CONNECTIONS,
      pinned: PIN,
      quick,
      elapsedSeconds: Math.round((performance.now() - started) / 1000),
    },
    results,
    memory,
    stores,
    engine,
    pgUrl !== undefined,
  );
}

/** Runs a measuring script (memory, store throughput) in its own process and reads its JSON line. */
async function measureInChild<T>(script: string): Promise<T> {
  process.stdout.write(`• ${script.replace('.ts', '')}\n`);
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, script), ...(quick ? ['--quick'] : [])],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

await main();
