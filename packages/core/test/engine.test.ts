import { afterEach, describe, expect, it } from 'vitest';
import {
  createPayments,
  type HookContext,
  memoryStore,
  type Payment,
  type PaymentProvider,
  type PaymentStore,
  PaymentsError,
  type PaymentsOptions,
  type PaymentsRequest,
  type ProviderEvent,
} from '../src/index.js';
import { type TestProvider, testProvider } from '../src/testing.js';

const SECRET = 'engine-secret-engine-secret-engine-secret';
const opened: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((p) => p.close()));
});

interface Shop {
  payments: ReturnType<typeof createPayments>;
  provider: TestProvider;
  store: PaymentStore;
  orders: Map<string, { amount?: string; currency: string; amountMinor?: number } | unknown>;
  logs: unknown[];
}

function shop(overrides: Partial<PaymentsOptions> = {}): Shop {
  const provider = testProvider();
  const store = memoryStore();
  const orders = new Map<string, unknown>([
    ['o-1', { amount: '10.00', currency: 'USD', description: 'Tea' }],
  ]);
  const logs: unknown[] = [];
  const log = (level: string) => (obj: object, msg?: string) => void logs.push({ level, obj, msg });
  const payments = createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: SECRET,
    store,
    providers: { test: provider },
    loadOrder: async (orderId) => (orders.get(orderId) as never) ?? null,
    returnUrls: {
      success: '/orders/{orderId}/thanks',
      pending: '/orders/{orderId}',
      failure: '/orders/{orderId}/failed',
    },
    hookDelivery: { pollIntervalMs: 0, baseDelayMs: 0 },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    ...overrides,
  });
  opened.push(payments);
  return { payments, provider, store, orders, logs };
}

function request(method: string, path: string, extra: Partial<PaymentsRequest> = {}): PaymentsRequest {
  return { method, path, headers: {}, ...extra };
}

