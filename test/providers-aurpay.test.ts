import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import {
  type AurpayOptions,
  aurpay,
  eventFromOrder,
  parseCurrencyList,
  parseOrderInfo,
} from '@paymount/aurpay';
import {
  createPayments,
  memoryStore,
  type Payment,
  type Payments,
  type PaymentsConfigError,
  type PaymentsOptions,
} from '@paymount/core';
import { type AurpaySimulator, type AurpaySimulatorOptions, startAurpaySimulator } from '@paymount/sandbox';
import type { HarnessInstance, ProviderHarness } from '@paymount/testing';
import { providerConformance, startPlainShop } from '@paymount/testing';
import { afterEach, describe, expect, it } from 'vitest';

const API_KEY = 'aurpay-test-api-key-0123456789';
const CALLBACK_SECRET = 'aurpay-callback-secret-abcdef';
const SECRET = 'paymount-test-secret-0123456789abcdef';

/** A raw HTTP request (fetch may not let a test set `Date`). */
function send(
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body: string | null = null,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        headers: body === null ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/** Acts as the buyer: opens the pay page and submits one of its forms, without following the redirect. */
async function buyerClicks(payUrl: string, action: 'pay' | 'less' | 'expire'): Promise<Response> {
  const page = await fetch(payUrl);
  const html = await page.text();
  expect(page.status).toBe(200);
  const token = /name="token" value="([0-9a-f]+)"/.exec(html)?.[1];
  expect(html).toContain(`value="${action}"`);
  return fetch(new URL('/cashier/act', payUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: token ?? '', action }).toString(),
  });
}

// ---------------------------------------------------------------------------------------------
// Conformance harnesses: pay-url (no order id before the first callback) and pay-info (coin fixed).

function harness(name: string, extra: Partial<AurpayOptions>, recovers: boolean): ProviderHarness {
  return {
    name,
    currency: 'USD',
    recoversLostCallback: recovers,
    async setup(): Promise<HarnessInstance> {
      const sim = await startAurpaySimulator({ apiKey: API_KEY, callbackSecret: CALLBACK_SECRET });
      sim.faults.apiDelayMs = 1_500;
      const provider = aurpay({
        apiKey: API_KEY,
        callbackSecret: CALLBACK_SECRET,
        baseUrl: sim.url,
        timeoutMs: 400,
        retryDelayMs: 10,
        ...extra,
      });
      return {
        provider,
        async act(payUrl, action) {
          const res = await buyerClicks(payUrl, action === 'full' ? 'pay' : action);
          expect(res.status).toBe(303);
        },
        async payWithoutCallback(payUrl) {
          await sim.pay(payUrl, { callback: false });
        },
        resendLastCallback: () => sim.resendLastCallback(),
        async forgeCallback(payUrl) {
          const order = sim.order(payUrl)!;
          const date = new Date().toISOString();
          const forged = await send(
            order.callbackUrl!,
            'POST',
            {
              'content-type': 'application/json',
              'API-Key': 'not-the-merchant-key',
              'Callback-Token': 'x',
              Date: date,
              Signature: createHmac('sha256', 'guessed-secret')
                .update(`${date} | ${order.callbackUrl}`)
                .digest('base64'),
            },
            JSON.stringify({ ...order.info, status: 'SUCCESS' }),
          );
          return forged.status;
        },
        breakApi(mode) {
          sim.faults.api = mode;
        },
        async close() {
          await provider.close?.();
          await sim.close();
        },
      };
    },
  };
}

providerConformance(harness('aurpay', {}, false));
providerConformance(harness('aurpay-coin', { coin: { chain: 'ETH', currency: 'USDT-ERC20' } }, true));

// ---------------------------------------------------------------------------------------------
// Aurpay-specific behaviour over real HTTP.

interface Shop {
  readonly base: string;
  readonly sim: AurpaySimulator;
  readonly payments: Payments;
  /** Hook calls after `deliverHooks()`: `hook:paymentId`. */
  hooks(): Promise<string[]>;
  /** Tells the shop's loadOrder about an order. */
  addOrder(orderId: string, amount: string, extra?: { currency?: string; method?: string }): void;
  checkout(orderId: string, amount: string, extra?: { currency?: string; method?: string }): Promise<Payment>;
  /** The callback URL (paid or timeout) paymount gave Aurpay for a payment. */
  callbackUrl(payment: Payment, kind?: 'paid' | 'timeout'): string;
}

const opened: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (opened.length > 0) await opened.pop()!();
});

