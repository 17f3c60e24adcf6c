// `npm run bench`: paymount next to the bare framework, measured side by side in one run.
// Every pair runs alternately (A B, B A, …) after a warm-up that is not counted; the table
// shows the median of the rounds' ratios, with their spread. Servers run in child processes; autocannon runs here.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon, { type Request as CannonRequest } from 'autocannon';
import pg from 'pg';
import { benchPairs, type Load, type PairSpec } from './pairs.js';
import {
  type EngineResult,
  type MemoryResult,
  type PairResult,
  report,
  type StoresResult,
} from './report.js';

const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 5;
const SECONDS = quick ? 1 : 3;
const WARMUP_SECONDS = 1;
const CONNECTIONS = 32;

interface Started {
  readonly child: ChildProcess;
  /** `cpuPort`: the server's CPU-time answerer (servers/listen.ts). */
  readonly info: { port?: number; cpuPort?: number; url?: string };
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

interface Measured {
  readonly rps: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly requests: number;
}

/** A timed sample with the CPU each of its requests cost the server (µs). */
type Sample = Measured & { readonly cpuUsPerRequest: number };

/** The CPU time the server process has used so far, in µs, from its answerer. */
async function cpuOf(server: Started): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${server.info.cpuPort}/`);
  return ((await res.json()) as { cpuUs: number }).cpuUs;
}

/** One timed sample of a server: its req/s and the server's own CPU per request (µs). */
async function sample(server: Started, load: Load, seconds: number, counter: { n: number }): Promise<Sample> {
  const before = await cpuOf(server);
  const measured = await fire(server.info.port!, load, seconds, counter);
  const used = (await cpuOf(server)) - before;
  return { ...measured, cpuUsPerRequest: used / Math.max(1, measured.requests) };
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
    requests: result.requests.total,
  };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]): number => {
  const sorted = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function runPair(spec: PairSpec): Promise<PairResult> {
  process.stdout.write(`• ${spec.name} `);
  const counters = { a: { n: 0 }, b: { n: 0 } };
  const samples = { a: [] as Sample[], b: [] as Sample[] };
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
        samples[side].push(await sample(server, spec.load, spec.seconds ?? SECONDS, counters[side]));
        process.stdout.write('.');
      }
    }
  } finally {
    if (a) await stop(a);
    if (b) await stop(b);
  }
  const baseRps = mean(samples.a.map((s) => s.rps));
  const subjRps = mean(samples.b.map((s) => s.rps));
  // Each round's two sides ran back to back: their ratio is the side-by-side figure, and
  // the median of the rounds' ratios is not moved by one round the host slowed down in.
  const roundRatios = samples.a.map((s, i) => (samples.b[i]?.rps ?? 0) / s.rps);
  const ratio = median(roundRatios);
  // The same comparison by the CPU each request cost the server: a sample the load
  // generator could not saturate, or the host slowed, moves it less than req/s.
  const cpuRoundRatios = samples.a.map((s, i) => s.cpuUsPerRequest / (samples.b[i]?.cpuUsPerRequest ?? 0));
  const cpuRatio = median(cpuRoundRatios);
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
    roundRatios: roundRatios.map((r) => Number(r.toFixed(3))),
    cpuRatio: Number(cpuRatio.toFixed(3)),
    cpuRoundRatios: cpuRoundRatios.map((r) => Number(r.toFixed(3))),
    cpuUsPerRequest: {
      baseline: Math.round(median(samples.a.map((s) => s.cpuUsPerRequest))),
      subject: Math.round(median(samples.b.map((s) => s.cpuUsPerRequest))),
    },
    met: spec.target === null ? null : ratio >= spec.target && failures === 0,
    failures,
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const runTag = Date.now().toString(36);
  const sqlitePath = join(root, '.data', `bench-${runTag}.sqlite`);
  mkdirSync(join(root, '.data'), { recursive: true });
  const pgUrl = process.env.PAYMOUNT_TEST_PG_URL;
  // Each side of the checkout pair gets a simulator of its own, so neither pays for the
  // orders the other created.
  const simulators = [
    await start('aaio-simulator.ts', [], 'helper'),
    await start('aaio-simulator.ts', [], 'helper'),
  ];
  const simulatorUrls = [simulators[0]?.info.url ?? '', simulators[1]?.info.url ?? ''] as const;
  const pairs = benchPairs({ quick, runTag, sqlitePath, pgUrl, simulatorUrls });
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const results: PairResult[] = [];
  try {
    for (const pair of pairs) if (!only || pair.name.includes(only)) results.push(await runPair(pair));
  } finally {
    await Promise.all(simulators.map(stop));
    await removeRunData(runTag, pgUrl);
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

/**
 * Removes what the run's servers stored: its SQLite files under .data and its PostgreSQL
 * schemas (every name carries the run's tag), so runs do not pile up hundreds of MB.
 */
async function removeRunData(runTag: string, pgUrl: string | undefined): Promise<void> {
  const dir = join(root, '.data');
  for (const name of readdirSync(dir)) {
    if (name.startsWith(`bench-${runTag}`)) rmSync(join(dir, name), { force: true });
  }
  if (!pgUrl) return;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'bench\\_' || $1 || '%'",
      [runTag],
    );
    for (const { name } of rows) await client.query(`DROP SCHEMA "${name}" CASCADE`);
  } finally {
    await client.end();
  }
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