describe('checkout', () => {
  it('creates a pending payment with the amount from loadOrder and redirects to the pay page', async () => {
    const { payments } = shop();
    const outcome = await payments.checkout({ orderId: 'o-1' });
    expect(outcome.payment).toMatchObject({
      orderId: 'o-1',
      amount: '10.00',
      currency: 'USD',
      status: 'pending',
    });
    expect(outcome.redirectUrl).toBe(`https://pay.example.test/${outcome.payment.id}`);
    const response = await payments.handle(request('GET', '/checkout/o-1'));
    expect(response?.status).toBe(303);
    expect(response?.headers['location']).toBe(outcome.redirectUrl);
  });

  it('reuses the live payment for double clicks, also when they race', async () => {
    const { payments, provider } = shop();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => payments.checkout({ orderId: 'o-1' })),
    );
    expect(new Set(outcomes.map((o) => o.payment.id)).size).toBe(1);
    expect(provider.checkoutCalls).toBe(1);
  });

  it('never charges an already paid order: it redirects to the success page', async () => {
    const { payments, provider } = shop();
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    await payments.applyEvent(payment.id, { status: 'paid', amount: '10.00', currency: 'USD' });
    const again = await payments.checkout({ orderId: 'o-1' });
    expect(again).toMatchObject({
      alreadyPaid: true,
      payUrl: null,
      redirectUrl: 'https://shop.example/orders/o-1/thanks',
    });
    expect(provider.checkoutCalls).toBe(1);
  });

  it('replaces a pending payment whose order amount changed, instead of reusing its pay page', async () => {
    const { payments, orders } = shop();
    const first = await payments.checkout({ orderId: 'o-1' });
    orders.set('o-1', { amount: '12.00', currency: 'USD' });
    const second = await payments.checkout({ orderId: 'o-1' });
    expect(second.payment.id).not.toBe(first.payment.id);
    expect(second.payment.amount).toBe('12.00');
    expect((await payments.get(first.payment.id))?.status).toBe('failed');
  });

  it('keeps the payment when the provider fails, and a retry resumes the same payment', async () => {
    const { payments, provider } = shop();
    provider.failCheckouts(new PaymentsError('provider_unavailable', 'test is down'));
    const failed = await payments.handle(
      request('GET', '/checkout/o-1', { headers: { accept: 'application/json' } }),
    );
    expect(failed?.status).toBe(503);
    expect(JSON.parse(failed!.body)).toEqual({
      error: { code: 'provider_unavailable', message: 'test is down' },
    });
    const [kept] = await payments.findByOrder('o-1');
    expect(kept?.status).toBe('created');
    provider.failCheckouts(null);
    const retried = await payments.checkout({ orderId: 'o-1' });
    expect(retried.payment.id).toBe(kept?.id);
    expect(retried.payment.status).toBe('pending');
  });

  it('answers JSON when asked for it', async () => {
    const { payments } = shop();
    const response = await payments.handle(
      request('POST', '/checkout/o-1', { headers: { accept: 'application/json' } }),
    );
    expect(response?.status).toBe(200);
    const body = JSON.parse(response!.body);
    expect(body).toMatchObject({ status: 'pending', payUrl: `https://pay.example.test/${body.paymentId}` });
  });

  it('answers clear 4xx errors for bad order ids, unknown orders and unknown providers', async () => {
    const { payments } = shop();
    const cases: Array<[string, number, string]> = [
      ['/checkout/%00bad', 400, 'invalid_order_id'],
      [`/checkout/${'x'.repeat(65)}`, 400, 'invalid_order_id'],
      ['/checkout/missing', 404, 'order_not_found'],
      ['/checkout/o-1?provider=stripe', 400, 'unknown_provider'],
    ];
    for (const [url, status, code] of cases) {
      const [path, query] = url.split('?');
      const response = await payments.handle(request('GET', path!, { query: query ?? '' }));
      expect([response?.status, JSON.parse(response!.body).error.code], url).toEqual([status, code]);
    }
    expect(await payments.findByOrder('missing')).toEqual([]);
  });

  it('refuses an order whose loadOrder gives an inexact float amount, without exposing internals', async () => {
    const { payments, orders, logs } = shop();
    orders.set('float', { amount: 0.1 + 0.2, currency: 'USD' });
    const response = await payments.handle(request('GET', '/checkout/float'));
    expect(response?.status).toBe(500);
    expect(JSON.parse(response!.body).error.code).toBe('order_invalid');
    expect(await payments.findByOrder('float')).toEqual([]);
    expect(JSON.stringify(logs)).toContain('0.30000000000000004 (a JS number)');
  });

  it('accepts integer minor units from loadOrder', async () => {
    const { payments, orders } = shop();
    orders.set('minor', { amountMinor: 1999, currency: 'EUR' });
    expect((await payments.checkout({ orderId: 'minor' })).payment.amount).toBe('19.99');
  });
});

describe('return and status', () => {
  it('redirects the returning buyer by state, checking the provider once if still pending', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    const { payments, provider } = shop({ now: () => new Date(now) });
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    let response = await payments.handle(request('GET', `/return/${payment.id}`));
    expect(response?.headers['location']).toBe('https://shop.example/orders/o-1');
    provider.setStatus(payment.id, { status: 'paid', amount: '10.00', currency: 'USD' });
    now += 2_000;
    response = await payments.handle(request('GET', `/return/${payment.id}`));
    expect(response?.status).toBe(303);
    expect(response?.headers['location']).toBe('https://shop.example/orders/o-1/thanks');
    expect((await payments.get(payment.id))?.status).toBe('paid');
  });

  it('serves JSON status without internals, and 404 for unknown ids', async () => {
    const { payments } = shop();
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    const response = await payments.handle(request('GET', `/status/${payment.id}`));
    expect(JSON.parse(response!.body)).toEqual({
      paymentId: payment.id,
      orderId: 'o-1',
      provider: 'test',
      status: 'pending',
      amount: '10.00',
      currency: 'USD',
      paidAt: null,
      updatedAt: payment.updatedAt,
    });
    const missing = await payments.handle(request('GET', '/status/pm_aaaaaaaaaaaaaaaaaaaaaaaa'));
    expect(missing?.status).toBe(404);
    expect((await payments.handle(request('GET', '/return/not-an-id')))?.status).toBe(404);
  });
});

