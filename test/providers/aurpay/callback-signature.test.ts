import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, CALLBACK_SECRET, callbackSig, closeShops, send, startShop } from './support.js';

afterEach(closeShops);

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
