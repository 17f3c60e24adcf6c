// Heap per payment in the memory store, and heap growth over repeated callbacks on a fixed set.
// Run with --expose-gc (bench/run.ts does).
import { createPayments, memoryStore } from '@paymount/core';
import { testProvider } from '@paymount/core/testing';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

function engine() {
  return createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: 'bench-secret-bench-secret-bench-secret',
    store: memoryStore(),
    providers: { test: testProvider() },
    loadOrder: async () => ({ amount: '10.00', currency: 'USD', description: 'Bench order' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hooks: { onPaid: () => {} },
    hookDelivery: { pollIntervalMs: 0 },
  });
}

// --quick (from `npm run bench -- --quick`): fewer repeated callbacks. The payments stay
// 100 000: with fewer, the store's fixed overhead would weigh on the bytes per payment.
const quick = process.argv.includes('--quick');
const PAYMENTS = 100_000;
const many = engine();
const before = heap();
for (let i = 0; i < PAYMENTS; i++) await many.checkout({ orderId: `mem-${i}` });
const bytesPerPayment = Math.round((heap() - before) / PAYMENTS);
await many.close();

const FIXED = 100;
const CALLBACKS = quick ? 40_000 : 100_000;
const fixed = engine();
const ids: string[] = [];
for (let i = 0; i < FIXED; i++) ids.push((await fixed.checkout({ orderId: `fixed-${i}` })).payment.id);
const headers = { 'content-type': 'application/json', 'x-test-token': 'test-provider-token' };
const send = async (n: number): Promise<void> => {
  const body = JSON.stringify({
    paymentId: ids[n % FIXED],
    status: 'paid',
    amount: '10.00',
    currency: 'USD',
  });
  const response = await fixed.handle({ method: 'POST', path: '/callback/test', headers, body });
  if (response?.status !== 200) throw new Error(`callback answered ${response?.status}`);
};
// The first round pays every payment and fills caches; growth is measured after it.
for (let n = 0; n < 10_000; n++) await send(n);
await fixed.deliverHooks();
const start = heap();
for (let n = 10_000; n < CALLBACKS; n++) await send(n);
await fixed.deliverHooks();
const growthBytes = heap() - start;
await fixed.close();

process.stdout.write(
  `${JSON.stringify({ payments: PAYMENTS, bytesPerPayment, fixedSet: FIXED, callbacks: CALLBACKS, growthBytes, flat: growthBytes < 1_048_576 })}\n`,
);