describe('routing', () => {
  it("returns nothing for paths that are not paymount's", async () => {
    const { payments } = shop();
    for (const path of [
      '/',
      '/hello',
      '/checkout',
      '/checkout/',
      '/status/a/b',
      '/pay/checkout/o-1',
      '/callbacks/test',
    ]) {
      expect(await payments.handle(request('GET', path)), path).toBeUndefined();
    }
  });

  it('answers OPTIONS, HEAD and wrong methods', async () => {
    const { payments } = shop();
    const options = await payments.handle(request('OPTIONS', '/checkout/o-1'));
    expect([options?.status, options?.headers['allow']]).toEqual([204, 'GET, POST, OPTIONS']);
    const wrong = await payments.handle(request('DELETE', '/status/pm_aaaaaaaaaaaaaaaaaaaaaaaa'));
    expect([wrong?.status, wrong?.headers['allow'], JSON.parse(wrong!.body).error.code]).toEqual([
      405,
      'GET, HEAD, OPTIONS',
      'method_not_allowed',
    ]);
    const headCheckout = await payments.handle(request('HEAD', '/checkout/o-1'));
    expect(headCheckout?.status).toBe(405);
    expect(await payments.findByOrder('o-1')).toEqual([]);
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    const head = await payments.handle(request('HEAD', `/status/${payment.id}`));
    expect([head?.status, head?.body]).toEqual([200, '']);
  });
});

