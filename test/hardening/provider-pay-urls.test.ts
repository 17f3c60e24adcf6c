// Item 1 of issue 21: a provider's pay URL (or any answer) can never end the shop's
// process. Pay URLs are normalised once, before they are stored; what cannot be
// normalised is a 502 provider_error and nothing is stored; an answer Node would refuse
// to write is paymount's 500 JSON, on Express 4/5 and Koa 2/3 alike.
import { memoryStore, type Payment, type PaymentProvider, type PaymentStore } from '@paymount/core';
import { writeNodeFailure, writeNodeResponse } from '@paymount/core/node';
import { newPaymentId } from '@paymount/core/store';
import { testProvider } from '@paymount/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  aaioPayUrl,
  aurpayEnvelope,
  type FakeAnswer,
  type FakeProvider,
  startFakeProvider,
} from './support/fake-provider.js';
import { errorCode, send, serve, watchCrashes } from './support/http.js';
import { aaioAt, aurpayAt, startShop } from './support/shop.js';
import { FRAMEWORKS } from './support/shops.js';

const watch = watchCrashes();
afterAll(() => {
  watch.stop();
  expect(watch.crashes).toEqual([]);
});

/** What each provider's checkout call answers when it hands back `url`. */
const PROVIDERS: ReadonlyArray<{ name: 'aaio' | 'aurpay'; answer: (url: string) => FakeAnswer }> = [
  { name: 'aaio', answer: (url) => aaioPayUrl(url) },
  { name: 'aurpay', answer: (url) => aurpayEnvelope({ pay_url: url }) },
];

/** Pay URLs a provider might answer, and what the buyer is sent to (null: refused, 502). */
const PAY_URLS: ReadonlyArray<{ label: string; url: string; location: string | null }> = [
  {
    label: 'a Cyrillic path',
    url: 'https://pay.aaio.test/форма/1',
    location: 'https://pay.aaio.test/%D1%84%D0%BE%D1%80%D0%BC%D0%B0/1',
  },
  {
    label: 'an internationalised host',
    url: 'https://пример.испытание/pay?lang=ё',
    location: 'https://xn--e1afmkfd.xn--80akhbyknj4f/pay?lang=%D1%91',
  },
  {
    label: 'a CR/LF header injection',
    url: 'https://pay.aaio.test/1\r\nSet-Cookie: sid=evil',
    location: null,
  },
  { label: 'a bare line feed', url: 'https://pay.aaio.test/\n1', location: null },
  { label: 'a NUL byte', url: 'https://pay.aaio.test/\u00001', location: null },
  { label: 'credentials', url: 'https://user:secret@pay.aaio.test/1', location: null },
  { label: 'an unparsable host', url: 'https://pay aaio.test/1', location: null },
  { label: 'a port out of range', url: 'https://pay.aaio.test:99999/1', location: null },
  { label: 'a 9 KiB URL', url: `https://pay.aaio.test/${'a'.repeat(9 * 1024)}`, location: null },
];

function storedPayment(
  store: PaymentStore,
  orderId: string,
  provider: string,
  payUrl: string,
): Promise<Payment> {
  const now = new Date().toISOString();
  const payment: Payment = {
    id: newPaymentId(),
    orderId,
    provider,
    amount: '10.00',
    currency: 'USD',
    status: 'pending',
    providerRef: null,
    payUrl,
    providerStatus: null,
    paidAmount: null,
    paidCurrency: null,
    anomaly: null,
    description: null,
    metadata: {},
    createdAt: now,
    updatedAt: now,
    paidAt: null,
    version: 2,
  };
  return store.createOrReuse(payment, Date.now() + 60_000).then((r) => r.payment);
}

