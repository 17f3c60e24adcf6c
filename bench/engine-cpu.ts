// CPU time of the engine alone per paying AAIO callback: payments.handle() in-process, no
// HTTP, no framework, onPaid delivered in batches of 50 as under load. Its figure sits next
// to the memory-store callback pairs: the part of a callback no adapter can take away.
import { benchEngine, median, notificationBodies, sendNotification } from './engine-fixture.js';

const quick = process.argv.includes('--quick');
const N = quick ? 10_000 : 60_000;
const BATCH = 2_000;
const HOOK_BATCH = 50;

const payments = await benchEngine(N);
const bodies = notificationBodies(N);
const perCallback: number[] = [];
for (let start = 0; start < N; start += BATCH) {
  const cpu = process.cpuUsage();
  for (let i = start; i < start + BATCH; i++) {
    await sendNotification(payments, bodies[i]!);
    if (i % HOOK_BATCH === HOOK_BATCH - 1) await payments.deliverHooks();
  }
  const used = process.cpuUsage(cpu);
  perCallback.push((used.user + used.system) / BATCH);
}
const status = (await payments.get(`pm_${(N - 1).toString(36).padStart(24, '0')}`))?.status;
await payments.close();
if (status !== 'paid') throw new Error(`engine-cpu: the last payment is ${status}, not paid`);
process.stdout.write(
  `${JSON.stringify({ callbacks: N, usPerCallback: Math.round(median(perCallback) * 10) / 10 })}\n`,
);
