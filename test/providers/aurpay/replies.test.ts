// What paymount answers an Aurpay callback, row by row of the table in
// packages/aurpay/README.md ("Callback replies: 4xx or 5xx"): a 4xx will never succeed
// and changes nothing; a 5xx is an outage (Aurpay's API or the store) and the same
// callback sent again once it is over is taken.
import type { Payment } from '@paymount/core';
import { afterEach, describe, expect, it } from 'vitest';
import { switchableStore } from '../support/switchable-store.js';
import { API_KEY, CALLBACK_SECRET, callbackSig, closeShops, type Shop, send, startShop } from './support.js';

afterEach(closeShops);

const JSON_TYPE = { 'content-type': 'application/json' };

/** Paid at Aurpay, callback not sent yet: the POST callback Aurpay would send (order-info body, echoed key). */
async function pendingCallback(shop: Shop, orderId: string, extra: { method?: string } = {}) {
  const payment = await shop.checkout(orderId, '10.00', extra);
  await shop.sim.pay(payment.payUrl!, { callback: false });
  const order = shop.sim.order(payment.payUrl!)!;
  const url = shop.callbackUrl(payment);
  const body = JSON.stringify(order.info);
  const headers = { ...JSON_TYPE, 'API-Key': API_KEY };
  return { payment, order, url, body, headers, post: () => send(url, 'POST', headers, body) };
}

/** Aurpay's reply: `{code, message, error, result}`. */
function reply(res: { status: number; text: string }): { status: number; error: string | undefined } {
  let error: string | undefined;
  try {
    error = (JSON.parse(res.text) as { error?: string }).error;
  } catch {
    error = undefined;
  }
  return { status: res.status, error };
}

async function unchanged(shop: Shop, payment: Payment): Promise<void> {
  expect(await shop.payments.get(payment.id)).toEqual(payment);
  expect(await shop.hooks()).toEqual([]);
}

