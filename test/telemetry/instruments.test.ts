import type { Logger } from '@paymount/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeShops, type Shop, startShop } from '../providers/aaio/support.js';
import { metricAttributeValues, points, registerSdk, type TestSdk } from './sdk.js';

// With the OpenTelemetry SDK registered before createPayments, as a shop's start-up does,
// one AAIO payment over real HTTP in AAIO's documented protocol — a checkout, a genuine
// notification, a resent one, a forged one, and hooks that fail until they are dead —
// records every instrument the README lists, with the attributes it lists.

const EMAIL = 'buyer.telemetry@example.test';
const SHOP_SECRET = 'aaio-test-secret-aaio-test-secret-0123';

let sdk: TestSdk;
let shop: Shop;
let paymentId: string;
const lines: Array<{ level: string; obj: Record<string, unknown>; msg: string | undefined }> = [];
const forgedSign = 'f'.repeat(64);

function capturingLogger(): Logger {
  const at =
    (level: string) =>
    (obj: object, msg?: string): void =>
      void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

beforeAll(async () => {
  sdk = registerSdk();
  shop = await startShop({
    payments: {
      logger: capturingLogger(),
      hooks: {
        onPaid: () => {},
        onStatusChange: () => {
          throw new Error('the shop database is down');
        },
      },
      // Retries are due at once: one deliverHooks() runs each job until it is dead.
      hookDelivery: { pollIntervalMs: 0, maxAttempts: 2, baseDelayMs: 0 },
    },
  });
  const { payment } = await shop.checkout('o-telemetry', '150.00', 'RUB', { email: EMAIL });
  paymentId = payment.id;
  const [genuine] = await shop.sim.pay(payment.id);
  expect(genuine).toMatchObject({ status: 200, body: 'OK' });
  expect(await shop.sim.resendNotification(payment.id)).toMatchObject({ status: 200 });
  const { merchantId } = shop.sim.merchant;
  const forged = await shop.notify({
    status: 'success',
    merchant_id: merchantId,
    invoice_id: '9b0f3c1e-1111-4c1e-9a53-3b1f2f0c9e11',
    order_id: payment.id,
    amount: '150.00',
    currency: 'RUB',
    sign: forgedSign,
  });
  expect(forged.status).toBeGreaterThanOrEqual(400);
  await shop.payments.deliverHooks();
  await shop.payments.reconcile();
});

afterAll(async () => {
  await closeShops();
  await sdk.shutdown();
});

describe('OpenTelemetry metrics', () => {
  it('counts the checkout, each callback outcome and each status change', async () => {
    const all = await sdk.collect();
    expect(points(all.get('paymount.checkouts'))).toEqual([
      [{ 'paymount.provider': 'aaio', 'paymount.outcome': 'created' }, 1],
    ]);
    const callbacks = points(all.get('paymount.callbacks'));
    expect(callbacks).toContainEqual([{ 'paymount.provider': 'aaio', 'paymount.outcome': 'accepted' }, 1]);
    expect(callbacks).toContainEqual([{ 'paymount.provider': 'aaio', 'paymount.outcome': 'duplicate' }, 1]);
    expect(callbacks).toContainEqual([
      { 'paymount.provider': 'aaio', 'paymount.outcome': 'refused', 'error.code': 'callback_unauthorized' },
      1,
    ]);
    expect(callbacks).toHaveLength(3);
    expect(points(all.get('paymount.transitions'))).toEqual([
      [{ 'paymount.provider': 'aaio', 'paymount.from': 'created', 'paymount.to': 'pending' }, 1],
      [{ 'paymount.provider': 'aaio', 'paymount.from': 'pending', 'paymount.to': 'paid' }, 1],
    ]);
  });

  it('counts and times hook attempts delivered, failed and dead, and gauges the dead jobs', async () => {
    const all = await sdk.collect();
    const deliveries = points(all.get('paymount.hook.deliveries'));
    expect(deliveries).toContainEqual([{ 'paymount.hook': 'onPaid', 'paymount.outcome': 'delivered' }, 1]);
    // onStatusChange runs for both transitions; each job fails once, then dies.
    expect(deliveries).toContainEqual([
      { 'paymount.hook': 'onStatusChange', 'paymount.outcome': 'failed' },
      2,
    ]);
    expect(deliveries).toContainEqual([{ 'paymount.hook': 'onStatusChange', 'paymount.outcome': 'dead' }, 2]);
    expect(points(all.get('paymount.hook.duration')).map(([a]) => a)).toEqual(deliveries.map(([a]) => a));
    expect(all.get('paymount.hook.duration')?.descriptor.unit).toBe('s');
    expect(points(all.get('paymount.hook.jobs.dead'))).toEqual([[{}, 2]]);
    expect(points(all.get('paymount.hook.jobs.pending'))).toEqual([[{}, 0]]);
    expect(await shop.payments.listHookJobs({ state: 'dead' })).toHaveLength(2);
  });

  it('times each call to the provider API by provider, operation and status', async () => {
    const all = await sdk.collect();
    const metric = all.get('paymount.provider.request.duration');
    expect(metric?.descriptor.unit).toBe('s');
    const calls = points(metric);
    expect(calls).toContainEqual([
      { 'paymount.provider': 'aaio', 'paymount.operation': 'checkout', 'paymount.status': 'ok' },
      1,
    ]);
    // AAIO's notification is confirmed with info-pay before it pays: once, for the genuine one.
    expect(calls).toContainEqual([
      { 'paymount.provider': 'aaio', 'paymount.operation': 'confirm', 'paymount.status': 'ok' },
      1,
    ]);
    // Checking a callback's signature is not an API call: not timed here.
    expect(calls.map(([a]) => a['paymount.operation'])).not.toContain('verify');
  });
});

describe('OpenTelemetry spans', () => {
  it('has a span per request with route, provider and outcome code', () => {
    const requests = sdk.finishedSpans().filter((s) => s.name === 'paymount.request');
    const described = requests.map((s) => [
      s.attributes['paymount.route'],
      s.attributes['paymount.provider'],
      s.attributes['paymount.outcome'],
      s.attributes['http.response.status_code'],
    ]);
    expect(described).toContainEqual(['checkout', 'none', 'ok', 200]);
    expect(described.filter(([route, , code]) => route === 'callback' && code === 'ok')).toHaveLength(2);
    const forged = requests.find((s) => s.attributes['paymount.outcome'] === 'callback_unauthorized');
    expect(forged?.attributes['paymount.provider']).toBe('aaio');
  });

  it('has a provider call span with an HTTP child span, and the status the provider answered', () => {
    const spans = sdk.finishedSpans();
    const calls = spans.filter((s) => s.name === 'paymount.provider.call');
    const checkout = calls.find((s) => s.attributes['paymount.operation'] === 'checkout');
    expect(checkout?.attributes).toMatchObject({ 'paymount.provider': 'aaio', 'paymount.status': 'ok' });
    const http = spans.filter((s) => s.parentSpanContext?.spanId === checkout?.spanContext().spanId);
    expect(http.map((s) => s.name)).toEqual(['paymount.provider.http']);
    expect(http[0]?.attributes).toEqual({
      'paymount.provider': 'aaio',
      'paymount.operation': 'checkout',
      'http.request.method': 'POST',
      'http.response.status_code': 200,
    });
    const forgedVerify = calls.find((s) => s.attributes['paymount.status'] === 'callback_unauthorized');
    expect(forgedVerify?.attributes['paymount.operation']).toBe('verify');
    expect(forgedVerify?.status.message).toBe('callback_unauthorized');
  });

  it('has a span per hook run with hook, attempt and outcome, and one per reconcile round', () => {
    const hooks = sdk
      .finishedSpans()
      .filter((s) => s.name === 'paymount.hook')
      .map((s) => [
        s.attributes['paymount.hook'],
        s.attributes['paymount.attempt'],
        s.attributes['paymount.outcome'],
      ]);
    expect(hooks).toContainEqual(['onPaid', 1, 'delivered']);
    expect(hooks.filter((h) => h[0] === 'onStatusChange').sort()).toEqual([
      ['onStatusChange', 1, 'failed'],
      ['onStatusChange', 1, 'failed'],
      ['onStatusChange', 2, 'dead'],
      ['onStatusChange', 2, 'dead'],
    ]);
    const rounds = sdk.finishedSpans().filter((s) => s.name === 'paymount.reconcile');
    expect(rounds.length).toBeGreaterThanOrEqual(1);
    expect(rounds[0]?.attributes).toMatchObject({ 'paymount.errors': 0 });
  });

  it('puts the trace and span ids on log lines written inside a span', () => {
    const refused = lines.find(
      (l) => l.obj['code'] === 'callback_unauthorized' && l.obj['route'] === 'callback',
    );
    const request = sdk
      .finishedSpans()
      .find(
        (s) => s.attributes['paymount.outcome'] === 'callback_unauthorized' && s.name === 'paymount.request',
      );
    expect(refused?.obj['trace_id']).toBe(request?.spanContext().traceId);
    expect(refused?.obj['span_id']).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('no secret in telemetry', () => {
  it('no secret, signature, callback query or buyer e-mail in any span or metric attribute', async () => {
    const { merchant } = shop.sim;
    const genuineSign = shop.sim.notifications[0]?.fields['sign'];
    expect(genuineSign).toMatch(/^[0-9a-f]{64}$/);
    const secrets = [
      SHOP_SECRET,
      merchant.secret1,
      merchant.secret2,
      merchant.apiKey,
      genuineSign!,
      forgedSign,
      EMAIL,
    ];
    const texts: string[] = [];
    for (const span of sdk.finishedSpans()) {
      texts.push(span.name, JSON.stringify(span.attributes), span.status.message ?? '');
      for (const event of span.events) texts.push(event.name, JSON.stringify(event.attributes ?? {}));
    }
    const all = await sdk.collect();
    texts.push(...metricAttributeValues(all).map(String));
    for (const metric of all.values()) texts.push(JSON.stringify(metric.dataPoints.map((p) => p.attributes)));
    expect(texts.length).toBeGreaterThan(50);
    const blob = texts.join('\n');
    for (const secret of secrets) expect(blob).not.toContain(secret);
    // No URL, query, header or e-mail of any kind: attribute values are names, codes and numbers.
    expect(blob).not.toMatch(/https?:|\?|@|sig=|x-api-key/i);
    expect(blob).not.toContain(paymentId);
  });
});
