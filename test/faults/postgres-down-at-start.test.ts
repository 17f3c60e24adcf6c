// A shop that starts while its PostgreSQL is still down (a cold start of the whole stack,
// the database slower than the app), and the database comes up five seconds later. Until
// then every paymount route answers 503 `store_unavailable` with Retry-After; then the
// store migrates by itself and the shop works, with no restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newPaymentId } from '@paymount/core/store';
import { SCHEMA_VERSION } from '@paymount/postgres';
import { type AaioSimulator, startAaioSimulator } from '@paymount/sandbox';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitForOutput } from '../stores/fixtures/store-child-process.js';
import { createPgCluster, type PgCluster } from '../support/pg-cluster.js';
import {
  type AaioMerchant,
  aaioNotification,
  checkout,
  postNotification,
  type Reply,
  send,
  sleep,
} from './support/http.js';
import { type ShopProcess, startShop } from './support/shop-process.js';

const merchant: AaioMerchant = {
  merchantId: '2f4a6c8e-0b1d-4e3f-9a5b-7c9d1e3f5a7b',
  secret1: 'cold-start-secret-one-0123456789',
  secret2: 'cold-start-secret-two-0123456789',
  apiKey: 'cold-start-api-key-0123456789abcdef',
};

let cluster: PgCluster;
let sim: AaioSimulator;
let shop: ShopProcess;
const dir = mkdtempSync(join(tmpdir(), 'paymount-pg-cold-start-'));

beforeAll(async () => {
  cluster = await createPgCluster({ name: 'cold-start', start: false });
  sim = await startAaioSimulator({ ...merchant, notify: 'never' });
}, 60_000);

afterAll(async () => {
  await shop?.close();
  await sim?.close();
  await cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const isUnavailable = (reply: Reply): boolean =>
  reply.status === 503 && reply.code === 'store_unavailable' && reply.retryAfter === '5';

it('serves 503 store_unavailable while PostgreSQL is down at start-up, then works once it is up', async () => {
  shop = await startShop({
    instance: 'shop',
    secret: 'cold-start-paymount-secret-0123456789',
    pg: { url: cluster.url, schema: 'paymount', max: 5 },
    recordFile: join(dir, 'on-paid.log'),
    aaio: { ...merchant, baseUrl: sim.url },
  });
  const pay = `${shop.url}/pay`;
  const unknownPayment = newPaymentId();

  // Down: a checkout, a status poll, a buyer's return and a (validly signed) notification
  // all say "come back later", and none of them is a 500.
  const upAt = Date.now() + 5_000;
  const whileDown: Reply[] = [];
  while (Date.now() < upAt - 500) {
    whileDown.push(
      await checkout(pay, 'order-cold-1', 'aaio'),
      await send(`${pay}/status/${unknownPayment}`),
      await send(`${pay}/return/${unknownPayment}`),
    );
    await sleep(250);
  }
  const notification = aaioNotification(merchant, {
    orderId: unknownPayment,
    invoiceId: 'f3a1c2d4-0000-4000-8000-000000000001',
    amount: '12.50',
    currency: 'USD',
  });
  const callback = await postNotification(`${pay}/callback/aaio`, notification);
  expect(callback.status).toBe(503);
  expect(callback.text).toMatch(/^store_unavailable: /);
  expect(whileDown.length).toBeGreaterThan(20);
  expect(whileDown.filter((reply) => !isUnavailable(reply))).toEqual([]);

  await sleep(Math.max(0, upAt - Date.now()));
  await cluster.start();
  const started = Date.now();

  // Up: the next checkout migrates the schema and goes through.
  let first = await checkout(pay, 'order-cold-1', 'aaio');
  while (first.status !== 200 && Date.now() - started < 15_000) {
    expect(isUnavailable(first)).toBe(true);
    await sleep(100);
    first = await checkout(pay, 'order-cold-1', 'aaio');
  }
  expect(first.status).toBe(200);
  console.log(
    `cold start: ${whileDown.length} answers of 503 while down; working ${Date.now() - started} ms after start`,
  );

  const paymentId = first.paymentId!;
  await sim.pay(paymentId, { notify: 'never' });
  const paid = await postNotification(
    `${pay}/callback/aaio`,
    aaioNotification(merchant, { ...sim.orders.get(paymentId)!, orderId: paymentId }),
  );
  expect(paid.status).toBe(200);
  await waitForOutput([shop.process], () => shop.paidIds().has(paymentId), 'onPaid for the payment');
  const status = await send(`${pay}/status/${paymentId}`);
  expect(JSON.parse(status.text)).toMatchObject({ paymentId, status: 'paid' });

  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    const migrations = await admin.query('SELECT version FROM paymount.migrations ORDER BY version');
    expect(migrations.rows).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })));
  } finally {
    await admin.end();
  }
  expect(shop.process.ended).toBe(false);
}, 60_000);