describe('callbacks', () => {
  it('applies a verified callback and answers as the provider expects; refuses a forged one', async () => {
    const paid: string[] = [];
    const { payments } = shop({ hooks: { onPaid: (p) => void paid.push(p.id) } });
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    const body = JSON.stringify({ paymentId: payment.id, status: 'paid', amount: '10', currency: 'USD' });
    const forged = await payments.handle(
      request('POST', '/callback/test', {
        headers: { 'content-type': 'application/json', 'x-test-token': 'nope' },
        body,
      }),
    );
    expect([forged?.status, JSON.parse(forged!.body).error.code]).toEqual([401, 'callback_unauthorized']);
    expect(await payments.get(payment.id)).toEqual(payment);
    const headers = { 'content-type': 'application/json', 'x-test-token': 'test-provider-token' };
    const ok = await payments.handle(
      request('POST', '/callback/test', { headers, body: new TextEncoder().encode(body) }),
    );
    expect([ok?.status, ok?.body]).toEqual([200, 'OK']);
    const again = await payments.handle(request('POST', '/callback/test', { headers, body }));
    expect(again?.status).toBe(200);
    await payments.deliverHooks();
    expect(paid).toEqual([payment.id]);
    expect((await payments.handle(request('POST', '/callback/nobody', { headers, body })))?.status).toBe(404);
  });

  it('reads url-encoded, multipart and pre-parsed callback bodies', async () => {
    const { payments } = shop();
    const headers = { 'x-test-token': 'test-provider-token' };
    const a = (await payments.checkout({ orderId: 'o-1' })).payment;
    const form = await payments.handle(
      request('POST', '/callback/test', {
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: `paymentId=${a.id}&status=expired`,
      }),
    );
    expect(form?.status).toBe(200);
    expect((await payments.get(a.id))?.status).toBe('expired');
    const boundary = 'XyZ';
    const multipart = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="paymentId"',
      '',
      a.id,
      `--${boundary}`,
      'Content-Disposition: form-data; name="status"',
      '',
      'paid',
      `--${boundary}`,
      'Content-Disposition: form-data; name="amount"',
      '',
      '10.00',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const mp = await payments.handle(
      request('POST', '/callback/test', {
        headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: multipart,
      }),
    );
    expect(mp?.status).toBe(200);
    expect((await payments.get(a.id))?.status).toBe('paid');
    const garbage = await payments.handle(
      request('POST', '/callback/test', {
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{"paymentId":',
      }),
    );
    expect([garbage?.status, JSON.parse(garbage!.body).error.code]).toEqual([400, 'callback_invalid']);
    const gone = await payments.handle(request('POST', '/callback/test', { headers, bodyUnavailable: true }));
    expect([gone?.status, JSON.parse(gone!.body).error.message]).toEqual([
      500,
      'The request body was consumed before paymount could read it: mount paymount before any body parser.',
    ]);
  });
});

describe('hooks outbox', () => {
  it('retries a failing hook with the same idempotency key until it succeeds, exactly once', async () => {
    const seen: HookContext[] = [];
    let failures = 3;
    const { payments } = shop({
      hooks: {
        onPaid: (_p: Payment, ctx: HookContext) => {
          seen.push(ctx);
          if (failures-- > 0) throw new Error('shop database is down');
        },
      },
    });
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    await payments.applyEvent(payment.id, { status: 'paid', amount: '10.00', currency: 'USD' });
    for (let i = 0; i < 6; i++) await payments.deliverHooks();
    expect(seen.map((c) => c.attempt)).toEqual([1, 2, 3, 4]);
    expect(new Set(seen.map((c) => c.idempotencyKey))).toEqual(new Set([`${payment.id}:paid:onPaid`]));
    expect(await payments.listHookJobs({ state: 'done' })).toHaveLength(1);
  });

  it('dead-letters a hook after the attempt limit, and replays it on request', async () => {
    let healthy = false;
    const calls: number[] = [];
    const { payments } = shop({
      hookDelivery: { pollIntervalMs: 0, baseDelayMs: 0, maxAttempts: 3 },
      hooks: {
        onExpired: (_p, ctx) => {
          calls.push(ctx.attempt);
          if (!healthy) throw new Error('nope');
        },
      },
    });
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    await payments.applyEvent(payment.id, { status: 'expired' });
    for (let i = 0; i < 5; i++) await payments.deliverHooks();
    const [dead] = await payments.listHookJobs({ state: 'dead' });
    expect([dead?.id, dead?.attempts, dead?.lastError]).toEqual([
      `${payment.id}:expired:onExpired`,
      3,
      'nope',
    ]);
    healthy = true;
    expect(await payments.replayHook(dead!.id)).toBe(true);
    await payments.deliverHooks();
    expect(calls).toEqual([1, 2, 3, 1]);
    expect(await payments.listHookJobs({ state: 'dead' })).toEqual([]);
  });

  it('counts a hung hook as failed after its timeout', async () => {
    const { payments } = shop({
      hookDelivery: { pollIntervalMs: 0, baseDelayMs: 60_000, timeoutMs: 50 },
      hooks: { onPaid: () => new Promise(() => {}) },
    });
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    await payments.applyEvent(payment.id, { status: 'paid', amount: '10.00', currency: 'USD' });
    expect(await payments.deliverHooks()).toEqual({ delivered: 0, retried: 1, dead: 0 });
    const [job] = await payments.listHookJobs({ state: 'pending' });
    expect(job?.lastError).toBe('hook onPaid did not finish in 50 ms');
  });

  it('stores each completion before the next hook starts, so a crash repeats at most the running hook', async () => {
    const events: string[] = [];
    const inner = memoryStore();
    // A slow store: a completion that has not committed yet must hold the next hook back.
    const store: PaymentStore = {
      ...inner,
      completeHookJob: async (id, owner) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        await inner.completeHookJob(id, owner);
        events.push(`stored ${id}`);
      },
    };
    const { payments, orders } = shop({
      store,
      hooks: { onPaid: (_p, ctx) => void events.push(`ran ${ctx.idempotencyKey}`) },
    });
    const keys: string[] = [];
    for (const orderId of ['o-1', 'o-2', 'o-3']) {
      orders.set(orderId, { amount: '10.00', currency: 'USD' });
      const { payment } = await payments.checkout({ orderId });
      await payments.applyEvent(payment.id, { status: 'paid', amount: '10.00', currency: 'USD' });
      keys.push(`${payment.id}:paid:onPaid`);
    }
    expect(await payments.deliverHooks()).toEqual({ delivered: 3, retried: 0, dead: 0 });
    expect(events).toEqual(keys.flatMap((key) => [`ran ${key}`, `stored ${key}`]));
  });

  it('delivers hooks in the background when the worker is on', async () => {
    let resolve: (p: Payment) => void = () => {};
    const delivered = new Promise<Payment>((r) => {
      resolve = r;
    });
    const { payments } = shop({
      hookDelivery: { pollIntervalMs: 1_000 },
      hooks: { onPaid: (p) => resolve(p) },
    });
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    await payments.applyEvent(payment.id, { status: 'paid', amount: '10.00', currency: 'USD' });
    expect((await delivered).id).toBe(payment.id);
  });
});

