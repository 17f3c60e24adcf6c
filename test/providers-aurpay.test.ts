import { createHash, createHmac } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { handleNodeRequest, splitUrl, writeNodeResponse } from '@paymount/core/node';
import { type AurpaySimulator, type AurpaySimulatorOptions, startAurpaySimulator } from '@paymount/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import type { HarnessInstance, ProviderHarness } from './support/provider-conformance.js';
import { providerConformance } from './support/provider-conformance.js';

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

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
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
  let payments: Payments | undefined;
  const server = createServer((req, res) => {
    const { path, rawQuery } = splitUrl(req.url ?? '/');
    if (!payments || !path.startsWith('/pay/')) {
      res.statusCode = 404;
      res.end();
      return;
    }
    void handleNodeRequest(payments, req, { path: path.slice(4), rawQuery }).then((response) => {
      if (response) writeNodeResponse(res, response);
      else {
        res.statusCode = 404;
        res.end();
      }
    });
  });
  const base = await listen(server);
  const orders = new Map<string, { amount: string; currency: string; method?: string }>();
  const calls: string[] = [];
  const record = (hook: string) => (p: Payment) => void calls.push(`${hook}:${p.id}`);
  const provider = aurpay({ apiKey: API_KEY, baseUrl: sim.url, retryDelayMs: 10, ...providerOptions });
  payments = createPayments({
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
  const ready = payments;
  opened.push(async () => {
    await ready.close();
    await sim.close();
    await closeServer(server);
  });
  return {
    base,
    sim,
    payments: ready,
    async hooks() {
      await ready.deliverHooks();
      return [...calls];
    },
    addOrder(orderId, amount, extra = {}) {
      orders.set(orderId, {
        amount,
        currency: extra.currency ?? 'USD',
        ...(extra.method ? { method: extra.method } : {}),
      });
    },
    async checkout(orderId, amount, extra = {}) {
      this.addOrder(orderId, amount, extra);
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
    const shop = await startShop({ apiKey: 'wrong-key-wrong-key-123', requireEchoedApiKey: false });
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
    expect(res.status).toBe(502);
    expect(shop.sim.requests.filter((r) => r.path === '/api/order/pay-url')).toHaveLength(1);
    shop.sim.faults.api = null;
    const payment = await shop.checkout('A-5', '12.00');
    await shop.sim.pay(payment.payUrl!);
    shop.sim.faults.api = 'down';
    await expect(shop.payments.refresh(payment.id)).rejects.toMatchObject({ code: 'provider_error' });
    expect(shop.sim.requests.filter((r) => r.path.startsWith('/api/v2/order/detail/'))).toHaveLength(1 + 3);
  });
});
