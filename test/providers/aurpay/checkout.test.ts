import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, buyerClicks, closeShops, startShop } from './support.js';

afterEach(closeShops);

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
