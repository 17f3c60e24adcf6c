// `npx tsx bench/round-trips.ts`: the store calls one paying AAIO callback costs, by method,
// on each store, counted by a wrapper around the store (the bench's callback set-up, one
// callback at a time, its onPaid hook delivered). On PostgreSQL each call is one round trip
// to the server; on SQLite each write call is one statement group inside a shared commit.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aaio } from '@paymount/aaio';
import { createPayments, memoryStore, type PaymentStore } from '@paymount/core';
import { paymount } from '@paymount/express';
import express from 'express5';
import { AAIO_SHOP, aaioNotificationBody, pendingPayment } from './servers/aaio-fixture.js';

const CALLBACKS = 200;

/** The store, counting every call by method name into `counts`. */
function counting(store: PaymentStore, counts: Map<string, number>): PaymentStore {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      return (...args: unknown[]) => {
        counts.set(name, (counts.get(name) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
}

async function measure(open: () => Promise<PaymentStore>): Promise<Record<string, number>> {
  const store = await open();
  for (let i = 0; i < CALLBACKS; i++) await store.createOrReuse(pendingPayment(i), Date.now() + 86_400_000);
  const counts = new Map<string, number>();
  const payments = createPayments({
    publicUrl: 'http://127.0.0.1/pay',
    secret: 'bench-secret-bench-secret-bench-secret',
    store: counting(store, counts),
    providers: { aaio: aaio({ ...AAIO_SHOP, baseUrl: 'http://127.0.0.1:9', confirmWithInfoPay: false }) },
    loadOrder: async () => ({ amount: '100.00', currency: 'RUB' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hooks: { onPaid: () => {} },
    hookDelivery: { pollIntervalMs: 0 },
  });
  const app = express();
  app.use('/pay', paymount(payments));
  const server = createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pay/callback/aaio`;
  for (let i = 0; i < CALLBACKS; i++) {
    const reply = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: aaioNotificationBody(i),
    });
    if (reply.status !== 200) throw new Error(`callback ${i}: ${reply.status} ${await reply.text()}`);
    // The hook worker's round, one per callback as on a server that is not saturated.
    await payments.deliverHooks();
  }
  server.close();
  await payments.close();
  await store.close();
  const perCallback: Record<string, number> = {};
  let total = 0;
  for (const [name, n] of [...counts].sort()) {
    if (name === 'close') continue;
    perCallback[name] = Number((n / CALLBACKS).toFixed(2));
    total += n;
  }
  perCallback['total'] = Number((total / CALLBACKS).toFixed(2));
  return perCallback;
}

const results: Record<string, Record<string, number>> = {};
results['memory'] = await measure(async () => memoryStore());
const { sqliteStore } = await import('@paymount/sqlite');
results['sqlite'] = await measure(async () => sqliteStore({ path: ':memory:' }));
const pgUrl = process.env.PAYMOUNT_TEST_PG_URL;
if (pgUrl) {
  const { postgresStore } = await import('@paymount/postgres');
  const schema = `bench_trips_${Date.now().toString(36)}`;
  results['postgres'] = await measure(async () => postgresStore({ connectionString: pgUrl, schema }));
}
console.log(JSON.stringify(results, null, 2));
