// Item 5 of issue 21: `loadOrder` is where a shop decides who may pay an order. Its
// context carries the framework's own request (Express `req`, Koa `ctx`), so the shop
// reads its session there; a stranger then gets 404 and never a buyer's live payment.
// Neither the checkout JSON nor the pay URL carries the buyer's e-mail.
import type { OrderDetails } from '@paymount/core';
import { afterAll, describe, expect, it } from 'vitest';
import { aaioOrderIdOf, aaioPayUrl, type FakeProvider, startFakeProvider } from './support/fake-provider.js';
import { errorCode, send, watchCrashes } from './support/http.js';
import { aaioAt, startShop } from './support/shop.js';
import { FRAMEWORKS, sessionUser } from './support/shops.js';

const EMAIL = 'alice.buyer@example.test';
const ORDERS: Readonly<Record<string, { owner: string; order: OrderDetails }>> = {
  '1001': { owner: 'alice', order: { amount: '10.00', currency: 'USD', email: EMAIL, description: 'Mug' } },
};
const watch = watchCrashes();
afterAll(() => {
  watch.stop();
  expect(watch.crashes).toEqual([]);
});

/** The README's pattern: the order, but only for the signed-in user who owns it. */
function ownedOrders(seen: unknown[]) {
  return (orderId: string, context: { request?: { frameworkRequest?: unknown } }) => {
    const frameworkRequest = context.request?.frameworkRequest;
    seen.push(frameworkRequest);
    const entry = ORDERS[orderId];
    return entry && entry.owner === sessionUser(frameworkRequest) ? entry.order : null;
  };
}

function expectNoEmail(text: string | undefined): void {
  for (const form of [EMAIL, encodeURIComponent(EMAIL), 'email=']) expect(text ?? '').not.toContain(form);
}

for (const framework of FRAMEWORKS) {
  describe(`${framework.name}: checkout ownership and the buyer's e-mail`, () => {
    for (const checkoutMode of ['get_pay_url', 'pay_url'] as const) {
      it(`${checkoutMode}: only the owner gets the payment; no answer carries the e-mail`, async () => {
        const fake: FakeProvider = await startFakeProvider((request) =>
          aaioPayUrl(`https://pay.aaio.test/form/${aaioOrderIdOf(request)}`),
        );
        const requests: unknown[] = [];
        const seen: unknown[] = [];
        const shop = await startShop({
          framework,
          setup: { onRequest: (raw) => requests.push(raw) },
          providers: { aaio: aaioAt(fake.url, { checkoutMode }) },
          loadOrder: ownedOrders(seen),
        });
        try {
          const path = '/pay/checkout/1001?format=json';
          for (const cookie of [undefined, 'user=bob']) {
            const reply = await send(shop.url, 'GET', path, cookie ? { headers: { cookie } } : {});
            expect(reply.status).toBe(404);
            expect(errorCode(reply)).toBe('order_not_found');
          }
          expect(await shop.payments.findByOrder('1001')).toEqual([]);
          // loadOrder saw exactly the framework's own request object of each request.
          expect(seen).toHaveLength(2);
          expect(seen[0]).toBe(requests[0]);
          expect(seen[1]).toBe(requests[1]);

          const owner = await send(shop.url, 'GET', path, { headers: { cookie: 'user=alice' } });
          expect(owner.status).toBe(200);
          expectNoEmail(owner.text);
          const { paymentId, payUrl } = JSON.parse(owner.text) as { paymentId: string; payUrl: string };
          const redirect = await send(shop.url, 'GET', '/pay/checkout/1001', {
            headers: { cookie: 'user=alice' },
          });
          expect(redirect.status).toBe(303);
          expect(redirect.headers['location']).toBe(payUrl);
          expectNoEmail(redirect.headers['location']);
          expectNoEmail(JSON.stringify(await shop.payments.get(paymentId).then((p) => p?.payUrl)));
          if (checkoutMode === 'get_pay_url') {
            // The e-mail still reaches AAIO: in the server-to-server POST, not in the buyer's URL.
            expect(new URLSearchParams(fake.requests[0]?.body).get('email')).toBe(EMAIL);
          } else {
            expect(fake.requests).toEqual([]);
          }

          // The live payment is reused for its owner only: a stranger still gets nothing.
          const stranger = await send(shop.url, 'GET', path);
          expect(stranger.status).toBe(404);
          expect(stranger.text).not.toContain(paymentId);
        } finally {
          await shop.close();
          await fake.close();
        }
      });
    }
  });
}