describe('reconcile', () => {
  it('finds payments whose callback never came, and leaves settled ones alone', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const { payments, provider } = shop({
      now: () => new Date(now),
      reconcile: { firstCheckAfterMs: 60_000 },
    });
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    expect(await payments.reconcile()).toEqual({ checked: 0, changed: 0, errors: 0 });
    now += 61_000;
    expect(await payments.reconcile()).toEqual({ checked: 1, changed: 0, errors: 0 });
    provider.setStatus(payment.id, { status: 'paid', amount: '10.00', currency: 'USD' });
    now += 61_000;
    expect(await payments.reconcile()).toEqual({ checked: 1, changed: 1, errors: 0 });
    now += 3_600_000;
    expect(await payments.reconcile()).toEqual({ checked: 0, changed: 0, errors: 0 });
  });
});

describe('secrets', () => {
  it('never logs or answers a secret, even when an error carries one', async () => {
    const { payments, provider, logs } = shop();
    provider.failCheckouts(
      new PaymentsError('provider_error', `upstream said: bad key ${SECRET} / test-provider-token`),
    );
    const response = await payments.handle(request('GET', '/checkout/o-1'));
    expect(response?.body).toContain('provider_error');
    const everything = JSON.stringify(logs) + JSON.stringify(response);
    expect(logs.length).toBeGreaterThan(0);
    expect(everything).not.toContain(SECRET);
    expect(JSON.stringify(logs)).not.toContain('test-provider-token');
  });
});

describe('provider references', () => {
  it('keeps a provider reference learned from an event that changes no status', async () => {
    const { payments, store } = shop({
      providers: {
        test: {
          ...testProvider(),
          createCheckout: async (r) => ({ payUrl: `https://pay.example.test/${r.payment.id}` }),
        },
      },
    });
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    expect(payment.providerRef).toBeNull();
    const { changed } = await payments.applyEvent(payment.id, {
      status: 'pending',
      providerRef: 'ORDER-777',
    });
    expect(changed).toBe(false);
    const stored = await store.get(payment.id);
    expect([stored?.status, stored?.providerRef]).toEqual(['pending', 'ORDER-777']);
    await payments.applyEvent(payment.id, { status: 'pending', providerRef: 'ORDER-888' });
    expect((await store.get(payment.id))?.providerRef).toBe('ORDER-777');
  });
});

describe('payment ids', () => {
  it('are unique, unguessably long and fit every provider id charset', async () => {
    const { newPaymentId, isPaymentId } = await import('../src/domain/payment.js');
    const ids = new Set(Array.from({ length: 20_000 }, () => newPaymentId()));
    expect(ids.size).toBe(20_000);
    for (const id of ids) {
      expect(isPaymentId(id)).toBe(true);
      expect(id).toMatch(/^[A-Za-z0-9:\-_[\]|]{1,64}$/);
    }
  });
});

describe('events that move no status', () => {
  it('record a released hold on a paid payment, but never a late timeout', async () => {
    const paid: string[] = [];
    const { payments, store } = shop({ hooks: { onPaid: (p) => void paid.push(p.providerStatus ?? '') } });
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    await payments.applyEvent(payment.id, {
      status: 'paid',
      amount: '10.00',
      currency: 'USD',
      providerStatus: 'hold',
    });
    const released = await payments.applyEvent(payment.id, {
      status: 'paid',
      amount: '10.00',
      currency: 'USD',
      providerStatus: 'success',
    });
    expect([released.changed, released.payment.status, released.payment.providerStatus]).toEqual([
      false,
      'paid',
      'success',
    ]);
    await payments.applyEvent(payment.id, { status: 'expired', providerStatus: 'OVERDUE' });
    expect((await store.get(payment.id))?.providerStatus).toBe('success');
    await payments.deliverHooks();
    expect(paid).toEqual(['hold']);
  });
});