for (const framework of FRAMEWORKS) {
  describe(`${framework.name}: provider pay URLs`, () => {
    for (const provider of PROVIDERS) {
      describe(provider.name, () => {
        let fake: FakeProvider;
        let orders = 0;
        const shopWith = async () => {
          fake = await startFakeProvider(() => ({ status: 404, body: '{}' }));
          const providers = {
            [provider.name]: provider.name === 'aaio' ? aaioAt(fake.url) : aurpayAt(fake.url),
          };
          return startShop({ framework, providers });
        };

        for (const { label, url, location } of PAY_URLS) {
          it(`${label}: ${location ? '303 to the normalised URL' : '502 provider_error, nothing stored'}`, async () => {
            const shop = await shopWith();
            try {
              fake.respond = () => provider.answer(url);
              const orderId = `url-${++orders}`;
              const reply = await send(shop.url, 'GET', `/pay/checkout/${orderId}`);
              const [payment] = await shop.payments.findByOrder(orderId);
              if (location) {
                expect(reply.status).toBe(303);
                expect(reply.headers['location']).toBe(location);
                expect(payment).toMatchObject({ status: 'pending', payUrl: location });
                // The stored URL is what every later visit gets, as a header and as JSON.
                const again = await send(shop.url, 'GET', `/pay/checkout/${orderId}?format=json`);
                expect(JSON.parse(again.text)).toMatchObject({ payUrl: location, redirectUrl: location });
              } else {
                expect(reply.status).toBe(502);
                expect(errorCode(reply)).toBe('provider_error');
                expect(reply.headers['set-cookie']).toBeUndefined();
                expect(payment).toMatchObject({ status: 'created', payUrl: null });
              }
            } finally {
              await shop.close();
              await fake.close();
            }
          });
        }
      });
    }

    it('a pay URL stored before normalisation: normalised when reused, or 502; the process lives', async () => {
      const store = memoryStore();
      const shop = await startShop({ framework, providers: { test: testProvider() }, options: { store } });
      try {
        await storedPayment(store, 'old-1', 'test', 'https://pay.example.test/форма/old-1');
        await storedPayment(store, 'old-2', 'test', 'https://pay.example.test/old-2\r\nSet-Cookie: sid=evil');
        const good = await send(shop.url, 'GET', '/pay/checkout/old-1');
        expect(good.status).toBe(303);
        expect(good.headers['location']).toBe(
          'https://pay.example.test/%D1%84%D0%BE%D1%80%D0%BC%D0%B0/old-1',
        );
        for (let visit = 0; visit < 3; visit++) {
          const bad = await send(shop.url, 'GET', '/pay/checkout/old-2');
          expect(bad.status).toBe(502);
          expect(errorCode(bad)).toBe('provider_error');
          expect(bad.headers['set-cookie']).toBeUndefined();
        }
        expect(watch.crashes).toEqual([]);
      } finally {
        await shop.close();
      }
    });

    it("a provider's callback reply with a header Node refuses becomes paymount's 500 JSON", async () => {
      const base = testProvider({ token: 't' });
      const sloppy: PaymentProvider = {
        ...base,
        callbackReply: () => ({
          status: 200,
          headers: { 'x-note': 'ok\r\nSet-Cookie: sid=evil' },
          body: 'OK',
        }),
      };
      const shop = await startShop({ framework, providers: { test: sloppy } });
      try {
        const res = await send(shop.url, 'GET', '/pay/checkout/reply-1?format=json');
        const { paymentId } = JSON.parse(res.text) as { paymentId: string };
        const reply = await send(shop.url, 'POST', '/pay/callback/test', {
          headers: { 'content-type': 'application/json', 'x-test-token': 't' },
          body: JSON.stringify({ paymentId, status: 'paid', amount: '10.00', currency: 'USD' }),
        });
        expect(reply.status).toBe(500);
        expect(errorCode(reply)).toBe('internal_error');
        expect(reply.headers['set-cookie']).toBeUndefined();
        expect(reply.headers['x-note']).toBeUndefined();
        // The payment itself moved before the answer was built; the answer only failed to be written.
        expect((await shop.payments.get(paymentId))?.status).toBe('paid');
      } finally {
        await shop.close();
      }
    });
  });
}

describe('writeNodeResponse and writeNodeFailure never throw', () => {
  it("turns a header or status Node refuses into paymount's 500 JSON, and closes a half-written answer", async () => {
    const served = await serve((req, res) => {
      if (req.url === '/bad-header') {
        writeNodeResponse(res, { status: 303, headers: { location: 'https://x.test/форма' }, body: '' });
      } else if (req.url === '/bad-status') {
        writeNodeResponse(res, { status: 1000, headers: {}, body: 'no' });
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial');
        writeNodeFailure(res, new Error('failed after the headers went out'));
      }
    });
    try {
      for (const path of ['/bad-header', '/bad-status']) {
        const reply = await send(served.url, 'GET', path);
        expect(reply.status).toBe(500);
        expect(errorCode(reply)).toBe('internal_error');
      }
      // A half-sent answer cannot become an error any more: the socket is closed instead.
      await expect(send(served.url, 'GET', '/half')).rejects.toThrow();
    } finally {
      await served.close();
    }
  });
});
