import { createHash } from 'node:crypto';
import { type AaioOptions, aaio } from '@paymount/aaio';
import {
  createPayments,
  memoryStore,
  type OrderDetails,
  type Payment,
  type Payments,
  PaymentsConfigError,
} from '@paymount/core';
import { type AaioSimulator, type AaioSimulatorOptions, startAaioSimulator } from '@paymount/sandbox';
import type { HarnessInstance, ProviderHarness } from '@paymount/testing';
import { providerConformance, startPlainShop } from '@paymount/testing';
import { afterEach, describe, expect, it } from 'vitest';

/** AAIO's documented formula, written here independently of the provider package. */
function docSign(
  merchantId: string,
  amount: string,
  currency: string,
  secret: string,
  orderId: string,
): string {
  return createHash('sha256')
    .update(`${merchantId}:${amount}:${currency}:${secret}:${orderId}`)
    .digest('hex');
}

interface HookCall {
  readonly hook: string;
  readonly paymentId: string;
  readonly status: string;
}

interface Shop {
  readonly base: string;
  readonly publicUrl: string;
  readonly sim: AaioSimulator;
  readonly payments: Payments;
  readonly calls: HookCall[];
  readonly orders: Map<string, OrderDetails>;
  /** Checks out an order over HTTP (JSON) and returns the pending payment and its pay URL. */
  checkout(
    orderId: string,
    amount: string,
    currency?: string,
    extra?: Partial<OrderDetails>,
  ): Promise<{ payment: Payment; payUrl: string }>;
  /** Posts a notification to paymount's AAIO callback, as AAIO (or a forger) would. */
  notify(
    fields: Record<string, string>,
    init?: { encoding?: 'urlencoded' | 'multipart'; headers?: Record<string, string> },
  ): Promise<{ status: number; text: string }>;
  hooks(): Promise<HookCall[]>;
}

const running: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (running.length > 0) await running.pop()!();
});

/**
 * A shop serving paymount at `/pay` on a loopback port through `handleNodeRequest`,
 * with the AAIO provider pointed at a fresh simulator. `trustProxy` resolves the client
 * address from X-Forwarded-For as an adapter with a trusted proxy would.
 */
async function startShop(
  config: {
    provider?: Partial<AaioOptions>;
    sim?: AaioSimulatorOptions;
    trustProxy?: boolean;
    now?: () => Date;
  } = {},
): Promise<Shop> {
  const plain = await startPlainShop({ trustProxy: config.trustProxy ?? false });
  const { base, publicUrl } = plain;
  const sim = await startAaioSimulator({
    notificationUrl: `${publicUrl}/callback/aaio`,
    successUrl: `${publicUrl}/return`,
    failUrl: `${publicUrl}/return`,
    ...config.sim,
  });
  const calls: HookCall[] = [];
  const orders = new Map<string, OrderDetails>();
  const record = (hook: string) => (payment: Payment) =>
    void calls.push({ hook, paymentId: payment.id, status: payment.status });
  const payments = createPayments({
    publicUrl,
    secret: 'aaio-test-secret-aaio-test-secret-0123',
    store: memoryStore(),
    providers: {
      aaio: aaio({
        merchantId: sim.merchant.merchantId,
        secret1: sim.merchant.secret1,
        secret2: sim.merchant.secret2,
        apiKey: sim.merchant.apiKey,
        baseUrl: sim.url,
        timeoutMs: 2_000,
        retryDelayMs: 10,
        ...config.provider,
      }),
    },
    loadOrder: (orderId) => {
      const order = orders.get(orderId);
      return order ? { description: `Order ${orderId}`, ...order } : null;
    },
    returnUrls: {
      success: '/shop/{orderId}/thanks',
      pending: '/shop/{orderId}/wait',
      failure: '/shop/{orderId}/failed',
    },
    hooks: {
      onPaid: record('onPaid'),
      onExpired: record('onExpired'),
      onAnomaly: record('onAnomaly'),
      onFailed: record('onFailed'),
    },
    hookDelivery: { pollIntervalMs: 0 },
    reconcile: { firstCheckAfterMs: 0 },
    ...(config.now ? { now: config.now } : {}),
  });
  plain.attach(payments);
  const engine = payments;
  running.push(async () => {
    await engine.close();
    await sim.close();
    await plain.close();
  });

  return {
    base,
    publicUrl,
    sim,
    payments: engine,
    calls,
    orders,
    async checkout(orderId, amount, currency = 'RUB', extra = {}) {
      orders.set(orderId, { amount, currency, ...extra });
      const res = await fetch(`${publicUrl}/checkout/${orderId}?provider=aaio`, {
        headers: { accept: 'application/json' },
      });
      const body = (await res.json()) as { paymentId: string; payUrl: string };
      expect(res.status, JSON.stringify(body)).toBe(200);
      const payment = await engine.get(body.paymentId);
      expect(payment?.status).toBe('pending');
      return { payment: payment!, payUrl: body.payUrl };
    },
    async notify(fields, init = {}) {
      let body: string | FormData;
      const headers: Record<string, string> = { ...init.headers };
      if (init.encoding === 'multipart') {
        const form = new FormData();
        for (const [key, value] of Object.entries(fields)) form.append(key, value);
        body = form;
      } else {
        body = new URLSearchParams(fields).toString();
        headers['content-type'] = 'application/x-www-form-urlencoded';
      }
      const res = await fetch(`${publicUrl}/callback/aaio`, { method: 'POST', body, headers });
      return { status: res.status, text: await res.text() };
    },
    async hooks() {
      await engine.deliverHooks();
      return calls;
    },
  };
}

