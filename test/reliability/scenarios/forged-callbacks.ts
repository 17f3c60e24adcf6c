// Forged callbacks, one per verification rule of each provider: every one is refused with
// its stable error code, and neither the payment nor the hooks move.
import { createHmac, randomUUID } from 'node:crypto';
import type { Payment } from '@paymount/core';
import type { AurpayCallbackTamper, AurpaySimCallback } from '@paymount/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { SECRETS } from '../support/capture.js';
import { figure } from '../support/figures.js';
import { replyCode } from '../support/replies.js';
import { type Shop, send, startShop } from '../support/shop.js';

const shops: Shop[] = [];
afterAll(async () => {
  for (const shop of shops) await shop.close();
});

function aurpaySignature(date: string, url: string, secret: string = SECRETS.aurpayCallbackSecret): string {
  return createHmac('sha256', secret).update(`${date} | ${url}`).digest('base64');
}

function withQuery(url: string, key: string, value: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set(key, value);
  return parsed.toString();
}

describe('forged Aurpay callbacks', () => {
  it('refuses each forgery with its code and changes nothing', async () => {
    const shop = await startShop({ providers: ['aurpay'] });
    shops.push(shop);
    shop.aurpaySim.faults.callbacks = 'drop';
    const payment = await shop.checkout('FORGE-A1', 'aurpay');
    const other = await shop.checkout('FORGE-A2', 'aurpay');
    const [genuine] = await shop.aurpaySim.pay(payment.payUrl!);
    const cb = genuine as AurpaySimCallback;
    const date = cb.headers['Date']!;
    const stale = new Date(Date.now() - 30 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const foreignUrl = withQuery(cb.url, 'pm', other.id);
    const cases: [string, AurpayCallbackTamper, string][] = [
      ['wrong API-Key', { headers: { 'API-Key': 'rel-not-the-merchant-key-000' } }, 'callback_unauthorized'],
      ['missing API-Key', { headers: { 'API-Key': null } }, 'callback_unauthorized'],
      [
        'Signature with a guessed secret',
        { headers: { Signature: aurpaySignature(date, cb.url, 'guessed-callback-secret') } },
        'callback_unauthorized',
      ],
      ['missing Signature', { headers: { Signature: null } }, 'callback_unauthorized'],
      [
        'signed URL: pm of another payment (re-signed by Aurpay rules)',
        { url: foreignUrl, headers: { Signature: aurpaySignature(date, foreignUrl) } },
        'callback_unauthorized',
      ],
      [
        'signed URL: sig altered',
        {
          url: withQuery(cb.url, 'sig', 'A'.repeat(43)),
          headers: { Signature: aurpaySignature(date, withQuery(cb.url, 'sig', 'A'.repeat(43))) },
        },
        'callback_unauthorized',
      ],
      [
        'signed URL: ev=timeout on the paid URL',
        {
          url: withQuery(cb.url, 'ev', 'timeout'),
          headers: { Signature: aurpaySignature(date, withQuery(cb.url, 'ev', 'timeout')) },
        },
        'callback_unauthorized',
      ],
      [
        'replayed Date (30 min old, correctly signed)',
        { headers: { Date: stale, Signature: aurpaySignature(stale, cb.url) } },
        'callback_replayed',
      ],
      ['body order_id not an Aurpay id', { body: { order_id: '../../../etc/passwd' } }, 'callback_invalid'],
    ];
    const before = await shop.payments.get(payment.id);
    const otherBefore = await shop.payments.get(other.id);
    for (const [name, tamper, code] of cases) {
      const [status] = await shop.aurpaySim.sendCallback(cb, { tamper });
      const reply = shop.aurpaySim.callbacks.at(-1)!.response;
      await figure(
        {
          area: 'forged',
          scenario: `aurpay: ${name}`,
          sent: 1,
          result: `HTTP ${status} ${replyCode(reply)}`,
        },
        async () => {
          expect(status).toBeGreaterThanOrEqual(400);
          expect(status).toBeLessThan(500);
          expect(replyCode(reply)).toBe(code);
          expect(await shop.payments.get(payment.id)).toEqual(before);
          expect(await shop.payments.get(other.id)).toEqual(otherBefore);
          expect(await shop.hooks()).toEqual([]);
        },
      );
    }
  });

  it('takes amount and currency from the detail API, never from the callback body', async () => {
    const shop = await startShop({ providers: ['aurpay'] });
    shops.push(shop);
    shop.aurpaySim.faults.callbacks = 'drop';
    // A payment whose Aurpay order is still unpaid, and a callback body that claims otherwise.
    const unpaid = await shop.checkout('TAMPER-A1', 'aurpay');
    const decoy = await shop.checkout('TAMPER-A2', 'aurpay', '1.00');
    const [decoyCallback] = await shop.aurpaySim.pay(decoy.payUrl!);
    const unpaidOrder = shop.aurpaySim.order(unpaid.payUrl!)!;
    const url = unpaidOrder.callbackUrl!;
    const date = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const signed = {
      ...decoyCallback!,
      url,
      headers: { ...decoyCallback!.headers, Date: date, Signature: aurpaySignature(date, url) },
    };
    const [claimed] = await shop.aurpaySim.sendCallback(signed, {
      tamper: { body: { ...unpaidOrder.info, status: 'SUCCESS', vs_price: '10.0' } },
    });
    const afterClaim = await shop.payments.get(unpaid.id);
    await figure(
      {
        area: 'forged',
        scenario: 'aurpay: body says SUCCESS 10.0, detail API says PENDING',
        sent: 1,
        result: `HTTP ${claimed} status=${afterClaim?.status} onPaid=${shop.hookCalls.length}`,
      },
      async () => {
        expect(afterClaim?.status).toBe('pending');
        expect(await shop.hooks()).toEqual([]);
      },
    );
    // The genuine, correctly signed callback URL of the 10.00 payment naming an Aurpay order paid at 1.00.
    const [swapped] = await shop.aurpaySim.sendCallback(signed, {
      tamper: { body: { order_id: decoyCallback!.orderId, vs_price: '10.0', status: 'SUCCESS' } },
    });
    const afterSwap = await shop.payments.get(unpaid.id);
    const calls = await shop.hooks();
    await figure(
      {
        area: 'forged',
        scenario: 'aurpay: callback names an order paid 1.00 for a 10.00 payment',
        sent: 1,
        result: `HTTP ${swapped} ${replyCode(shop.aurpaySim.callbacks.at(-1)!.response)} ${afterSwap?.status} onPaid=${calls.filter((c) => c.hook === 'onPaid').length}`,
      },
      () => {
        expect(afterSwap?.status).not.toBe('paid');
        expect(calls.some((c) => c.hook === 'onPaid')).toBe(false);
      },
    );
  });
});

describe('forged AAIO notifications', () => {
  async function post(
    shop: Shop,
    fields: Record<string, string>,
  ): Promise<{ status: number; code: string | null }> {
    const res = await send(`${shop.base}/pay/callback/aaio`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: res.status, code: replyCode(res.text) };
  }

  async function refused(
    shop: Shop,
    payments: Payment[],
    name: string,
    fields: Record<string, string>,
    code: string,
  ) {
    const before = await Promise.all(payments.map((p) => shop.payments.get(p.id)));
    const { status, code: got } = await post(shop, fields);
    await figure(
      { area: 'forged', scenario: `aaio: ${name}`, sent: 1, result: `HTTP ${status} ${got}` },
      async () => {
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
        expect(got).toBe(code);
        expect(await Promise.all(payments.map((p) => shop.payments.get(p.id)))).toEqual(before);
        expect(await shop.hooks()).toEqual([]);
      },
    );
  }

  it('refuses each forgery with its code and changes nothing', async () => {
    const shop = await startShop({ providers: ['aaio'] });
    shops.push(shop);
    const payment = await shop.checkout('FORGE-B1', 'aaio');
    const other = await shop.checkout('FORGE-B2', 'aaio');
    await shop.aaioSim.pay(payment.id, { notify: 'never' });
    const genuine = shop.aaioSim.notificationFields(payment.id);
    const both = [payment, other];
    const cases: [string, Record<string, string>, string][] = [
      ['sign made with a guessed secret #2', { ...genuine, sign: 'ab'.repeat(32) }, 'callback_unauthorized'],
      ['sign missing', { ...genuine, sign: '' }, 'callback_invalid'],
      ['merchant_id of another shop', { ...genuine, merchant_id: randomUUID() }, 'callback_unauthorized'],
      [
        'amount raised, sign kept',
        { ...genuine, amount: '1000.00', profit: '1000.00' },
        'callback_unauthorized',
      ],
      ['amount lowered, sign kept', { ...genuine, amount: '0.01' }, 'callback_unauthorized'],
      ['currency changed, sign kept', { ...genuine, currency: 'EUR' }, 'callback_unauthorized'],
      ['order_id of another payment, sign kept', { ...genuine, order_id: other.id }, 'callback_unauthorized'],
      ['status not a paid one', { ...genuine, status: 'refund' }, 'callback_invalid'],
    ];
    for (const [name, fields, code] of cases) await refused(shop, both, name, fields, code);
  });

  it('refuses a genuine notification from an address outside the allowlist', async () => {
    const shop = await startShop({ providers: ['aaio'], aaio: { ipAllowlist: ['10.9.8.7'] } });
    shops.push(shop);
    const payment = await shop.checkout('FORGE-B3', 'aaio');
    await shop.aaioSim.pay(payment.id, { notify: 'never' });
    await refused(
      shop,
      [payment],
      'genuine notification from 127.0.0.1, allowlist 10.9.8.7',
      shop.aaioSim.notificationFields(payment.id),
      'callback_forbidden',
    );
  });
});
