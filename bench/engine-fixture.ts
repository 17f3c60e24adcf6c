// One engine on the memory store with N pending AAIO payments, as the in-process measures use
// it: no HTTP, the callbacks go straight to payments.handle().
import { aaio } from '@paymount/aaio';
import { createPayments, memoryStore, type PaymentProvider, type Payments } from '@paymount/core';
import { AAIO_SHOP, aaioNotificationBody, pendingPayment } from './servers/aaio-fixture.js';

/**
 * An engine like the callback server's (journal on, onPaid a no-op), hooks delivered on
 * demand; `providers` replaces its AAIO (the checkout measure uses a provider that costs nothing).
 */
export async function benchEngine(
  payments: number,
  telemetry = true,
  providers?: Record<string, PaymentProvider>,
): Promise<Payments> {
  const store = memoryStore();
  for (let i = 0; i < payments; i++) await store.createOrReuse(pendingPayment(i), Date.now() + 86_400_000);
  return createPayments({
    telemetry,
    logger: false,
    publicUrl: 'http://127.0.0.1/pay',
    secret: 'bench-secret-bench-secret-bench-secret',
    store,
    providers: providers ?? {
      aaio: aaio({ ...AAIO_SHOP, baseUrl: 'http://127.0.0.1:9', confirmWithInfoPay: false }),
    },
    loadOrder: async () => ({ amount: '100.00', currency: 'RUB' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hooks: { onPaid: () => {} },
    hookDelivery: { pollIntervalMs: 0 },
  });
}

/** The notification bodies, encoded once, so encoding is not measured. */
export function notificationBodies(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => new TextEncoder().encode(aaioNotificationBody(i)));
}

/** Sends one notification to the engine, as an adapter would hand it over. */
export function sendNotification(payments: Payments, body: Uint8Array): Promise<unknown> {
  return payments.handle({
    method: 'POST',
    path: '/callback/aaio',
    query: '',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    ip: '127.0.0.1',
  });
}

/** The median of the figures, the first `skip` (warm-up) left out. */
export function median(figures: readonly number[], skip = 2): number {
  const sorted = figures.slice(skip).sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Runs `call(i)` for `from ≤ i < to`, one after another, and returns the CPU time per call in µs. */
export async function cpuPerCall(
  from: number,
  to: number,
  call: (i: number) => Promise<void>,
): Promise<number> {
  const cpu = process.cpuUsage();
  for (let i = from; i < to; i++) await call(i);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / (to - from);
}
