import type { Payment } from '@paymount/core';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, buyerClicks, CALLBACK_SECRET, closeShops, type Shop, send, startShop } from './support.js';

afterEach(closeShops);

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
    // The order is bound to the first payment: refused before Aurpay is even asked (issue 14).
    expect(res.status).toBe(409);
    expect(res.text).toContain('provider_ref_taken');
    expect(await shop.payments.get(second.id)).toEqual(second);
  });

  it('pays one payment at most once per Aurpay order: a paid order replayed for another payment changes nothing', async () => {
    const shop = await startShop();
    const first = await shop.checkout('B-9a', '10.00');
    const second = await shop.checkout('B-9b', '10.00');
    await shop.sim.pay(first.payUrl!);
    const used = shop.sim.callbacks[0]!;
    const res = await send(shop.callbackUrl(second), 'POST', { ...used.headers }, used.body);
    // Refused for good, with a code of its own (issue 14, item 1): the order pays the first payment.
    expect(res.status).toBe(409);
    expect(res.text).toContain('provider_ref_taken');
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
