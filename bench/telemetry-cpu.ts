// CPU time per paying AAIO callback, in one process, two engines side by side in alternating
// batches of 2 000 (through payments.handle(), no HTTP): `telemetry: false` against telemetry
// on. Without `--sdk` no SDK is registered (what a shop that never set OpenTelemetry up pays);
// with `--sdk` an SDK records every span and metric. CPU time, not wall time, so a loaded
// machine blurs it less than the req/s pairs.
//   node_modules/.bin/tsx bench/telemetry-cpu.ts [--sdk]
import type { Payments } from '@paymount/core';
import { benchEngine, cpuPerCall, median, notificationBodies, sendNotification } from './engine-fixture.js';
import { pendingPayment } from './servers/aaio-fixture.js';

const withSdk = process.argv.includes('--sdk');
if (withSdk) {
  const { context, metrics, trace } = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { BasicTracerProvider } = await import('@opentelemetry/sdk-trace-base');
  const { MeterProvider, MetricReader } = await import('@opentelemetry/sdk-metrics');
  class Reader extends MetricReader {
    protected override async onShutdown(): Promise<void> {}
    protected override async onForceFlush(): Promise<void> {}
  }
  const drop = { onStart: () => {}, onEnd: () => {}, forceFlush: async () => {}, shutdown: async () => {} };
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [drop] }));
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new Reader()] }));
}
/** Payments, each paid by one callback. */
const N = 40_000;
const a = await benchEngine(N, false);
const b = await benchEngine(N, true);
const bodies = notificationBodies(N);
const cpu: Record<'off' | 'on', number[]> = { off: [], on: [] };
const BATCH = 2_000;
for (let round = 0; round < N / BATCH; round++) {
  for (const [label, p] of (round % 2
    ? [
        ['on', b],
        ['off', a],
      ]
    : [
        ['off', a],
        ['on', b],
      ]) as Array<['off' | 'on', Payments]>) {
    const from = round * BATCH;
    cpu[label].push(
      await cpuPerCall(from, from + BATCH, async (i) => {
        await sendNotification(p, bodies[i]!);
        // The batch's hooks are delivered at its end, inside the measure.
        if (i === from + BATCH - 1) await p.deliverHooks();
      }),
    );
  }
}
console.log(
  JSON.stringify({
    sdk: withSdk,
    offUsPerCallback: median(cpu.off),
    onUsPerCallback: median(cpu.on),
    paid: (await b.get(pendingPayment(N - 1).id))?.status,
  }),
);
await a.close();
await b.close();
