// Aurpay's API: both auth modes, the order info it returns and its statuses, the currency list.
import { createHash, createHmac } from 'node:crypto';
import { eventFromOrder, parseCurrencyList, parseOrderInfo } from '@paymount/aurpay';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, CALLBACK_SECRET, closeShops, send, startShop } from './support.js';

afterEach(closeShops);

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
      createdAtZoned: false,
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

  it('refuses an Aurpay order created well before the payment (orderClockSlackMs, create_time read as UTC)', async () => {
    const shop = await startShop({ orderTimeZone: 'UTC' }, { now: () => new Date(Date.now() - 3_600_000) });
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