describe('aurpay replies: 4xx, will never succeed, nothing changed', () => {
  it('400 callback_invalid: a malformed order id, or two different orders named', async () => {
    const shop = await startShop();
    const c = await pendingCallback(shop, 'Y-400a');
    const malformed = await send(
      c.url,
      'POST',
      c.headers,
      JSON.stringify({ ...c.order.info, order_id: '../x' }),
    );
    expect(reply(malformed)).toEqual({ status: 400, error: 'callback_invalid' });
    const two = await send(`${c.url}&aurpay_order_id=20250101000000000001`, 'POST', c.headers, c.body);
    expect(reply(two)).toEqual({ status: 400, error: 'callback_invalid' });
    await unchanged(shop, c.payment);
  });

  it('400 callback_invalid: a GET callback naming no Aurpay order (unconfirmedCallbacks: refuse)', async () => {
    const shop = await startShop();
    const c = await pendingCallback(shop, 'Y-400b');
    expect(reply(await send(c.url, 'GET', { 'API-Key': API_KEY }))).toEqual({
      status: 400,
      error: 'callback_invalid',
    });
    await unchanged(shop, c.payment);
  });

  it('400 callback_invalid: an order that is not the payment’s (not the bound one, or older in every zone)', async () => {
    const shop = await startShop();
    const bound = await pendingCallback(shop, 'Y-400c', { method: 'BTC' });
    const stranger = await pendingCallback(shop, 'Y-400d');
    const other = await send(bound.url, 'POST', bound.headers, stranger.body);
    expect(reply(other)).toEqual({ status: 400, error: 'callback_invalid' });
    await unchanged(shop, bound.payment);

    const old = await startShop({}, { now: () => new Date(Date.now() - 2 * 86_400_000) });
    const stale = await pendingCallback(old, 'Y-400e');
    expect(reply(await stale.post())).toEqual({ status: 400, error: 'callback_invalid' });
    await unchanged(old, stale.payment);
  });

  it('401 callback_unauthorized: paymount’s signed URL, the echoed API-Key, or Aurpay’s signature does not match', async () => {
    const shop = await startShop({ callbackSecret: CALLBACK_SECRET });
    const c = await pendingCallback(shop, 'Y-401');
    const date = new Date().toISOString();
    const signed = {
      ...c.headers,
      'Callback-Token': 't',
      Date: date,
      Signature: callbackSig(CALLBACK_SECRET, date, c.url),
    };
    const tamperedUrl = c.url.replace(/sig=[^&]+/, 'sig=AAAA');
    for (const [url, headers] of [
      [tamperedUrl, { ...signed, Signature: callbackSig(CALLBACK_SECRET, date, tamperedUrl) }],
      [c.url, { ...signed, 'API-Key': `${API_KEY}-wrong` }],
      [c.url, { ...signed, Signature: callbackSig('not-the-callback-secret', date, c.url) }],
    ] as const) {
      expect(reply(await send(url, 'POST', headers, c.body))).toEqual({
        status: 401,
        error: 'callback_unauthorized',
      });
    }
    // The genuine one goes through: nothing above was refused for another reason.
    expect((await send(c.url, 'POST', signed, c.body)).status).toBe(200);
  });

  it('401 callback_replayed: a signed callback whose Date is outside callbackMaxSkewMs', async () => {
    const shop = await startShop({ callbackSecret: CALLBACK_SECRET });
    const c = await pendingCallback(shop, 'Y-replay');
    const date = new Date(Date.now() - 3_600_000).toISOString();
    const headers = {
      ...c.headers,
      'Callback-Token': 't',
      Date: date,
      Signature: callbackSig(CALLBACK_SECRET, date, c.url),
    };
    expect(reply(await send(c.url, 'POST', headers, c.body))).toEqual({
      status: 401,
      error: 'callback_replayed',
    });
    await unchanged(shop, c.payment);
  });

  it('404 payment_not_found: a genuinely signed URL for a payment this store does not have', async () => {
    const shop = await startShop();
    const c = await pendingCallback(shop, 'Y-404');
    // Another shop with the same secret (a reset store, a wrong database): the URL verifies, the payment is not there.
    const empty = await startShop();
    const res = await send(c.url.replace(shop.base, empty.base), 'POST', c.headers, c.body);
    expect(reply(res)).toEqual({ status: 404, error: 'payment_not_found' });
  });

  it('409 provider_ref_taken: the Aurpay order already pays another payment', async () => {
    const shop = await startShop();
    const first = await pendingCallback(shop, 'Y-409a');
    expect((await first.post()).status).toBe(200);
    const second = await pendingCallback(shop, 'Y-409b');
    const res = await send(second.url, 'POST', second.headers, first.body);
    expect(reply(res)).toEqual({ status: 409, error: 'provider_ref_taken' });
    expect(await shop.payments.get(second.payment.id)).toEqual(second.payment);
    expect(await shop.hooks()).toEqual([`onPaid:${first.payment.id}`]);
  });

  it('413 payload_too_large: a body over maxBodyBytes', async () => {
    const shop = await startShop({}, {}, { maxBodyBytes: 1_024 });
    const c = await pendingCallback(shop, 'Y-413');
    const big = JSON.stringify({ ...c.order.info, remark: 'x'.repeat(2_000) });
    expect((await send(c.url, 'POST', c.headers, big)).status).toBe(413);
    expect((await shop.payments.get(c.payment.id))?.status).toBe('pending');
  });
});

describe('aurpay replies: 5xx, an outage, the same callback is taken once it is over', () => {
  const outages = [
    ['502 provider_error', 502, 'provider_error', 'garbage'],
    ['503 provider_unavailable', 503, 'provider_unavailable', 'down'],
    ['503 provider_rate_limited', 503, 'provider_rate_limited', 'rate-limit'],
    ['504 provider_timeout', 504, 'provider_timeout', 'hang'],
  ] as const;
  for (const [title, status, code, fault] of outages) {
    it(`${title}: Aurpay's order detail API is ${fault}`, async () => {
      const shop = await startShop({ retries: 0, timeoutMs: 300 });
      const c = await pendingCallback(shop, `Y-${fault}`);
      shop.sim.faults.api = fault;
      expect(reply(await c.post())).toEqual({ status, error: code });
      await unchanged(shop, c.payment);
      shop.sim.faults.api = null;
      expect((await c.post()).status).toBe(200);
      expect((await shop.payments.get(c.payment.id))?.status).toBe('paid');
    });
  }

  const storeFailures = [
    ['store_unavailable', 503, 'store_unavailable'],
    ['store_error', 500, 'store_error'],
  ] as const;
  for (const [failure, status, code] of storeFailures) {
    it(`${status} ${code}: the payment store fails (${failure})`, async () => {
      const { store, fail } = switchableStore();
      const shop = await startShop({}, {}, { store });
      const c = await pendingCallback(shop, `Y-${code}`);
      fail(failure);
      expect(reply(await c.post())).toEqual({
        status: code === 'store_unavailable' ? 503 : 500,
        error: code,
      });
      fail(null);
      expect(await shop.payments.get(c.payment.id)).toEqual(c.payment);
      expect((await c.post()).status).toBe(200);
      expect((await shop.payments.get(c.payment.id))?.status).toBe('paid');
    });
  }
});