async function startShop(
  providerOptions: Partial<AurpayOptions> = {},
  simOptions: AurpaySimulatorOptions = {},
  paymentsOptions: Partial<PaymentsOptions> = {},
): Promise<Shop> {
  const sim = await startAurpaySimulator({ apiKey: API_KEY, ...simOptions });
  const plain = await startPlainShop();
  const { base } = plain;
  const orders = new Map<string, { amount: string; currency: string; method?: string }>();
  const calls: string[] = [];
  const record = (hook: string) => (p: Payment) => void calls.push(`${hook}:${p.id}`);
  const provider = aurpay({ apiKey: API_KEY, baseUrl: sim.url, retryDelayMs: 10, ...providerOptions });
  const payments = createPayments({
    publicUrl: `${base}/pay`,
    secret: SECRET,
    store: memoryStore(),
    providers: { aurpay: provider },
    loadOrder: (orderId) => {
      const order = orders.get(orderId);
      return order ? { ...order, description: `Order ${orderId}` } : null;
    },
    returnUrls: { success: '/thanks/{orderId}', pending: '/wait/{orderId}', failure: '/failed/{orderId}' },
    hooks: {
      onPaid: record('onPaid'),
      onExpired: record('onExpired'),
      onAnomaly: record('onAnomaly'),
      onFailed: record('onFailed'),
      onRefunded: record('onRefunded'),
    },
    hookDelivery: { pollIntervalMs: 0 },
    ...paymentsOptions,
  });
  plain.attach(payments);
  const ready = payments;
  const addOrder: Shop['addOrder'] = (orderId, amount, extra = {}) => {
    orders.set(orderId, {
      amount,
      currency: extra.currency ?? 'USD',
      ...(extra.method ? { method: extra.method } : {}),
    });
  };
  opened.push(async () => {
    await ready.close();
    await sim.close();
    await plain.close();
  });
  return {
    base,
    sim,
    payments: ready,
    async hooks() {
      await ready.deliverHooks();
      return [...calls];
    },
    addOrder,
    async checkout(orderId, amount, extra = {}) {
      addOrder(orderId, amount, extra);
      const res = await fetch(`${base}/pay/checkout/${orderId}?provider=aurpay`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      const [payment] = await ready.findByOrder(orderId);
      expect(payment?.payUrl).toBe(res.headers.get('location'));
      return payment!;
    },
    callbackUrl(payment, kind = 'paid') {
      const order = sim.order(payment.payUrl!)!;
      return (kind === 'paid' ? order.callbackUrl : order.timeoutCallback)!;
    },
  };
}

/** The signature a test computes on its own, by the documented callback formula. */
function callbackSig(secret: string, date: string, url: string): string {
  return createHmac('sha256', secret).update(`${date} | ${url}`).digest('base64');
}

describe('aurpay: checkout', () => {
  it('pays through the hosted page: 303, Pay, POST callback confirmed by the detail API, onPaid once', async () => {
    const shop = await startShop();
    const payment = await shop.checkout('A-1', '10.00');
    const created = shop.sim.requests.find((r) => r.path === '/api/order/pay-url')!;
    // The amount goes out digit for digit as a JSON number, with paymount's URLs.
    expect(created.body.startsWith('{"price":10.00,')).toBe(true);
    expect(JSON.parse(created.body)).toMatchObject({
      currency: 'USD',
      succeed_url: `${shop.base}/pay/return/${payment.id}`,
      timeout_url: `${shop.base}/pay/return/${payment.id}`,
      enable_post_callback: true,
      fixed_encrypt_price: false,
    });
    expect(created.headers['api-key']).toBe(API_KEY);

    const done = await buyerClicks(payment.payUrl!, 'pay');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${shop.base}/pay/return/${payment.id}`);
    const [callback] = shop.sim.callbacks;
    expect(callback).toMatchObject({ method: 'POST', kind: 'success', status: 200 });
    expect(JSON.parse(callback!.response)).toMatchObject({ code: 0, message: 'ok' });
    expect(shop.sim.requests.some((r) => r.path.startsWith('/api/v2/order/detail/'))).toBe(true);

    const paid = await shop.payments.get(payment.id);
    expect(paid).toMatchObject({ status: 'paid', providerRef: callback!.orderId, providerStatus: 'SUCCESS' });
    expect(paid?.paidAmount).toBe('10.0'); // Aurpay writes the price back as "10.0": compared as a decimal
    expect(await shop.sim.resendLastCallback()).toBe(200);
    expect(await shop.hooks()).toEqual([`onPaid:${payment.id}`]);
    const back = await fetch(done.headers.get('location')!, { redirect: 'manual' });
    expect(back.headers.get('location')).toBe(`${shop.base}/thanks/A-1`);
  });

  it('sends the price as a JSON string when priceFormat is "string", and fixed_encrypt_price when asked', async () => {
    const shop = await startShop({ priceFormat: 'string', fixedEncryptPrice: true });
    await shop.checkout('A-2', '1000', { currency: 'JPY' });
    const body = shop.sim.requests.find((r) => r.path === '/api/order/pay-url')!.body;
    expect(body.startsWith('{"price":"1000",')).toBe(true);
    expect(JSON.parse(body)).toMatchObject({ currency: 'JPY', fixed_encrypt_price: true });
    expect([...shop.sim.orders.values()][0]?.priceType).toBe('string');
  });

  it('uses pay-info with the coin when the order fixes one, and binds the Aurpay order id at once', async () => {
    const shop = await startShop();
    const payment = await shop.checkout('A-3', '25.50', { method: 'BTC:BTC' });
    const request = shop.sim.requests.find((r) => r.path === '/api/order/pay-info')!;
    expect(JSON.parse(request.body)).toMatchObject({ chain: 'BTC', currency: 'BTC', vs_currency: 'USD' });
    expect(request.body.startsWith('{"vs_price":25.50,')).toBe(true);
    expect(payment.providerRef).toMatch(/^\d{20}$/);
    expect(shop.sim.requests.some((r) => r.path === '/api/order/pay-url')).toBe(false);
  });

  it('answers 502 JSON without the API key when Aurpay refuses our credentials; a fixed key then works', async () => {
    const shop = await startShop({ apiKey: 'wrong-key-wrong-key-123' });
    shop.addOrder('A-4', '12.00');
    const res = await fetch(`${shop.base}/pay/checkout/A-4?provider=aurpay`, {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe('provider_error');
    expect(text).toMatch(/credentials/);
    expect(text).not.toContain('wrong-key-wrong-key-123');
    expect(text).not.toContain(API_KEY);
    const [kept] = await shop.payments.findByOrder('A-4');
    expect(kept?.status).toBe('created');
  });

  it('never retries pay-url (a retry could open a second Aurpay order) but retries order reads', async () => {
    const shop = await startShop({ retries: 2 });
    shop.addOrder('A-5', '12.00');
    shop.sim.faults.api = 'down';
    const res = await fetch(`${shop.base}/pay/checkout/A-5?provider=aurpay`, {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(503);
    expect(shop.sim.requests.filter((r) => r.path === '/api/order/pay-url')).toHaveLength(1);
    shop.sim.faults.api = null;
    const payment = await shop.checkout('A-5', '12.00');
    await shop.sim.pay(payment.payUrl!);
    shop.sim.faults.api = 'down';
    await expect(shop.payments.refresh(payment.id)).rejects.toMatchObject({ code: 'provider_unavailable' });
    expect(shop.sim.requests.filter((r) => r.path.startsWith('/api/v2/order/detail/'))).toHaveLength(1 + 3);
  });
});

describe('aurpay: faults', () => {
  it('answers 504 provider_timeout when Aurpay is slow, 503 when it is down and 502 provider_error when it answers garbage; a retry works', async () => {
    const shop = await startShop({ timeoutMs: 300 });
    shop.sim.faults.apiDelayMs = 1_000;
    shop.addOrder('H-1', '10.00');
    for (const [mode, status, code] of [
      ['slow', 504, 'provider_timeout'],
      ['garbage', 502, 'provider_error'],
      ['down', 503, 'provider_unavailable'],
    ] as const) {
      shop.sim.faults.api = mode;
      const res = await fetch(`${shop.base}/pay/checkout/H-1?provider=aurpay&format=json`);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    shop.sim.faults.api = null;
    const payment = await shop.checkout('H-1', '10.00');
    expect(await shop.payments.findByOrder('H-1')).toEqual([payment]);
  });

  it('calls onPaid once when Aurpay sends each callback twice, and pays a delayed one', async () => {
    const shop = await startShop();
    shop.sim.faults.callbacks = 'duplicate';
    shop.sim.faults.callbackDelayMs = 50;
    const payment = await shop.checkout('H-2', '10.00');
    await buyerClicks(payment.payUrl!, 'pay');
    expect(shop.sim.callbacks.map((c) => c.status)).toEqual([200, 200]);
    expect(await shop.hooks()).toEqual([`onPaid:${payment.id}`]);
  });

  it('leaves the payment pending when the callback is dropped', async () => {
    const shop = await startShop();
    shop.sim.faults.callbacks = 'drop';
    const payment = await shop.checkout('H-3', '10.00');
    await buyerClicks(payment.payUrl!, 'pay');
    expect(shop.sim.callbacks[0]?.status).toBe(0);
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
    expect(await shop.sim.resendLastCallback()).toBe(200);
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
  });
});

describe('aurpay: callbacks', () => {
  /** A payment paid on the simulator without a callback, and the callback Aurpay would have sent. */
  async function paidQuietly(shop: Shop, orderId: string, amount = '10.00') {
    const payment = await shop.checkout(orderId, amount);
    await shop.sim.pay(payment.payUrl!, { callback: false });
    const order = shop.sim.order(payment.payUrl!)!;
    return { payment, order, url: shop.callbackUrl(payment), body: JSON.stringify(order.info) };
  }

  async function unchanged(shop: Shop, payment: Payment): Promise<void> {
    expect(await shop.payments.get(payment.id)).toEqual(payment);
    expect(await shop.hooks()).toEqual([]);
  }

  it('expires on timeout, and a late payment after the timeout still pays', async () => {
    const shop = await startShop();
    const payment = await shop.checkout('B-1', '10.00');
    const res = await buyerClicks(payment.payUrl!, 'expire');
    expect(res.headers.get('location')).toBe(`${shop.base}/pay/return/${payment.id}`);
    expect(shop.sim.callbacks[0]).toMatchObject({ kind: 'timeout', status: 200 });
    expect(shop.sim.callbacks[0]?.url).toContain('ev=timeout');
    expect((await shop.payments.get(payment.id))?.status).toBe('expired');
    await shop.sim.pay(payment.payUrl!);
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
    expect(await shop.hooks()).toEqual([`onExpired:${payment.id}`, `onPaid:${payment.id}`]);
  });

  it('never undoes a payment with a later timeout callback', async () => {
    const shop = await startShop();
    const payment = await shop.checkout('B-2', '10.00');
    await shop.sim.pay(payment.payUrl!);
    await shop.sim.expire(payment.payUrl!);
    expect(shop.sim.callbacks.at(-1)).toMatchObject({ kind: 'timeout', status: 200 });
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
    expect(await shop.hooks()).toEqual([`onPaid:${payment.id}`]);
  });

  it('turns an underpayment (Pay less → PARTIAL) into an anomaly', async () => {
    const shop = await startShop();
    const payment = await shop.checkout('B-3', '10.00');
    await buyerClicks(payment.payUrl!, 'less');
    expect(await shop.payments.get(payment.id)).toMatchObject({ status: 'anomaly', anomaly: 'partial' });
    expect(await shop.hooks()).toEqual([`onAnomaly:${payment.id}`]);
  });

  it('does not pay when the POST body says SUCCESS but the detail API says PENDING', async () => {
    const shop = await startShop();
    const payment = await shop.checkout('B-4', '10.00');
    const order = shop.sim.order(payment.payUrl!)!;
    const res = await send(
      shop.callbackUrl(payment),
      'POST',
      { 'content-type': 'application/json', 'API-Key': API_KEY },
      JSON.stringify({ ...order.info, status: 'SUCCESS' }),
    );
    expect(res.status).toBe(200);
    // Not paid and no hook; Aurpay's order id (so later checks can ask about it) and its
    // confirmed status word are kept.
    expect(await shop.payments.get(payment.id)).toEqual({
      ...payment,
      providerRef: order.info.order_id,
      providerStatus: 'PENDING',
      updatedAt: expect.any(String),
      version: payment.version + 1,
    });
    expect(await shop.hooks()).toEqual([]);
  });

  it('refuses a wrong or missing echoed API-Key (requireEchoedApiKey default) and changes nothing', async () => {
    const shop = await startShop();
    const { payment, url, body } = await paidQuietly(shop, 'B-5');
    const json = { 'content-type': 'application/json' };
    const wrong = await send(url, 'POST', { ...json, 'API-Key': `${API_KEY}x` }, body);
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text)).toMatchObject({ error: 'callback_unauthorized' });
    const missing = await send(url, 'POST', json, body);
    expect(missing.status).toBe(401);
    await unchanged(shop, payment);
  });

  it('accepts a callback without API-Key when requireEchoedApiKey is false, still refusing a wrong one', async () => {
    const shop = await startShop(
      { requireEchoedApiKey: false, callbackSecret: CALLBACK_SECRET },
      { echoApiKey: false, callbackSecret: CALLBACK_SECRET },
    );
    const payment = await shop.checkout('B-6', '10.00');
    await shop.sim.pay(payment.payUrl!);
    const [callback] = shop.sim.callbacks;
    expect(callback?.headers['API-Key']).toBeUndefined();
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
    const wrong = await send(
      callback!.url,
      'POST',
      { ...callback!.headers, 'API-Key': 'nope-nope-nope' },
      callback!.body,
    );
    expect(wrong.status).toBe(401);
  });

  it('refuses a tampered payment reference (pm or sig) in the callback URL', async () => {
    const shop = await startShop();
    const other = await shop.checkout('B-7b', '10.00');
    const { payment, url, body } = await paidQuietly(shop, 'B-7');
    const headers = { 'content-type': 'application/json', 'API-Key': API_KEY };
    const target = new URL(url);
    const badSig = new URL(target);
    badSig.searchParams.set('sig', `${target.searchParams.get('sig')!.slice(0, -2)}AA`);
    const otherPayment = new URL(target);
    otherPayment.searchParams.set('pm', other.id);
    const paidEvent = new URL(shop.callbackUrl(payment, 'timeout'));
    paidEvent.searchParams.set('ev', 'paid');
    for (const forged of [badSig, otherPayment, paidEvent]) {
      const res = await send(forged.toString(), 'POST', headers, body);
      expect(res.status).toBe(401);
    }
    await unchanged(shop, payment);
    expect(await shop.payments.get(other.id)).toEqual(other);
  });

  it('refuses a callback naming another Aurpay order than the one the payment is bound to', async () => {
    const shop = await startShop();
    const first = await shop.checkout('B-8a', '10.00', { method: 'ETH:USDT-ERC20' });
    const second = await shop.checkout('B-8b', '10.00', { method: 'ETH:USDT-ERC20' });
    await shop.sim.pay(first.payUrl!, { callback: false });
    const paidOrder = shop.sim.order(first.payUrl!)!;
    const res = await send(
      shop.callbackUrl(second),
      'POST',
      { 'content-type': 'application/json', 'API-Key': API_KEY },
      JSON.stringify(paidOrder.info),
    );
    expect(res.status).toBe(400);
    expect(await shop.payments.get(second.id)).toEqual(second);
  });

  it('pays one payment at most once per Aurpay order: a paid order replayed for another payment changes nothing', async () => {
    const shop = await startShop();
    const first = await shop.checkout('B-9a', '10.00');
    const second = await shop.checkout('B-9b', '10.00');
    await shop.sim.pay(first.payUrl!);
    const used = shop.sim.callbacks[0]!;
    const res = await send(shop.callbackUrl(second), 'POST', { ...used.headers }, used.body);
    expect(res.status).toBe(200);
    expect(await shop.payments.get(second.id)).toEqual(second);
    expect(await shop.hooks()).toEqual([`onPaid:${first.id}`]);
  });

  it('refuses a garbage body or a malformed order id with 400 and changes nothing', async () => {
    const shop = await startShop();
    const { payment, url } = await paidQuietly(shop, 'B-10');
    const garbage = await send(
      url,
      'POST',
      { 'content-type': 'application/json', 'API-Key': API_KEY },
      '{nope',
    );
    expect(garbage.status).toBe(400);
    const badId = await send(
      url,
      'POST',
      { 'content-type': 'application/json', 'API-Key': API_KEY },
      JSON.stringify({ order_id: '../../etc' }),
    );
    expect(badId.status).toBe(400);
    await unchanged(shop, payment);
  });
});

describe('aurpay: callback signature (callbackSecret)', () => {
  it('accepts a callback signed by the documented formula, computed here with node:crypto', async () => {
    const shop = await startShop({ callbackSecret: CALLBACK_SECRET }, { callbackSecret: CALLBACK_SECRET });
    const payment = await shop.checkout('C-1', '10.00');
    await shop.sim.pay(payment.payUrl!, { callback: false });
    const url = shop.callbackUrl(payment);
    const date = new Date().toISOString();
    const res = await send(
      url,
      'POST',
      {
        'content-type': 'application/json',
        'API-Key': API_KEY,
        'Callback-Token': 'whatever-token',
        Date: date,
        Signature: callbackSig(CALLBACK_SECRET, date, url),
      },
      JSON.stringify(shop.sim.order(payment.payUrl!)!.info),
    );
    expect(res.status).toBe(200);
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
  });

  it('refuses a forged signature, a missing one, and a wrong Callback-Token when one is configured', async () => {
    const shop = await startShop(
      { callbackSecret: CALLBACK_SECRET, callbackToken: 'tok-1' },
      { callbackSecret: CALLBACK_SECRET, callbackToken: 'tok-1' },
    );
    const payment = await shop.checkout('C-2', '10.00');
    await shop.sim.pay(payment.payUrl!, { callback: false });
    const url = shop.callbackUrl(payment);
    const body = JSON.stringify(shop.sim.order(payment.payUrl!)!.info);
    const date = new Date().toISOString();
    const base = {
      'content-type': 'application/json',
      'API-Key': API_KEY,
      'Callback-Token': 'tok-1',
      Date: date,
    };
    const attempts = [
      { ...base, Signature: callbackSig('not-the-secret-at-all', date, url) },
      { ...base, Signature: callbackSig(CALLBACK_SECRET, date, `${url}&extra=1`) },
      base,
      { ...base, 'Callback-Token': 'tok-2', Signature: callbackSig(CALLBACK_SECRET, date, url) },
    ];
    for (const headers of attempts) {
      const res = await send(url, 'POST', headers, body);
      expect(res.status).toBe(401);
    }
    expect(await shop.payments.get(payment.id)).toEqual(payment);
    expect(await shop.hooks()).toEqual([]);
    // The simulator's own signed callback goes through.
    await shop.sim.pay(payment.payUrl!);
    expect(shop.sim.callbacks.at(-1)?.status).toBe(200);
    expect(shop.sim.callbacks.at(-1)?.headers['Callback-Token']).toBe('tok-1');
  });

  it('refuses a replayed callback whose Date is older than callbackMaxSkewMs', async () => {
    const shop = await startShop(
      { callbackSecret: CALLBACK_SECRET, callbackMaxSkewMs: 120_000 },
      { callbackSecret: CALLBACK_SECRET },
    );
    const payment = await shop.checkout('C-3', '10.00');
    await shop.sim.pay(payment.payUrl!, { callback: false });
    const url = shop.callbackUrl(payment);
    const body = JSON.stringify(shop.sim.order(payment.payUrl!)!.info);
    const headersAt = (date: string) => ({
      'content-type': 'application/json',
      'API-Key': API_KEY,
      'Callback-Token': 't',
      Date: date,
      Signature: callbackSig(CALLBACK_SECRET, date, url),
    });
    const old = await send(url, 'POST', headersAt(new Date(Date.now() - 5 * 60_000).toISOString()), body);
    expect(old.status).toBe(401);
    expect(JSON.parse(old.text)).toMatchObject({ error: 'callback_replayed' });
    expect(await shop.payments.get(payment.id)).toEqual(payment);
    expect(await shop.hooks()).toEqual([]);
    // Within the window (an HTTP-date works as well), it pays.
    const fresh = await send(url, 'POST', headersAt(new Date(Date.now() - 60_000).toUTCString()), body);
    expect(fresh.status).toBe(200);
  });

  it('accepts a GET callback signed over the URL as registered, before aurpay_order_id was appended', async () => {
    const shop = await startShop(
      { callbackSecret: CALLBACK_SECRET, enablePostCallback: false },
      {
        callbackSecret: CALLBACK_SECRET,
        appendOrderIdToGetCallbacks: true,
        callbackSignatureUrl: 'registered',
      },
    );
    const payment = await shop.checkout('C-4', '10.00');
    await shop.sim.pay(payment.payUrl!);
    expect(shop.sim.callbacks[0]).toMatchObject({ method: 'GET', status: 200 });
    expect(shop.sim.callbacks[0]?.url).toContain('&aurpay_order_id=');
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
  });
});

describe('aurpay: GET callbacks and unconfirmedCallbacks', () => {
  it('confirms a GET callback by the appended aurpay_order_id', async () => {
    const shop = await startShop({ enablePostCallback: false }, { appendOrderIdToGetCallbacks: true });
    const payment = await shop.checkout('D-1', '10.00');
    await buyerClicks(payment.payUrl!, 'pay');
    expect(shop.sim.callbacks[0]).toMatchObject({ method: 'GET', body: null, status: 200 });
    const order = shop.sim.order(payment.payUrl!)!;
    expect(await shop.payments.get(payment.id)).toMatchObject({
      status: 'paid',
      providerRef: order.info.order_id,
    });
    expect(await shop.hooks()).toEqual([`onPaid:${payment.id}`]);
  });

  it('refuses (default) a GET callback that names no Aurpay order, and the payment stays pending', async () => {
    const shop = await startShop({ enablePostCallback: false });
    const payment = await shop.checkout('D-2', '10.00');
    await shop.sim.pay(payment.payUrl!);
    expect(shop.sim.callbacks[0]).toMatchObject({ method: 'GET', status: 400 });
    expect(await shop.payments.get(payment.id)).toEqual(payment);
    expect(await shop.hooks()).toEqual([]);
    expect(JSON.parse(shop.sim.requests[0]!.body)).toMatchObject({ enable_post_callback: false });
  });

  it('with unconfirmedCallbacks "trust-signed-url" takes the signed URL as proof, for paid and timeout', async () => {
    const shop = await startShop({ enablePostCallback: false, unconfirmedCallbacks: 'trust-signed-url' });
    const paid = await shop.checkout('D-3', '10.00');
    await shop.sim.pay(paid.payUrl!);
    expect(await shop.payments.get(paid.id)).toMatchObject({
      status: 'paid',
      providerStatus: 'SUCCESS (unconfirmed)',
      paidAmount: null,
    });
    const expired = await shop.checkout('D-4', '10.00');
    await shop.sim.expire(expired.payUrl!);
    expect((await shop.payments.get(expired.id))?.status).toBe('expired');
    // The signed URL stays required.
    const forged = new URL(shop.callbackUrl(expired, 'timeout'));
    forged.searchParams.set('ev', 'paid');
    expect((await send(forged.toString(), 'GET', { 'API-Key': API_KEY })).status).toBe(401);
    expect(await shop.hooks()).toEqual([`onPaid:${paid.id}`, `onExpired:${expired.id}`]);
  });
});

describe('aurpay: API auth modes', () => {
  for (const [algorithm, hash] of [
    ['HMAC-SHA256', 'sha256'],
    ['HMAC-SHA3_256', 'sha3-256'],
  ] as const) {
    it(`signs requests with ${algorithm} exactly as documented (checked here independently)`, async () => {
      const signature = { token: 'api-token-1', secret: 'api-signing-secret-1' };
      const shop = await startShop(
        { apiKey: undefined, signature: { ...signature, algorithm }, callbackSecret: CALLBACK_SECRET },
        { signature, callbackSecret: CALLBACK_SECRET },
      );
      const payment = await shop.checkout('E-1', '42.10');
      await shop.sim.pay(payment.payUrl!);
      expect((await shop.payments.get(payment.id))?.status).toBe('paid');
      const post = shop.sim.requests.find((r) => r.method === 'POST')!;
      const get = shop.sim.requests.find((r) => r.method === 'GET')!;
      for (const request of [post, get]) {
        expect(request.headers['api-key']).toBeUndefined();
        expect(request.headers['api-token']).toBe('api-token-1');
        expect(request.headers['algorithm']).toBe(algorithm);
        const date = String(request.headers['date']);
        expect(Math.abs(Date.parse(date) - Date.now())).toBeLessThan(60_000);
        expect(date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
        const md5 = request.body === '' ? '' : createHash('md5').update(request.body).digest('hex');
        expect(request.headers['body-md5']).toBe(md5);
        const text = `${algorithm} | ${date} | ${request.method} ${request.path}${md5 ? ` | ${md5}` : ''}`;
        expect(request.headers['signature']).toBe(
          createHmac(hash, signature.secret).update(text).digest('base64'),
        );
      }
      expect(get.path).toMatch(/^\/api\/v2\/order\/detail\/\d{20}$/);
    });
  }

  it('reports refused signature credentials as a provider_error without leaking the secret', async () => {
    const shop = await startShop(
      {
        apiKey: undefined,
        signature: { token: 'api-token-1', secret: 'the-wrong-signing-secret' },
        callbackSecret: CALLBACK_SECRET,
      },
      { signature: { token: 'api-token-1', secret: 'api-signing-secret-1' } },
    );
    shop.addOrder('E-2', '1.00');
    const res = await fetch(`${shop.base}/pay/checkout/E-2?provider=aurpay&format=json`);
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(text).toContain('provider_error');
    expect(text).not.toContain('the-wrong-signing-secret');
  });
});

describe('aurpay: order info and statuses', () => {
  const DOC_ORDER = `{
"user_id": "mct-bea5c44da875",
"order_id": "20250207040935220628",
"order_type": "ORDER",
"platform": "AURPAY",
"status": "PENDING",
"chain": "BTC",
"chain_name": "Bitcoin",
"currency": "BTC",
"amount": "0.00102549",
"vs_price": "100.0",
"vs_currency": "USD",
"remark": "",
"refund": false,
"bind_id": null,
"create_time": "2025-02-06T00:00:00",
"update_time": "2025-02-06T00:00:00",
"tx_id": "ca1f0db3-0a3d-47c5-94ed-c94193aa1934",
"tx_type": "ORDER",
"obtained": null,
"fee": "0.00000820392",
"from_addr": null,
"to_addr": "tb1q2vgyv8xh0d2sv9j8gpeuedd8sm7pyx5l064s2e",
"tx_hash": null,
"tx_hash_list": [],
"contract_id": null,
"website": null
}`;

  it('parses the documented order-info example exactly, amounts kept as strings', () => {
    const order = parseOrderInfo(JSON.parse(DOC_ORDER));
    expect(order).toEqual({
      orderId: '20250207040935220628',
      status: 'PENDING',
      vsPrice: '100.0',
      vsCurrency: 'USD',
      amount: '0.00102549',
      currency: 'BTC',
      createdAt: new Date('2025-02-06T00:00:00Z'),
    });
    expect(eventFromOrder(order, { terminatedAs: 'failed' })).toMatchObject({ status: 'pending' });
    const success = parseOrderInfo({ ...JSON.parse(DOC_ORDER), status: 'SUCCESS' });
    expect(eventFromOrder(success, { terminatedAs: 'failed' })).toEqual({
      status: 'paid',
      amount: '100.0',
      currency: 'USD',
      providerRef: '20250207040935220628',
      providerStatus: 'SUCCESS',
    });
  });

  it('accepts the documented order-info example as a POST callback body and confirms it by its order id', async () => {
    const shop = await startShop({ orderClockSlackMs: 10 * 365 * 86_400_000 });
    const payment = await shop.checkout('F-0', '100.00');
    const res = await send(
      shop.callbackUrl(payment),
      'POST',
      { 'content-type': 'application/json', 'API-Key': API_KEY },
      DOC_ORDER,
    );
    // The documented order is not one of the simulator's: the detail API says so and nothing moves.
    expect(res.status).toBe(502);
    expect(shop.sim.requests.at(-1)?.path).toBe('/api/v2/order/detail/20250207040935220628');
    expect(await shop.payments.get(payment.id)).toEqual(payment);
  });

  it('refuses an Aurpay order created well before the payment (orderClockSlackMs)', async () => {
    const shop = await startShop({}, { now: () => new Date(Date.now() - 3_600_000) });
    const payment = await shop.checkout('F-1', '10.00');
    await shop.sim.pay(payment.payUrl!);
    expect(shop.sim.callbacks[0]?.status).toBe(400);
    expect(await shop.payments.get(payment.id)).toEqual(payment);
  });

  it('maps RESOLVED to paid and REFUNDED to refunded when refreshing a bound payment', async () => {
    const shop = await startShop();
    const payment = await shop.checkout('F-2', '10.00', { method: 'TRON:USDT-TRC20' });
    shop.sim.setStatus(payment.providerRef!, 'OVERDUE');
    expect((await shop.payments.refresh(payment.id)).status).toBe('expired');
    shop.sim.setStatus(payment.providerRef!, 'RESOLVED');
    expect(await shop.payments.refresh(payment.id)).toMatchObject({
      status: 'paid',
      providerStatus: 'RESOLVED',
    });
    shop.sim.setStatus(payment.providerRef!, 'REFUNDED');
    expect((await shop.payments.refresh(payment.id)).status).toBe('refunded');
    expect(await shop.hooks()).toEqual([
      `onExpired:${payment.id}`,
      `onPaid:${payment.id}`,
      `onRefunded:${payment.id}`,
    ]);
  });

  for (const terminatedAs of ['failed', 'expired'] as const) {
    it(`maps TERMINATED to ${terminatedAs} with terminatedAs: "${terminatedAs}"`, async () => {
      const shop = await startShop({ terminatedAs });
      const payment = await shop.checkout('F-3', '10.00', { method: 'BTC' });
      shop.sim.setStatus(payment.providerRef!, 'TERMINATED');
      expect((await shop.payments.refresh(payment.id)).status).toBe(terminatedAs);
    });
  }

  it('cannot ask Aurpay about a pay-url payment before a callback names its order: refresh leaves it pending', async () => {
    const shop = await startShop();
    const payment = await shop.checkout('F-4', '10.00');
    await shop.sim.pay(payment.payUrl!, { callback: false });
    expect((await shop.payments.refresh(payment.id)).status).toBe('pending');
    expect(shop.sim.requests.filter((r) => r.method === 'GET')).toHaveLength(0);
  });

  it('remembers an order id learned from a callback that found the order still PENDING, for the reconciler', async () => {
    const shop = await startShop();
    const payment = await shop.checkout('F-5', '10.00');
    const order = shop.sim.order(payment.payUrl!)!;
    const early = await send(
      shop.callbackUrl(payment),
      'POST',
      { 'content-type': 'application/json', 'API-Key': API_KEY },
      JSON.stringify(order.info),
    );
    expect(early.status).toBe(200);
    await shop.sim.pay(payment.payUrl!, { callback: false });
    expect((await shop.payments.refresh(payment.id)).status).toBe('paid');
  });
});

describe('aurpay: currencies (validateCurrencies)', () => {
  for (const shape of ['objects', 'strings', 'map'] as const) {
    it(`refuses a currency Aurpay does not list (${shape} list), caching the list`, async () => {
      const shop = await startShop(
        { validateCurrencies: true },
        { currencies: ['USD', 'EUR'], currencyListShape: shape },
      );
      await shop.checkout('G-1', '10.00', { currency: 'EUR' });
      shop.addOrder('G-2', '10.00', { currency: 'GBP' });
      const res = await fetch(`${shop.base}/pay/checkout/G-2?provider=aurpay&format=json`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_amount');
      expect(await shop.payments.findByOrder('G-2')).toEqual([]);
      expect(shop.sim.requests.filter((r) => r.path === '/api/order/pay/real-currency')).toHaveLength(1);
    });
  }

  it('does not ask for the list when validateCurrencies is off (default)', async () => {
    const shop = await startShop({}, { currencies: ['USD', 'EUR'] });
    shop.addOrder('G-3', '10.00', { currency: 'GBP' });
    const res = await fetch(`${shop.base}/pay/checkout/G-3?provider=aurpay&format=json`);
    expect(res.status).toBe(502); // Aurpay itself refuses it at pay-url
    expect(shop.sim.requests.some((r) => r.path === '/api/order/pay/real-currency')).toBe(false);
  });

  it('reads a few plausible shapes of the undocumented list', () => {
    expect(parseCurrencyList(['usd', 'EUR'])).toEqual(new Set(['USD', 'EUR']));
    expect(parseCurrencyList({ list: [{ code: 'USD' }, { symbol: 'JPY' }] })).toEqual(
      new Set(['USD', 'JPY']),
    );
    expect(parseCurrencyList({ USD: '$', EUR: '€' })).toEqual(new Set(['USD', 'EUR']));
    expect(parseCurrencyList('USD,EUR')).toEqual(new Set(['USD', 'EUR']));
    expect(parseCurrencyList(42)).toBeNull();
  });
});

describe('aurpay: options', () => {
  it('lists every configuration problem at once', () => {
    let error: PaymentsConfigError | undefined;
    try {
      aurpay({ baseUrl: 'ftp://x', priceFormat: 'float' as 'number', callbackToken: 't' });
    } catch (e) {
      error = e as PaymentsConfigError;
    }
    expect(error?.code).toBe('config_invalid');
    expect(error?.problems.join('\n')).toMatch(/apiKey/);
    expect(error?.problems.join('\n')).toMatch(/baseUrl/);
    expect(error?.problems.join('\n')).toMatch(/priceFormat/);
    expect(error?.problems.join('\n')).toMatch(/callbackToken/);
  });
});
