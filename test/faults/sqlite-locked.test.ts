// The shop's SQLite file held locked by another process (BEGIN EXCLUSIVE, never committed)
// for longer than the store's busy timeout. Writes must fail with the retryable
// `store_unavailable` (503 over HTTP, so AAIO's merchant or the buyer retries), reads
// must keep working, and once the other process is gone (SIGKILLed with its transaction
// open) the file is intact and everything goes through.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aaio } from '@paymount/aaio';
import { createPayments, type Payments } from '@paymount/core';
import { paymount } from '@paymount/express';
import { type AaioSimulator, startAaioSimulator } from '@paymount/sandbox';
import { type SqliteStore, sqliteStore } from '@paymount/sqlite';
import express from 'express5';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFixture } from '../stores/fixtures/store-child-process.js';
import { type AaioMerchant, aaioNotification, checkout, postNotification, send } from './support/http.js';

const merchant: AaioMerchant = {
  merchantId: '7e9a1b3c-5d7f-4e91-a3b5-c7d9e1f3a5b7',
  secret1: 'sqlite-lock-secret-one-0123456789',
  secret2: 'sqlite-lock-secret-two-0123456789',
  apiKey: 'sqlite-lock-api-key-0123456789abcdef',
};

const dir = mkdtempSync(join(tmpdir(), 'paymount-sqlite-locked-'));
const path = join(dir, 'payments.sqlite');
const recordFile = join(dir, 'on-paid.log');
let sim: AaioSimulator;
let store: SqliteStore;
let payments: Payments;
let server: Server;
let pay: string;

beforeAll(async () => {
  sim = await startAaioSimulator({ ...merchant, notify: 'never' });
  store = sqliteStore({ path, busyTimeoutMs: 250 });
  const app = express();
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  pay = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pay`;
  payments = createPayments({
    publicUrl: pay,
    secret: 'sqlite-lock-paymount-secret-0123456789',
    store,
    providers: { aaio: aaio({ ...merchant, baseUrl: sim.url }) },
    loadOrder: async () => ({ amount: '12.50', currency: 'USD' }),
    returnUrls: { success: '/thanks', pending: '/wait', failure: '/failed' },
    hooks: {
      onPaid: (payment, { idempotencyKey }) =>
        appendFileSync(recordFile, `${payment.id} ${idempotencyKey}\n`),
    },
    // Hooks run when the test says so, not in the background while the file is locked.
    hookDelivery: { pollIntervalMs: 0 },
  });
  app.use('/pay', paymount(payments));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await payments?.close();
  await store?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function paidAtAaio(orderId: string): Promise<{ paymentId: string; fields: Record<string, string> }> {
  const reply = await checkout(pay, orderId, 'aaio');
  expect(reply.status).toBe(200);
  const paymentId = reply.paymentId!;
  await sim.pay(paymentId, { notify: 'never' });
  return {
    paymentId,
    fields: aaioNotification(merchant, { ...sim.orders.get(paymentId)!, orderId: paymentId }),
  };
}

it('answers 503 store_unavailable while another process holds the lock, and loses nothing', async () => {
  const before = await paidAtAaio('order-before');
  expect((await postNotification(`${pay}/callback/aaio`, before.fields)).status).toBe(200);
  const during = await paidAtAaio('order-during');

  const locker = startFixture('../../faults/fixtures/sqlite-locker.ts', { PAYMOUNT_LOCKER_PATH: path });
  try {
    await locker.waitForLine((line) => line === 'locked', 'the lock taken');

    // Writes wait out the busy timeout, then say "come back later", with the cause named.
    const callback = await postNotification(`${pay}/callback/aaio`, during.fields);
    expect(callback.status, `${callback.text}; holder ended: ${locker.ended} ${locker.stderr()}`).toBe(503);
    expect(callback.text).toMatch(/^store_unavailable: /);
    const blockedCheckout = await checkout(pay, 'order-blocked', 'aaio');
    expect(blockedCheckout).toMatchObject({ status: 503, code: 'store_unavailable', retryAfter: '5' });
    const direct = await payments.applyEvent(during.paymentId, { status: 'paid' }).catch((e: unknown) => e);
    expect(direct).toMatchObject({
      code: 'store_unavailable',
      retryable: true,
      message: expect.stringMatching(/locked by another connection: database is locked/),
    });
    // Reads still work (WAL): a waiting page keeps showing the payment.
    const status = await send(`${pay}/status/${before.paymentId}`);
    expect(status.status).toBe(200);
    expect(JSON.parse(status.text)).toMatchObject({ status: 'paid' });
    expect(locker.ended, `the lock holder ended early: ${locker.stderr()}`).toBe(false);
  } finally {
    locker.child.kill('SIGKILL');
    await locker.exited;
  }

  // The holder is gone with its transaction open: the same requests now go through.
  const retried = await postNotification(`${pay}/callback/aaio`, during.fields);
  expect(retried).toMatchObject({ status: 200, text: 'OK' });
  expect((await checkout(pay, 'order-blocked', 'aaio')).status).toBe(200);
  await payments.deliverHooks();

  // The file is sound, the other process's uncommitted change is gone, and ours are all there.
  expect(store.database.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  const probe = store.database.prepare("SELECT name FROM sqlite_master WHERE name = 'locker_probe'").all();
  expect(probe).toEqual([]);
  const rows = store.database
    .prepare('SELECT order_id, status FROM paymount_payments ORDER BY order_id')
    .all() as { order_id: string; status: string }[];
  expect(rows).toEqual([
    { order_id: 'order-before', status: 'paid' },
    { order_id: 'order-blocked', status: 'pending' },
    { order_id: 'order-during', status: 'paid' },
  ]);
  const onPaid = readFileSync(recordFile, 'utf8').trim().split('\n').sort();
  expect(onPaid).toEqual([before.paymentId, during.paymentId].map((id) => `${id} ${id}:paid:onPaid`).sort());
});
