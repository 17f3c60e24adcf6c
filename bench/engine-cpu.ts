// CPU time of the engine alone per paying AAIO callback and per checkout: payments.handle()
// in-process, no HTTP, no framework; onPaid delivered in batches of 50 as under load, and
// checkouts on a provider that answers at once (the hand-written route of the checkout pair
// makes the same provider call as paymount, so the engine's own work is the difference).
// Its figures sit next to the memory-store pairs: the part no adapter can take away.
import { testProvider } from '@paymount/core/testing';
import { benchEngine, cpuPerCall, median, notificationBodies, sendNotification } from './engine-fixture.js';

const quick = process.argv.includes('--quick');
const N = quick ? 6_000 : 60_000;
const BATCH = quick ? 1_000 : 2_000;
const HOOK_BATCH = 50;

const payments = await benchEngine(N);
const bodies = notificationBodies(N);
const perCallback: number[] = [];
for (let start = 0; start < N; start += BATCH) {
  perCallback.push(
    await cpuPerCall(start, start + BATCH, async (i) => {
      await sendNotification(payments, bodies[i]!);
      if (i % HOOK_BATCH === HOOK_BATCH - 1) await payments.deliverHooks();
    }),
  );
}
const status = (await payments.get(`pm_${(N - 1).toString(36).padStart(24, '0')}`))?.status;
await payments.close();
if (status !== 'paid') throw new Error(`engine-cpu: the last payment is ${status}, not paid`);

const shop = await benchEngine(0, true, { aaio: testProvider() });
const perCheckout: number[] = [];
for (let start = 0; start < N; start += BATCH) {
  perCheckout.push(
    await cpuPerCall(start, start + BATCH, async (i) => {
      const answer = await shop.handle({
        method: 'GET',
        path: `/checkout/o-${i}`,
        query: '',
        headers: {},
        ip: '127.0.0.1',
      });
      if (answer?.status !== 303) throw new Error(`engine-cpu: a checkout answered ${answer?.status}`);
    }),
  );
}
await shop.close();
const rounded = (us: number): number => Math.round(us * 10) / 10;
const result = {
  callbacks: N,
  usPerCallback: rounded(median(perCallback)),
  usPerCheckout: rounded(median(perCheckout)),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
