// The soak: `npm run soak -- --minutes N [--seed S] [--json FILE]` (default 5 minutes).
// Two shop instances (processes, Express on postgresStore) behind a balancer on one
// PostgreSQL of the soak's own, the Aurpay and AAIO simulators as the providers, six
// buyers checking out, paying, leaving, polling and coming back, providers sending
// genuine, duplicate and forged callbacks, while PostgreSQL is restarted and one instance
// is SIGKILLed and restarted at random moments. It prints a table of what happened and
// exits non-zero if a payment was lost, onPaid ran with two different keys, a forgery was
// accepted, money appeared that nobody paid, or an instance crashed by itself.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type AaioSimulator,
  type AurpaySimulator,
  startAaioSimulator,
  startAurpaySimulator,
} from '@paymount/sandbox';
import pg from 'pg';
import type { AaioMerchant } from '../faults/support/http.js';
import { sleep } from '../faults/support/http.js';
import type { ShopConfig } from '../faults/support/shop-config.js';
import { createPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { type Balancer, startBalancer } from './balancer.js';
import { chaosPlan, HEAP_EVERY_MS, Instances, runChaos } from './chaos.js';
import { Load } from './load.js';
import { Recorder, seededRandom } from './metrics.js';
import { type SoakSummary, summaryTables, verdictFailures } from './report.js';
import { judge, paidAtProviders, type Verdict } from './verdict.js';

const BUYERS = 6;
const DRAIN_LIMIT_MS = 180_000;
const SCHEMA = 'paymount';

const merchant: AaioMerchant = {
  merchantId: '3c5e7a9b-1d2f-4a6b-8c0d-2e4f6a8b0c1d',
  secret1: 'soak-aaio-secret-one-0123456789abcd',
  secret2: 'soak-aaio-secret-two-0123456789abcd',
  apiKey: 'soak-aaio-api-key-0123456789abcdef0123',
};
const aurpayKeys = {
  apiKey: 'soak-aurpay-api-key-0123456789abcdef',
  callbackSecret: 'soak-aurpay-callback-secret-0123456789',
};

interface World {
  readonly aurpaySim: AurpaySimulator;
  readonly aaioSim: AaioSimulator;
  readonly balancer: Balancer;
  readonly instances: Instances;
  readonly recordFile: string;
  close(): Promise<void>;
}

/** The providers, the balancer and two shop instances on `cluster`, all started. */
async function startWorld(cluster: PgCluster): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'paymount-soak-'));
  const recordFile = join(dir, 'on-paid.log');
  const aurpaySim = await startAurpaySimulator(aurpayKeys);
  const aaioSim = await startAaioSimulator({ ...merchant, notify: 'once' });
  const balancer = await startBalancer([]);
  aaioSim.settings.notificationUrl = `${balancer.url}/pay/callback/aaio`;
  aaioSim.settings.successUrl = aaioSim.settings.failUrl = `${balancer.url}/pay/return`;
  const instances = new Instances();
  const base: Omit<ShopConfig, 'instance'> = {
    publicUrl: `${balancer.url}/pay`,
    secret: 'soak-paymount-secret-0123456789abcdef',
    pg: { url: cluster.url, schema: SCHEMA, max: 5 },
    recordFile,
    aaio: { ...merchant, baseUrl: aaioSim.url },
    aurpay: { ...aurpayKeys, baseUrl: aurpaySim.url },
    // AAIO never resends a lost notification: the reconciler is how a shop finds those.
    reconcile: { intervalMs: 5_000, firstCheckAfterMs: 15_000 },
    heapEveryMs: HEAP_EVERY_MS,
  };
  // Both start together, so they also migrate the fresh schema at the same moment.
  const shops = await Promise.all(['a', 'b'].map((instance) => instances.start({ ...base, instance })));
  balancer.setBackends(shops.map((shop) => shop.url));
  return {
    aurpaySim,
    aaioSim,
    balancer,
    instances,
    recordFile,
    async close() {
      await instances.closeAll();
      await balancer.close();
      await aurpaySim.close();
      await aaioSim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The load and the faults for `minutes`; resolves when both are over. */
async function drive(world: World, cluster: PgCluster, load: Load, minutes: number, random: () => number) {
  const durationMs = minutes * 60_000;
  const startedAt = Date.now();
  let stopping = false;
  const buyers = Array.from({ length: BUYERS }, () => load.buyer(() => stopping));
  const chaos = runChaos(chaosPlan(durationMs, random), startedAt, cluster, world.instances, random);
  const progress = setInterval(() => {
    const t = Math.round((Date.now() - startedAt) / 1_000);
    console.error(`  soak t=${t}s payments=${load.payments.size} callbacks owed=${load.owed}`);
  }, 30_000);
  await sleep(durationMs);
  stopping = true;
  await Promise.all(buyers);
  const faults = await chaos;
  clearInterval(progress);
  return faults;
}

/**
 * After the load: waits until every payment paid at a provider is paid in paymount with
 * onPaid done (hooks held by a killed instance wait out their lease), or the limit passes.
 */
async function drain(
  world: World,
  cluster: PgCluster,
  load: Load,
): Promise<{ verdict: Verdict; drainMs: number }> {
  const started = Date.now();
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    const check = () =>
      judge(admin, SCHEMA, paidAtProviders(world.aurpaySim, world.aaioSim), world.recordFile);
    let verdict = await check();
    while ((verdict.lost.length > 0 || load.owed > 0) && Date.now() - started < DRAIN_LIMIT_MS) {
      await sleep(1_000);
      verdict = await check();
    }
    return { verdict, drainMs: Date.now() - started };
  } finally {
    await admin.end();
  }
}

async function soak(minutes: number, seed: number, cluster: PgCluster): Promise<SoakSummary> {
  const random = seededRandom(seed);
  const world = await startWorld(cluster);
  try {
    const recorder = new Recorder();
    const load = new Load({
      url: world.balancer.url,
      aurpaySim: world.aurpaySim,
      aaioSim: world.aaioSim,
      aaioMerchant: merchant,
      recorder,
      random,
    });
    // Providers resend what was not answered 2xx, during the load and the drain alike.
    let resending = true;
    const resender = (async () => {
      while (resending) {
        await sleep(1_000);
        await load.resendOwed();
      }
    })();
    const faults = await drive(world, cluster, load, minutes, random);
    const { verdict, drainMs } = await drain(world, cluster, load);
    resending = false;
    await resender;
    return {
      minutes,
      seed,
      buyers: BUYERS,
      requests: recorder.total,
      paymentsStarted: load.payments.size,
      routes: recorder.routes(),
      errors: recorder.errors(),
      faults,
      heap: world.instances.heap(),
      verdict,
      forgedAccepted: load.forgedAccepted,
      crashes: world.instances.crashes(),
      owedAtEnd: load.owed,
      drainMs,
    };
  } finally {
    await world.close();
  }
}

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '5' }, seed: { type: 'string' }, json: { type: 'string' } },
});
const minutes = Number(values.minutes);
if (!(minutes > 0)) {
  console.error('usage: soak [--minutes N] [--seed S] [--json FILE]  (N > 0, default 5)');
  process.exit(2);
}
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
console.error(`• soak: ${minutes} min, seed ${seed}, starting a PostgreSQL cluster of its own`);
const cluster = await createPgCluster({ name: 'soak', start: true });
let summary: SoakSummary;
try {
  summary = await soak(minutes, seed, cluster);
} finally {
  await cluster.destroy();
}
console.log(summaryTables(summary));
const root = join(import.meta.dirname, '..', '..');
mkdirSync(join(root, 'artifacts'), { recursive: true });
const json = JSON.stringify(summary, null, 2);
writeFileSync(join(root, 'artifacts', 'soak-summary.json'), json);
if (values.json) writeFileSync(values.json, json);
const failures = verdictFailures(summary);
for (const failure of failures) console.error(`✗ ${failure}`);
process.exit(failures.length > 0 ? 1 : 0);
