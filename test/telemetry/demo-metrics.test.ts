import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metrics } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExpressShop } from '../../examples/express-shop/src/app.js';
import { launchShop, type RunningShop } from '../../examples/shop-kit/src/launch.js';
import { prometheusMetrics, withObservability } from '../../examples/shop-kit/src/observability.js';

// The demo's wiring, as `npm run demo` starts it: Prometheus text on /metrics through the
// OpenTelemetry Prometheus exporter, and payments.health() on /healthz.

let running: RunningShop;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'paymount-demo-metrics-'));
  const serveMetrics = prometheusMetrics();
  // An empty environment: the sandbox simulators, never real credentials.
  running = await launchShop({
    createApp: withObservability(createExpressShop, serveMetrics),
    port: 0,
    dataDir,
    env: {},
  });
});

afterAll(async () => {
  await running.close();
  metrics.disable();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the demo on /metrics and /healthz', () => {
  it('serves paymount metrics in the Prometheus text format after a checkout', async () => {
    const placed = await fetch(`${running.url}/orders`, {
      method: 'POST',
      body: new URLSearchParams({ productId: 'mug', quantity: '1' }),
      redirect: 'manual',
    });
    const orderPath = placed.headers.get('location')!;
    const orderId = decodeURIComponent(orderPath.split('/').pop()!);
    const checkout = await fetch(`${running.url}/pay/checkout/${encodeURIComponent(orderId)}?provider=aaio`, {
      redirect: 'manual',
    });
    expect(checkout.status).toBe(303);
    const scrape = await fetch(`${running.url}/metrics`);
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(text).toMatch(
      /^paymount_checkouts_total\{paymount_provider="aaio",paymount_outcome="created"[^}]*\} 1$/m,
    );
    expect(text).toMatch(
      /^paymount_provider_request_duration_count\{[^}]*paymount_operation="checkout"[^}]*\} 1$/m,
    );
    expect(text).toMatch(/^paymount_hook_jobs_dead\{[^}]*\} 0$/m);
  });

  it('answers /healthz with the health report', async () => {
    const res = await fetch(`${running.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, store: { reachable: true }, hooks: { dead: 0 } });
  });
});