describe('buyer-facing checks with the provider', () => {
  function counting(provider: TestProvider): { calls: () => number } {
    let calls = 0;
    const original = provider.fetchStatus.bind(provider);
    provider.fetchStatus = async (payment, ctx) => {
      calls++;
      return original(payment, ctx);
    };
    return { calls: () => calls };
  }

  it('lets a polling status page learn of a payment whose notification was lost, at most once per interval', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    const { payments, provider } = shop({ now: () => new Date(now), statusCheckIntervalMs: 10_000 });
    const counter = counting(provider);
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    const status = async () =>
      JSON.parse((await payments.handle(request('GET', `/status/${payment.id}`)))!.body).status;
    expect(await status()).toBe('pending');
    provider.setStatus(payment.id, { status: 'paid', amount: '10.00', currency: 'USD' });
    now += 5_000;
    expect(await status()).toBe('pending');
    expect(counter.calls()).toBe(1);
    now += 5_000;
    expect(await status()).toBe('paid');
    expect(counter.calls()).toBe(2);
    now += 60_000;
    expect(await status()).toBe('paid');
    expect(counter.calls()).toBe(2);
  });

  it('asks the provider at most every two seconds however often the buyer reloads the return page', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    const { payments, provider } = shop({ now: () => new Date(now), statusCheckIntervalMs: 0 });
    const counter = counting(provider);
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    for (let i = 0; i < 5; i++) await payments.handle(request('GET', `/return/${payment.id}`));
    expect(counter.calls()).toBe(1);
    now += 2_000;
    await payments.handle(request('GET', `/return/${payment.id}`));
    await payments.handle(request('GET', `/status/${payment.id}`));
    expect(counter.calls()).toBe(2);
  });
});

describe('checkout forms', () => {
  it('takes the provider from a POSTed form, url-encoded or already parsed, when the URL names none', async () => {
    const { payments } = shop({
      providers: { aaio: testProvider({ payBaseUrl: 'https://aaio.example.test' }), other: testProvider() },
    });
    const form = await payments.handle(
      request('POST', '/checkout/o-1', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new TextEncoder().encode('provider=aaio'),
      }),
    );
    expect(form?.status).toBe(303);
    expect(form?.headers['location']).toMatch(/^https:\/\/aaio\.example\.test\/pm_/);
    const parsed = await payments.handle(request('POST', '/checkout/o-1', { body: { provider: 'aaio' } }));
    expect(parsed?.headers['location']).toBe(form?.headers['location']);
    const none = await payments.handle(request('POST', '/checkout/o-1'));
    expect([none?.status, JSON.parse(none!.body).error.code]).toEqual([400, 'invalid_request']);
    const garbage = await payments.handle(
      request('POST', '/checkout/o-1', {
        headers: { 'content-type': 'application/json' },
        body: '{"provider":',
      }),
    );
    expect([garbage?.status, JSON.parse(garbage!.body).error.code]).toEqual([400, 'invalid_request']);
  });
});

describe('callback confirmation and dedupe', () => {
  it('confirms each callback with the provider until one settles the payment, then answers repeats without asking', async () => {
    const base = testProvider();
    let confirmations = 0;
    let providerSays: ProviderEvent = { status: 'pending' };
    const provider: PaymentProvider = {
      ...base,
      async verifyCallback(input, ctx) {
        const verified = await base.verifyCallback(input, ctx);
        return {
          ...verified,
          dedupeKey: `${verified.paymentId}:claimed-paid`,
          confirm: async () => {
            confirmations++;
            return providerSays;
          },
        };
      },
    };
    const { payments } = shop({ providers: { test: provider } });
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    const headers = { 'content-type': 'application/json', 'x-test-token': 'test-provider-token' };
    const body = JSON.stringify({ paymentId: payment.id, status: 'paid' });
    const send = () => payments.handle(request('POST', '/callback/test', { headers, body }));
    // Not settled yet: every repeat is confirmed again (the provider may not have caught up).
    expect((await send())?.status).toBe(200);
    expect((await send())?.status).toBe(200);
    expect([confirmations, (await payments.get(payment.id))?.status]).toEqual([2, 'pending']);
    providerSays = { status: 'paid', amount: '10.00', currency: 'USD' };
    expect((await send())?.status).toBe(200);
    expect((await payments.get(payment.id))?.status).toBe('paid');
    // Settled: repeats are answered 200 with no provider call.
    for (let i = 0; i < 5; i++) expect((await send())?.status).toBe(200);
    expect(confirmations).toBe(3);
  });
});