/** The buyer presses a button on the simulator's pay form; returns where the simulator sent them. */
async function pressButton(payUrl: string, action: 'pay' | 'hold' | 'less' | 'expire'): Promise<string> {
  const form = await fetch(payUrl);
  const html = await form.text();
  expect(html).toContain(`value="${action}"`);
  const formAction = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  expect(formAction).toBeTruthy();
  const res = await fetch(new URL(formAction!.replaceAll('&#38;', '&'), payUrl), {
    method: 'POST',
    body: new URLSearchParams({ action }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  return res.headers.get('location')!;
}

/** Follows a redirect into paymount's return route and returns the shop page it sends the buyer to. */
async function returnTo(location: string): Promise<string> {
  const res = await fetch(location, { redirect: 'manual' });
  expect(res.status).toBe(303);
  return res.headers.get('location')!;
}

/** Asserts a refused notification changed nothing and called no hook. */
async function expectUntouched(shop: Shop, before: Payment): Promise<void> {
  expect(await shop.payments.get(before.id)).toEqual(before);
  expect(await shop.hooks()).toEqual([]);
}

describe('AAIO signatures (test vectors from the documented formula)', () => {
  it('signs the legacy pay link with secret #1 over the exact amount string it sends', async () => {
    const shop = await startShop({ provider: { checkoutMode: 'pay_url', lang: 'en' } });
    const { payment, payUrl } = await shop.checkout('vec-1', '100', 'RUB');
    const url = new URL(payUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${shop.sim.url}/merchant/pay`);
    const q = url.searchParams;
    expect(q.get('amount')).toBe('100.00');
    expect(q.get('order_id')).toBe(payment.id);
    expect(q.get('lang')).toBe('en');
    expect(q.get('desc')).toBe('Order vec-1');
    const { merchantId, secret1 } = shop.sim.merchant;
    expect(q.get('sign')).toBe(docSign(merchantId, '100.00', 'RUB', secret1, payment.id));
    // The simulator (checking the docs' formula) accepts the link and opens its pay form.
    const opened = await fetch(payUrl);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('100.00 RUB');
  });

  it('matches a fixed vector: sha256("merchant:10.54:RUB:secret:order")', async () => {
    const { creationSign, notificationSign } = await import('@paymount/aaio');
    const fields = {
      merchantId: 'f56b279c-d250-11ed-afa1-0242ac120002',
      amount: '10.54',
      currency: 'RUB',
      orderId: 'my_id_123',
    };
    const expected = docSign(fields.merchantId, '10.54', 'RUB', 's3cret', 'my_id_123');
    expect(creationSign(fields, 's3cret')).toBe(expected);
    expect(notificationSign(fields, 's3cret')).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('AAIO payments over real HTTP', () => {
  it('pays: Pay on the form → signed notification → 200 OK → paid, onPaid once, buyer lands on thanks', async () => {
    const shop = await startShop();
    const { payment, payUrl } = await shop.checkout('o-paid', '150.00');
    const order = shop.sim.orders.get(payment.id)!;
    expect(order.amount).toBe('150.00');
    expect(order.desc).toBe('Order o-paid');
    const location = await pressButton(payUrl, 'pay');
    expect(shop.sim.notifications).toHaveLength(1);
    expect(shop.sim.notifications[0]).toMatchObject({ status: 200, body: 'OK' });
    const paid = await shop.payments.get(payment.id);
    expect(paid).toMatchObject({
      status: 'paid',
      providerStatus: 'success',
      providerRef: order.invoiceId,
      paidCurrency: 'RUB',
    });
    expect(await shop.hooks()).toEqual([{ hook: 'onPaid', paymentId: payment.id, status: 'paid' }]);
    const redirect = new URL(location);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(`${shop.publicUrl}/return`);
    expect(redirect.searchParams.get('order_id')).toBe(payment.id);
    expect(await returnTo(location)).toBe(`${shop.base}/shop/o-paid/thanks`);
  });

  it('treats hold as paid and records providerStatus hold', async () => {
    const shop = await startShop();
    const { payment, payUrl } = await shop.checkout('o-hold', '99.90');
    await pressButton(payUrl, 'hold');
    expect(shop.sim.notifications[0]?.fields['status']).toBe('hold');
    expect(await shop.payments.get(payment.id)).toMatchObject({ status: 'paid', providerStatus: 'hold' });
    expect((await shop.hooks()).map((c) => c.hook)).toEqual(['onPaid']);
  });

  it('expires: no notification, the buyer return asks info-pay and lands on the failure page', async () => {
    const shop = await startShop();
    const { payment, payUrl } = await shop.checkout('o-expire', '10.00');
    const location = await pressButton(payUrl, 'expire');
    expect(shop.sim.notifications).toHaveLength(0);
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
    expect(await returnTo(location)).toBe(`${shop.base}/shop/o-expire/failed`);
    expect(await shop.payments.get(payment.id)).toMatchObject({
      status: 'expired',
      providerStatus: 'expired',
    });
    expect((await shop.hooks()).map((c) => c.hook)).toEqual(['onExpired']);
  });

  it('catches a lost notification with payments.reconcile() via info-pay', async () => {
    const shop = await startShop();
    const { payment } = await shop.checkout('o-lost', '42.00');
    await shop.sim.pay(payment.id, { notify: 'never' });
    expect(shop.sim.notifications).toHaveLength(0);
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
    expect(await shop.payments.reconcile()).toMatchObject({ checked: 1, changed: 1, errors: 0 });
    expect(await shop.payments.get(payment.id)).toMatchObject({ status: 'paid', paidAmount: '42' });
    expect((await shop.hooks()).map((c) => c.hook)).toEqual(['onPaid']);
  });

  it('answers a duplicate notification OK and calls onPaid once (sent twice, then resent by hand)', async () => {
    const shop = await startShop({ sim: { notify: 'twice' } });
    const { payment } = await shop.checkout('o-dup', '25.00');
    await shop.sim.pay(payment.id);
    const resent = await shop.sim.resendNotification(payment.id);
    expect(shop.sim.notifications.map((n) => [n.status, n.body])).toEqual([
      [200, 'OK'],
      [200, 'OK'],
      [200, 'OK'],
    ]);
    expect(resent.status).toBe(200);
    expect(await shop.hooks()).toEqual([{ hook: 'onPaid', paymentId: payment.id, status: 'paid' }]);
  });

  it('a late notification after the buyer returned still pays once', async () => {
    const shop = await startShop({ sim: { notifyDelayMs: 50 } });
    const { payment, payUrl } = await shop.checkout('o-late', '12.00');
    const location = await pressButton(payUrl, 'pay');
    // The return asks info-pay, which already knows: the redirect itself is not trusted, AAIO's API is.
    expect(await returnTo(location)).toBe(`${shop.base}/shop/o-late/thanks`);
    await shop.sim.idle();
    expect(shop.sim.notifications.map((n) => n.status)).toEqual([200]);
    expect((await shop.hooks()).map((c) => c.hook)).toEqual(['onPaid']);
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
  });

  it('turns a genuinely signed underpayment into an anomaly', async () => {
    const shop = await startShop();
    const { payment, payUrl } = await shop.checkout('o-less', '30.00');
    await pressButton(payUrl, 'less');
    expect(await shop.payments.get(payment.id)).toMatchObject({ status: 'anomaly', anomaly: 'underpaid' });
    expect((await shop.hooks()).map((c) => c.hook)).toEqual(['onAnomaly']);
  });

  it('accepts multipart notifications', async () => {
    const shop = await startShop({ sim: { notificationEncoding: 'multipart' } });
    const { payment } = await shop.checkout('o-multi', '77.00');
    const [delivery] = await shop.sim.pay(payment.id);
    expect(delivery).toMatchObject({ status: 200, body: 'OK' });
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
  });

  it('passes desc, email, lang, method and us_* fields to AAIO, which echoes us_* back', async () => {
    const shop = await startShop();
    const { payment } = await shop.checkout('o-fields', '11.00', 'RUB', {
      description: 'Two mugs',
      email: 'buyer@example.test',
      lang: 'ru',
      method: 'sbp',
      metadata: { us_key: 'abc-1', us_user: '42', internal: 'not for AAIO' },
    });
    const order = shop.sim.orders.get(payment.id)!;
    expect(order).toMatchObject({ desc: 'Two mugs', email: 'buyer@example.test', lang: 'ru', method: 'sbp' });
    expect(order.usVars).toEqual({ us_key: 'abc-1', us_user: '42' });
    const [delivery] = await shop.sim.pay(payment.id);
    expect(delivery?.fields['us_key']).toBe('abc-1');
    expect(delivery?.status).toBe(200);
  });

  it('accepts a notification a body parser in front of paymount already parsed', async () => {
    const shop = await startShop();
    const { payment } = await shop.checkout('o-parsed', '9.00');
    await shop.sim.pay(payment.id, { notify: 'never' });
    const reply = await shop.payments.handle({
      method: 'POST',
      path: '/callback/aaio',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: shop.sim.notificationFields(payment.id),
      ip: '127.0.0.1',
    });
    expect(reply).toMatchObject({ status: 200, body: 'OK' });
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
  });

  it('an API key without the info-pay permission fails the notification with a 5xx that names the key', async () => {
    const shop = await startShop({ sim: { apiKeyPermissions: ['balance'] } });
    const { payment } = await shop.checkout('o-key', '9.00');
    const [delivery] = await shop.sim.pay(payment.id);
    expect(delivery?.status).toBe(502);
    expect(delivery?.body).toMatch(/API key/);
    expect(delivery?.body).not.toContain(shop.sim.merchant.apiKey);
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
    expect(await shop.payments.reconcile()).toMatchObject({ checked: 1, changed: 0, errors: 1 });
  });

  it('keeps a never-opened legacy pay link pending until orderLifetimeMs, then expires it', async () => {
    let clock = Date.parse('2026-03-01T10:00:00Z');
    const shop = await startShop({
      provider: { checkoutMode: 'pay_url', orderLifetimeMs: 3_600_000 },
      now: () => new Date(clock),
    });
    const { payment } = await shop.checkout('o-never', '5.00');
    expect(shop.sim.orders.size).toBe(0);
    expect(await shop.payments.reconcile()).toMatchObject({ checked: 1, changed: 0, errors: 0 });
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
    clock += 3_600_001;
    expect(await shop.payments.reconcile()).toMatchObject({ checked: 1, changed: 1, errors: 0 });
    expect(await shop.payments.get(payment.id)).toMatchObject({ status: 'expired' });
    expect((await shop.hooks()).map((c) => c.hook)).toEqual(['onExpired']);
  });

  it('a correctly signed notification in another currency becomes an anomaly, not paid', async () => {
    const shop = await startShop({ provider: { confirmWithInfoPay: false } });
    const { payment } = await shop.checkout('o-currency', '100.00');
    const { merchantId, secret2 } = shop.sim.merchant;
    const reply = await shop.notify({
      status: 'success',
      merchant_id: merchantId,
      invoice_id: '9b0f3c1e-1111-4c1e-9a53-3b1f2f0c9e11',
      order_id: payment.id,
      amount: '100.00',
      currency: 'USD',
      sign: docSign(merchantId, '100.00', 'USD', secret2, payment.id),
    });
    expect(reply).toEqual({ status: 200, text: 'OK' });
    expect(await shop.payments.get(payment.id)).toMatchObject({
      status: 'anomaly',
      anomaly: 'wrong_currency',
    });
    expect((await shop.hooks()).map((c) => c.hook)).toEqual(['onAnomaly']);
  });

  it('does not take the unsigned Success redirect as proof of payment', async () => {
    const shop = await startShop();
    const { payment } = await shop.checkout('o-redirect', '5.00');
    const forged = `${shop.publicUrl}/return?order_id=${payment.id}&amount=5.00&currency=RUB`;
    expect(await returnTo(forged)).toBe(`${shop.base}/shop/o-redirect/wait`);
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
    expect(await shop.hooks()).toEqual([]);
  });
});

describe('AAIO notification amounts are compared as decimals', () => {
  const formats: Array<[string, string, (sent: string) => string]> = [
    ['100', '100.00', () => '100'],
    ['100.0', '100.00', () => '100.0'],
    ['100.00', '100.00', (sent) => sent],
    ['10.54', '10.54', (sent) => sent],
    ['10.540', '10.54', () => '10.540'],
  ];
  for (const confirm of [true, false]) {
    for (const [echo, amount, amountEcho] of formats) {
      it(`pays ${amount} when AAIO echoes "${echo}" (confirmWithInfoPay ${confirm})`, async () => {
        const shop = await startShop({ sim: { amountEcho }, provider: { confirmWithInfoPay: confirm } });
        const { payment } = await shop.checkout(`o-fmt-${echo.replace('.', '_')}`, amount);
        const [delivery] = await shop.sim.pay(payment.id);
        expect(delivery?.fields['amount']).toBe(echo);
        expect(delivery).toMatchObject({ status: 200, body: 'OK' });
        expect(await shop.payments.get(payment.id)).toMatchObject({ status: 'paid', anomaly: null });
      });
    }
  }

  it('accepts a notification the test signs itself with the documented formula', async () => {
    const shop = await startShop({ provider: { confirmWithInfoPay: false } });
    const { payment } = await shop.checkout('o-self', '100.00');
    const { merchantId, secret2 } = shop.sim.merchant;
    const reply = await shop.notify(
      {
        status: 'success',
        merchant_id: merchantId,
        invoice_id: '48ebfc18-e6c7-11ed-a05b-0242ac120003',
        order_id: payment.id,
        amount: '100',
        currency: 'RUB',
        sign: docSign(merchantId, '100', 'RUB', secret2, payment.id),
      },
      { encoding: 'multipart' },
    );
    expect(reply).toEqual({ status: 200, text: 'OK' });
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
  });
});

describe('AAIO refuses bad notifications, changes nothing and calls no hook', () => {
  async function paidButUnnotified(shop: Shop, orderId: string, amount = '50.00') {
    const { payment } = await shop.checkout(orderId, amount);
    await shop.sim.pay(payment.id, { notify: 'never' });
    const before = (await shop.payments.get(payment.id))!;
    return { before, fields: shop.sim.notificationFields(payment.id) };
  }

  it('wrong sign → 401', async () => {
    const shop = await startShop();
    const { before, fields } = await paidButUnnotified(shop, 'r-sign');
    const forged = docSign(fields['merchant_id']!, fields['amount']!, 'RUB', 'not-secret-2', before.id);
    const reply = await shop.notify({ ...fields, sign: forged });
    expect(reply.status).toBe(401);
    expect(reply.text).toMatch(/sign/);
    expect(reply.text).not.toContain(shop.sim.merchant.secret2);
    await expectUntouched(shop, before);
  });

  it('wrong merchant → 401, even when signed with that merchant id', async () => {
    const shop = await startShop();
    const { before, fields } = await paidButUnnotified(shop, 'r-merchant');
    const other = '0d1f6a52-6c1e-4b8e-9a53-3b1f2f0c9e11';
    const reply = await shop.notify({
      ...fields,
      merchant_id: other,
      sign: docSign(other, fields['amount']!, 'RUB', shop.sim.merchant.secret2, before.id),
    });
    expect(reply.status).toBe(401);
    await expectUntouched(shop, before);
  });

  it('amount lowered by a forger → refused by the sign', async () => {
    const shop = await startShop({ provider: { confirmWithInfoPay: false } });
    const { before, fields } = await paidButUnnotified(shop, 'r-amount');
    const reply = await shop.notify({ ...fields, amount: '1.00' });
    expect(reply.status).toBe(401);
    await expectUntouched(shop, before);
  });

  it('currency changed by a forger → refused by the sign', async () => {
    const shop = await startShop({ provider: { confirmWithInfoPay: false } });
    const { before, fields } = await paidButUnnotified(shop, 'r-currency');
    const reply = await shop.notify({ ...fields, currency: 'UAH' });
    expect(reply.status).toBe(401);
    await expectUntouched(shop, before);
  });

  it('a GET, a missing sign or an unknown status → 4xx', async () => {
    const shop = await startShop();
    const { before, fields } = await paidButUnnotified(shop, 'r-shape');
    const get = await fetch(`${shop.publicUrl}/callback/aaio?${new URLSearchParams(fields)}`);
    expect(get.status).toBe(405);
    await get.arrayBuffer();
    const unsigned = Object.fromEntries(Object.entries(fields).filter(([key]) => key !== 'sign'));
    expect((await shop.notify(unsigned)).status).toBe(400);
    expect((await shop.notify({ ...fields, status: 'refund' })).status).toBe(400);
    await expectUntouched(shop, before);
  });

  it('a signed notification that AAIO’s API does not confirm → 5xx, so it can be resent', async () => {
    const shop = await startShop();
    const { payment } = await shop.checkout('r-unconfirmed', '20.00');
    const { merchantId, secret2 } = shop.sim.merchant;
    const reply = await shop.notify({
      status: 'success',
      merchant_id: merchantId,
      invoice_id: shop.sim.orders.get(payment.id)!.invoiceId,
      order_id: payment.id,
      amount: '20.00',
      currency: 'RUB',
      sign: docSign(merchantId, '20.00', 'RUB', secret2, payment.id),
    });
    expect(reply.status).toBe(502);
    await expectUntouched(shop, payment);
  });

  it('IP not allowed → 403 (socket address, X-Forwarded-For ignored without a trusted proxy)', async () => {
    const shop = await startShop({ provider: { ipAllowlist: ['91.107.204.74'] } });
    const { before, fields } = await paidButUnnotified(shop, 'r-ip');
    const delivery = await shop.sim.resendNotification(before.id);
    expect(delivery.status).toBe(403);
    const spoofed = await shop.notify(fields, { headers: { 'x-forwarded-for': '91.107.204.74' } });
    expect(spoofed.status).toBe(403);
    await expectUntouched(shop, before);
  });

  it('behind a trusted proxy the forwarded address decides', async () => {
    const shop = await startShop({ trustProxy: true, provider: { ipAllowlist: ['91.107.204.74'] } });
    const { before, fields } = await paidButUnnotified(shop, 'r-proxy');
    const outsider = await shop.notify(fields, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(outsider.status).toBe(403);
    await expectUntouched(shop, before);
    const aaioSource = await shop.notify(fields, { headers: { 'x-forwarded-for': '91.107.204.74' } });
    expect(aaioSource).toEqual({ status: 200, text: 'OK' });
    expect((await shop.payments.get(before.id))?.status).toBe('paid');
  });

  it("ipAllowlist 'fetch' reads AAIO's list, and falls back to the documented address when it cannot", async () => {
    const shop = await startShop({ provider: { ipAllowlist: 'fetch' } });
    const { payment } = await shop.checkout('r-fetch', '8.00');
    const [delivery] = await shop.sim.pay(payment.id);
    expect(delivery?.status).toBe(200);
    expect(shop.sim.apiCalls.filter((c) => c.path === '/api/public/ips')).toHaveLength(1);

    const down = await startShop({ provider: { ipAllowlist: 'fetch', retries: 0 } });
    const { before } = await paidButUnnotified(down, 'r-fetch-down');
    down.sim.setFault({ mode: 'down' });
    const refused = await down.sim.resendNotification(before.id);
    expect(refused.status).toBe(403);
    await expectUntouched(down, before);
  });
});

describe('AAIO API trouble at checkout', () => {
  const cases = [
    ['down', { mode: 'down' }, 503, 'provider_unavailable'],
    ['slow', { mode: 'slow', delayMs: 3_000 }, 504, 'provider_timeout'],
    ['garbage', { mode: 'garbage' }, 502, 'provider_error'],
    ['rate limited', { mode: 'rate-limit', retryAfterSeconds: 60 }, 503, 'provider_rate_limited'],
  ] as const;
  for (const [name, fault, status, code] of cases) {
    it(`${name} → ${status} ${code}, nothing lost, a retry works`, async () => {
      const shop = await startShop({ provider: { retries: 1, timeoutMs: 400 } });
      shop.orders.set('t-1', { amount: '60.00', currency: 'RUB' });
      shop.sim.setFault(fault);
      const failed = await fetch(`${shop.publicUrl}/checkout/t-1?provider=aaio`, {
        headers: { accept: 'application/json' },
      });
      expect(failed.status).toBe(status);
      expect(failed.headers.get('content-type')).toContain('application/json');
      const body = (await failed.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message).toMatch(/AAIO/);
      expect(JSON.stringify(body)).not.toContain(shop.sim.merchant.secret1);
      const [kept] = await shop.payments.findByOrder('t-1');
      expect(kept?.status).toBe('created');
      shop.sim.setFault(null);
      const retried = await shop.checkout('t-1', '60.00');
      expect(retried.payment.id).toBe(kept?.id);
      expect(await shop.payments.findByOrder('t-1')).toHaveLength(1);
    });
  }

  it('a 429 with a short Retry-After is waited out and the checkout succeeds', async () => {
    const shop = await startShop();
    shop.sim.setFault({ mode: 'rate-limit', retryAfterSeconds: 0, times: 1 });
    const { payUrl } = await shop.checkout('t-2', '3.00');
    expect(shop.sim.orderForPayUrl(payUrl)).not.toBeNull();
  });

  it('refuses a currency AAIO does not take before creating anything', async () => {
    const shop = await startShop();
    shop.orders.set('t-3', { amount: '3.00', currency: 'GBP' });
    const res = await fetch(`${shop.publicUrl}/checkout/t-3?provider=aaio`, {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await shop.payments.findByOrder('t-3')).toEqual([]);
  });
});

describe('AAIO provider options', () => {
  it('lists every problem at start-up and never echoes a secret', () => {
    let error: unknown;
    try {
      aaio({
        merchantId: 'not-a-uuid',
        secret1: '',
        secret2: 'very-secret-two',
        apiKey: 'k',
        baseUrl: 'ftp://x',
        ipAllowlist: ['nope'],
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PaymentsConfigError);
    const problems = (error as PaymentsConfigError).problems.join('\n');
    expect(problems).toMatch(/merchantId/);
    expect(problems).toMatch(/secret1/);
    expect(problems).toMatch(/baseUrl/);
    expect(problems).toMatch(/ipAllowlist/);
    expect(problems).not.toContain('very-secret-two');
  });

  it('reads the payment id from AAIO’s Success/Fail redirect only when it is one', () => {
    const provider = aaio({
      merchantId: 'f56b279c-d250-11ed-afa1-0242ac120002',
      secret1: 'a',
      secret2: 'b',
      apiKey: 'c',
    });
    expect(provider.paymentIdFromReturn?.(new URLSearchParams('order_id=pm_abcdefghijklmnopqrstuvwx'))).toBe(
      'pm_abcdefghijklmnopqrstuvwx',
    );
    expect(provider.paymentIdFromReturn?.(new URLSearchParams('order_id=../../admin'))).toBeNull();
    expect(provider.callbackReply({ ok: true })).toMatchObject({ status: 200, body: 'OK' });
  });
});

/** The shared provider suite, run against the AAIO simulator. */
const aaioHarness: ProviderHarness = {
  name: 'aaio',
  currency: 'RUB',
  async setup({ publicUrl }): Promise<HarnessInstance> {
    const sim = await startAaioSimulator({
      notificationUrl: `${publicUrl}/callback/aaio`,
      successUrl: `${publicUrl}/return`,
      failUrl: `${publicUrl}/return`,
    });
    let lastPaid: string | null = null;
    const orderOf = (payUrl: string) => {
      const order = sim.orderForPayUrl(payUrl);
      if (!order) throw new Error(`the AAIO simulator did not issue ${payUrl}`);
      return order;
    };
    return {
      provider: aaio({
        merchantId: sim.merchant.merchantId,
        secret1: sim.merchant.secret1,
        secret2: sim.merchant.secret2,
        apiKey: sim.merchant.apiKey,
        baseUrl: sim.url,
        timeoutMs: 1_000,
        retries: 1,
        retryDelayMs: 10,
      }),
      async act(payUrl, action) {
        const order = orderOf(payUrl);
        const location = await pressButton(payUrl, action === 'full' ? 'pay' : action);
        if (action === 'full') lastPaid = order.orderId;
        // The buyer follows AAIO's redirect to paymount's return route, as a browser would.
        await returnTo(location);
      },
      async payWithoutCallback(payUrl) {
        await sim.pay(orderOf(payUrl).orderId, { notify: 'never' });
      },
      async resendLastCallback() {
        if (!lastPaid) throw new Error('nothing was paid yet');
        return (await sim.resendNotification(lastPaid)).status ?? 0;
      },
      async forgeCallback(payUrl) {
        const order = orderOf(payUrl);
        const fields: Record<string, string> = {
          status: 'success',
          merchant_id: sim.merchant.merchantId,
          invoice_id: order.invoiceId,
          order_id: order.orderId,
          amount: order.amount,
          currency: order.currency,
        };
        fields['sign'] = docSign(
          fields['merchant_id']!,
          order.amount,
          order.currency,
          'guessed',
          order.orderId,
        );
        const res = await fetch(`${publicUrl}/callback/aaio`, {
          method: 'POST',
          body: new URLSearchParams(fields).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        await res.arrayBuffer();
        return res.status;
      },
      breakApi(mode) {
        sim.setFault(mode === null ? null : mode === 'slow' ? { mode, delayMs: 5_000 } : { mode });
      },
      close: () => sim.close(),
    };
  },
};

providerConformance(aaioHarness);
