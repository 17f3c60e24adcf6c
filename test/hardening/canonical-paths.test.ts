// Item 2 of issue 21: one canonical path per route. paymount serves a request only under
// the exact spelling the shop's own router sees, so a guard the shop puts on
// `/pay/checkout/:orderId` or `/pay/callback/aaio` runs for every request paymount
// serves: no percent-decoding of names and ids, and a trailing slash is not paymount's.
import type { PaymentProvider } from '@paymount/core';
import { testProvider } from '@paymount/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, send, watchCrashes } from './support/http.js';
import { type HardeningShop, startShop } from './support/shop.js';
import { FRAMEWORKS, type ShopSetup } from './support/shops.js';

const TOKEN = 'canonical-token';
const watch = watchCrashes();
afterAll(() => {
  watch.stop();
  expect(watch.crashes).toEqual([]);
});

/** The test provider under the name `aaio`, counting the callbacks it was asked to check. */
function countingProvider(): PaymentProvider & { readonly verified: number; readonly checkouts: number } {
  const base = testProvider({ token: TOKEN });
  let verified = 0;
  return {
    ...base,
    async verifyCallback(input, ctx) {
      verified++;
      return base.verifyCallback(input, ctx);
    },
    get verified() {
      return verified;
    },
    get checkouts() {
      return base.checkoutCalls;
    },
  };
}

const CALLBACK_SPELLINGS = [
  '/pay/callback/aa%69o',
  '/pay/callback/%61aio',
  '/pay/callback/%61%61%69%6f',
  '/pay/callback/AAIO',
  '/pay/callback/aaio/',
  '/pay/callback/aaio%2F',
  '/pay/callback/aaio%00',
];

const CHECKOUT_SPELLINGS = [
  '/pay/checkout/o1',
  '/pay/checkout/o1/',
  '/pay/checkout/o%31',
  '/pay/checkout/%6F1',
  '/pay/checkout/o1%2F',
  '/pay/checkout/o1/.',
];

const setups: ReadonlyArray<{ label: string; setup: ShopSetup; express?: boolean }> = [
  { label: 'default routing', setup: { guards: true } },
  { label: 'strict routing', setup: { guards: true, strictRouting: true }, express: true },
];

for (const framework of FRAMEWORKS) {
  for (const { label, setup, express } of setups) {
    if (express && framework.kind !== 'express') continue;
    describe(`${framework.name} (${label}): the shop's guards see every request paymount serves`, () => {
      let shop: HardeningShop;
      let provider: ReturnType<typeof countingProvider>;
      beforeAll(async () => {
        provider = countingProvider();
        shop = await startShop({ framework, setup, providers: { aaio: provider } });
      });
      afterAll(async () => {
        await shop.close();
      });

      it('an encoded, re-cased or slashed callback path is refused and never reaches the provider check', async () => {
        const direct = await send(shop.url, 'POST', '/pay/callback/aaio', { body: '{}' });
        expect(direct.status).toBe(403);
        for (const path of CALLBACK_SPELLINGS) {
          const reply = await send(shop.url, 'POST', path, {
            headers: { 'content-type': 'application/json', 'x-test-token': TOKEN },
            body: JSON.stringify({ paymentId: 'pm_x', status: 'paid' }),
          });
          expect([403, 404], `${path} → ${reply.status} ${reply.text}`).toContain(reply.status);
        }
        expect(provider.verified).toBe(0);
      });

      it('no spelling of a checkout path creates a payment without the login guard', async () => {
        for (const path of CHECKOUT_SPELLINGS) {
          const reply = await send(shop.url, 'GET', path);
          expect([400, 401, 404], `${path} → ${reply.status} ${reply.text}`).toContain(reply.status);
        }
        expect(provider.checkouts).toBe(0);
        expect(await shop.payments.findByOrder('o1')).toEqual([]);
      });

      it('signed in, only the canonical spelling is served; the others are refused or not paymount’s', async () => {
        const session = { cookie: 'user=alice' };
        const served = await send(shop.url, 'GET', '/pay/checkout/o2', { headers: session });
        expect(served.status).toBe(303);
        const slashed = await send(shop.url, 'GET', '/pay/checkout/o3/', { headers: session });
        expect(slashed.status).toBe(404);
        expect(errorCode(slashed)).toBeNull(); // the framework's own 404: the path is not paymount's
        const encoded = await send(shop.url, 'GET', '/pay/checkout/o%34', { headers: session });
        expect(encoded.status).toBe(400);
        expect(errorCode(encoded)).toBe('invalid_order_id');
        expect(await shop.payments.findByOrder('o3')).toEqual([]);
        expect(await shop.payments.findByOrder('o4')).toEqual([]);
        expect(provider.checkouts).toBe(1);
      });

      it('return and status take the canonical spelling only', async () => {
        const res = await send(shop.url, 'GET', '/pay/checkout/o5?format=json', {
          headers: { cookie: 'user=bob' },
        });
        const { paymentId } = JSON.parse(res.text) as { paymentId: string };
        expect((await send(shop.url, 'GET', `/pay/status/${paymentId}`)).status).toBe(200);
        expect((await send(shop.url, 'GET', `/pay/return/${paymentId}`)).status).toBe(303);
        for (const path of [`/pay/status/${paymentId}/`, `/pay/return/${paymentId}/`, '/pay/return/']) {
          const reply = await send(shop.url, 'GET', path);
          expect(reply.status, path).toBe(404);
          expect(errorCode(reply), path).toBeNull();
        }
        const encoded = `/pay/status/${paymentId.replace('pm_', 'pm%5F')}`;
        const reply = await send(shop.url, 'GET', encoded);
        expect(reply.status).toBe(404);
        expect(errorCode(reply)).toBe('payment_not_found');
      });

      it('the gateway reaches the canonical callback path through the guard', async () => {
        const res = await send(shop.url, 'GET', '/pay/checkout/o6?format=json', {
          headers: { cookie: 'user=carol' },
        });
        const { paymentId } = JSON.parse(res.text) as { paymentId: string };
        const reply = await send(shop.url, 'POST', '/pay/callback/aaio', {
          headers: { 'content-type': 'application/json', 'x-test-token': TOKEN, 'x-gateway': 'aaio' },
          body: JSON.stringify({ paymentId, status: 'paid', amount: '10.00', currency: 'USD' }),
        });
        expect(reply.status).toBe(200);
        expect((await shop.payments.get(paymentId))?.status).toBe('paid');
      });
    });
  }
}
