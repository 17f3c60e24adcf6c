// CPU time per paying AAIO callback, in one process, two engines side by side in alternating
// batches of 2 000 (through payments.handle(), no HTTP): `telemetry: false` against telemetry
// on. Without `--sdk` no SDK is registered (what a shop that never set OpenTelemetry up pays);
// with `--sdk` an SDK records every span and metric. CPU time, not wall time, so a loaded
// machine blurs it less than the req/s pairs.
//   node_modules/.bin/tsx bench/telemetry-cpu.ts [--sdk]
import { aaio } from '@paymount/aaio';
import { createPayments, memoryStore, type Payments } from '@paymount/core';
import { AAIO_SHOP, aaioNotificationBody, pendingPayment } from './servers/aaio-fixture.js';

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
async function engine(telemetry: boolean): Promise<Payments> {
  const store = memoryStore();
  for (let i = 0; i < N; i++) await store.createOrReuse(pendingPayment(i), Date.now() + 86_400_000);
  return createPayments({
    telemetry,
    logger: false,
    publicUrl: 'http://127.0.0.1/pay',
    secret: 'bench-secret-bench-secret-bench-secret',
    store,
    providers: { aaio: aaio({ ...AAIO_SHOP, baseUrl: 'http://127.0.0.1:9', confirmWithInfoPay: false }) },
    loadOrder: async () => ({ amount: '100.00', currency: 'RUB' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hooks: { onPaid: () => {} },
    hookDelivery: { pollIntervalMs: 0 },
  });
}
const a = await engine(false);
const b = await engine(true);
const bodies = Array.from({ length: N }, (_, i) => new TextEncoder().encode(aaioNotificationBody(i)));
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
    const start = process.cpuUsage();
    for (let k = 0; k < BATCH; k++) {
      const i = round * BATCH + k;
      await p.handle({
        method: 'POST',
        path: '/callback/aaio',
        query: '',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: bodies[i]!,
        ip: '127.0.0.1',
      });
    }
    await p.deliverHooks();
    const used = process.cpuUsage(start);
    cpu[label].push((used.user + used.system) / BATCH);
  }
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
console.log(
  JSON.stringify({
    sdk: withSdk,
    offUsPerCallback: median(cpu.off.slice(2)),
    onUsPerCallback: median(cpu.on.slice(2)),
    paid: (await b.get(pendingPayment(N - 1).id))?.status,
  }),
);
await a.close();
await b.close();
