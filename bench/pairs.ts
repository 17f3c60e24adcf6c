// The pairs `npm run bench` measures: each a baseline server and a paymount server under the
// same load, with the target their ratio must reach (null: reported only).
import { aaioNotificationBody } from './servers/aaio-fixture.js';

export interface Load {
  readonly method: 'GET' | 'POST';
  /** Path and body for the n-th request of this server (n counts across rounds). */
  next(n: number): { path: string; body?: string };
  readonly headers?: Record<string, string>;
}

export interface PairSpec {
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

/** What the pairs need from the run: its size, its tag for names, and the helpers it started. */
export interface PairSetup {
  readonly quick: boolean;
  /** Unique to the run: payment and schema names carry it, so runs never collide. */
  readonly runTag: string;
  readonly sqlitePath: string;
  readonly pgUrl: string | undefined;
  /** One AAIO simulator per side of the checkout pair. */
  readonly simulatorUrls: readonly [string, string];
}

const passThrough: Load = { method: 'GET', next: () => ({ path: '/products' }) };
const callbackLoad = (count: number): Load => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  next: (n) => ({ path: '/pay/callback/aaio', body: aaioNotificationBody(n % count) }),
});
const checkoutLoad = (runTag: string): Load => ({
  method: 'GET',
  next: (n) => ({ path: `/pay/checkout/b${runTag}-${n}` }),
});

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
function postgresFloorPair(pgUrl: string, payments: number, runTag: string): PairSpec {
  const bare = ['--framework=express', `--payments=${payments}`];
  return {
    name: 'durable floor, callback express (postgres): bare route + one read and one synced write',
    target: null,
    baseline: { label: 'bare form route', script: 'callback.ts', args: [...bare, '--mode=bare'] },
    subject: {
      label: 'bare form route + PostgreSQL write',
      script: 'callback.ts',
      args: [...bare, '--mode=floor', `--pg-url=${pgUrl}`, `--pg-schema=bench_${runTag}_floor`],
    },
    load: callbackLoad(payments),
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
    // Two paymount servers a few per cent apart: process luck (±5-10 %) would decide it.
    // The memory store starts in a second; the SQL ones would spend the round filling tables.
    freshEachRound: store === 'memory',
    target: 0.9,
    baseline: side('off'),
    subject: side('on'),
    load: callbackLoad(payments),
  };
}

/**
 * The Koa callback's adapter share: paymount's Koa adapter reading the body for a handler
 * that answers at once (no engine), against the bare form route with koa-bodyparser.
 */
function adapterPair(): PairSpec {
  return {
    name: 'callback koa: the adapter alone, engine left out, vs the bare form route',
    target: null,
    baseline: { label: 'bare form route', script: 'callback.ts', args: ['--framework=koa', '--mode=bare'] },
    subject: {
      label: 'paymount adapter only',
      script: 'callback.ts',
      args: ['--framework=koa', '--mode=adapter'],
    },
    load: callbackLoad(1_000),
  };
}

/**
 * The Koa callback's floor: paymount's Koa adapter handing the body to the duties written by
 * hand (servers/hand-duties.ts), against the bare form route: no engine doing those duties
 * behind this adapter can beat this ratio on this machine.
 */
function dutyFloorPair(payments: number): PairSpec {
  return {
    name: 'duty floor, callback koa: the adapter + the duties by hand vs the bare form route',
    target: null,
    baseline: { label: 'bare form route', script: 'callback.ts', args: ['--framework=koa', '--mode=bare'] },
    subject: {
      label: 'paymount adapter + duties by hand',
      script: 'callback.ts',
      args: ['--framework=koa', '--mode=duties', `--payments=${payments}`],
    },
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
      // The same code on both sides: only fresh processes each round keep luck out of it.
      freshEachRound: true,
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

/** Every pair of the run, in the order they are measured. */
export function benchPairs(setup: PairSetup): PairSpec[] {
  const { runTag, sqlitePath, pgUrl, simulatorUrls } = setup;
  // Each request pays a payment of its own (a repeat would be a cheaper duplicate), so each
  // server holds more pending payments than it can pay in the run; --quick needs fewer.
  const payments = setup.quick ? 20_000 : 120_000;
  const durablePayments = setup.quick ? 8_000 : 60_000;
  const pairs: PairSpec[] = [];
  for (const framework of ['express', 'koa'] as const) {
    pairs.push({
      name: `pass-through ${framework}`,
      target: 0.97,
      freshEachRound: true,
      seconds: setup.quick ? 1 : 2,
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
      seconds: setup.quick ? 1 : 2,
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
  pairs.push(callbackPair('express', 'memory', 0.8, payments, []));
  pairs.push(callbackPair('koa', 'memory', 0.8, payments, []));
  pairs.push(adapterPair());
  pairs.push(dutyFloorPair(payments));
  pairs.push(callbackPair('express', 'sqlite', 0.4, durablePayments, [`--sqlite-path=${sqlitePath}`]));
  if (pgUrl) {
    pairs.push(
      callbackPair('express', 'postgres', 0.4, durablePayments, [
        `--pg-url=${pgUrl}`,
        `--pg-schema=bench_${runTag}`,
      ]),
    );
  }
  if (pgUrl) pairs.push(postgresFloorPair(pgUrl, durablePayments, runTag));
  pairs.push(journalPair('memory', payments, () => []));
  pairs.push(...telemetryPairs(payments));
  pairs.push(
    journalPair('sqlite', durablePayments, (side) => [
      `--sqlite-path=${sqlitePath.replace('.sqlite', `-journal-${side}.sqlite`)}`,
    ]),
  );
  if (pgUrl) {
    pairs.push(
      journalPair('postgres', durablePayments, (side) => [
        `--pg-url=${pgUrl}`,
        `--pg-schema=bench_${runTag}_journal_${side}`,
      ]),
    );
  }
  pairs.push({
    name: 'checkout express (AAIO simulator)',
    target: 0.9,
    baseline: {
      label: 'hand-written undici route',
      script: 'checkout.ts',
      args: ['--mode=hand', `--simulator=${simulatorUrls[0]}`],
    },
    subject: {
      label: 'paymount checkout',
      script: 'checkout.ts',
      args: ['--mode=paymount', `--simulator=${simulatorUrls[1]}`],
    },
    load: checkoutLoad(runTag),
  });
  // --quick measures what has a target, and the floor that explains one; the other
  // reported pairs wait for the full run.
  return setup.quick ? pairs.filter((p) => p.target !== null || p.name.startsWith('durable floor')) : pairs;
}
