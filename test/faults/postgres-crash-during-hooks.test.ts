// PostgreSQL killed (`pg_ctl stop -m immediate`, what a crash or an OOM kill looks like)
// while the shop is delivering onPaid hooks, and started again two seconds later. Every
// hook must still be delivered, and the shop process must live through it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AaioSimulator, startAaioSimulator } from '@paymount/sandbox';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitForOutput } from '../stores/fixtures/store-child-process.js';
import { createPgCluster, type PgCluster } from '../support/pg-cluster.js';
import {
  type AaioMerchant,
  aaioNotification,
  checkout,
  eventually,
  postNotification,
  sleep,
} from './support/http.js';
import { onPaidByPayment, readOnPaid, type ShopProcess, startShop } from './support/shop-process.js';

const PAYMENTS = 30;

const merchant: AaioMerchant = {
  merchantId: '9d3e5f70-8192-4a3b-8c4d-5e6f708192a3',
  secret1: 'crash-hooks-secret-one-0123456789',
  secret2: 'crash-hooks-secret-two-0123456789',
  apiKey: 'crash-hooks-api-key-0123456789abcdef',
};

let cluster: PgCluster;
let sim: AaioSimulator;
let shop: ShopProcess;
const dir = mkdtempSync(join(tmpdir(), 'paymount-pg-crash-hooks-'));
const recordFile = join(dir, 'on-paid.log');

beforeAll(async () => {
  cluster = await createPgCluster({ name: 'crash-hooks', start: true });
  sim = await startAaioSimulator({ ...merchant, notify: 'never' });
  shop = await startShop({
    instance: 'shop',
    secret: 'crash-hooks-paymount-secret-0123456789',
    pg: { url: cluster.url, schema: 'paymount', max: 5 },
    recordFile,
    aaio: { ...merchant, baseUrl: sim.url },
    // A hook that takes a moment (it writes to the shop's order system), so delivery is
    // still under way when the database goes.
    hookDelayMs: 150,
  });
}, 60_000);

afterAll(async () => {
  await shop?.close();
  await sim?.close();
  await cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

it('delivers every hook after PostgreSQL was killed in the middle of delivering them', async () => {
  const callbackUrl = `${shop.url}/pay/callback/aaio`;
  const ids: string[] = [];
  for (let i = 0; i < PAYMENTS; i++) {
    const reply = await checkout(`${shop.url}/pay`, `order-${i}`, 'aaio');
    expect(reply.status).toBe(200);
    ids.push(reply.paymentId!);
    await sim.pay(reply.paymentId!, { notify: 'never' });
  }
  // All paid at once: thirty onPaid jobs in the outbox, delivered one after another.
  const notifications = ids.map((id) => aaioNotification(merchant, { ...sim.orders.get(id)!, orderId: id }));
  const answers = await Promise.all(notifications.map((fields) => postNotification(callbackUrl, fields)));
  expect(answers.map((a) => a.status)).toEqual(ids.map(() => 200));

  await waitForOutput([shop.process], () => shop.paidIds().size >= 5, 'the first hooks delivered');
  await cluster.stop('immediate');
  const deliveredBefore = shop.paidIds().size;
  await sleep(2_000);
  expect(shop.process.ended, shop.process.stderr()).toBe(false);
  await cluster.start();
  expect(deliveredBefore).toBeLessThan(PAYMENTS);

  // Jobs claimed before the crash wait out their lease (hook timeout + 60 s); then they run.
  await waitForOutput([shop.process], () => shop.paidIds().size >= PAYMENTS, 'every hook delivered', 120_000);
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    const jobs = await eventually(
      () => admin.query(`SELECT state, count(*)::int AS n FROM paymount.hook_jobs GROUP BY 1`),
      (result) => result.rows.length === 1 && result.rows[0].state === 'done',
      'every onPaid job marked done',
      10_000,
    );
    expect(jobs.rows).toEqual([{ state: 'done', n: PAYMENTS }]);
  } finally {
    await admin.end();
  }
  const calls = onPaidByPayment(readOnPaid(recordFile));
  expect([...calls.keys()].sort()).toEqual([...ids].sort());
  // A hook cut off by the crash may run again, always with its one idempotency key.
  expect([...calls.values()].every((c) => c.keys === 1)).toBe(true);
  console.log(
    `hooks: ${deliveredBefore} of ${PAYMENTS} delivered before the crash, all after it; ` +
      `${[...calls.values()].filter((c) => c.calls > 1).length} run twice with the same key`,
  );
  expect(shop.process.ended).toBe(false);
}, 180_000);
