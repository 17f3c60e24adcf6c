// Item 6 of issue 21: fuzzed provider answers, through real Express 4/5 and Koa 2/3
// shops over HTTP. A fake provider API (written from the providers' documented
// protocols, not our simulators) answers AAIO's get_pay_url and info-pay and Aurpay's
// pay-url, pay-info and order detail with generated garbage: wrong statuses, bytes,
// shapes, types, amounts, other orders, hostile and huge values. The shop never dies,
// every answer is a proper HTTP answer, and garbage moves no payment.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aaioInfoPay,
  aaioNotification,
  aaioOrderIdOf,
  aaioPayUrl,
  aurpayCallbackHeaders,
  aurpayCallbackUrlOf,
  aurpayEnvelope,
  aurpayOrder,
  type FakeAnswer,
  type FakeProvider,
  type FakeRequest,
  json,
  startFakeProvider,
} from './support/fake-provider.js';
import { errorCode, send, watchCrashes } from './support/http.js';
import {
  aurpayCheckoutAnswers,
  brokenDetail,
  brokenInfoPay,
  getPayUrlAnswers,
} from './support/provider-garbage.js';
import { aaioAt, aurpayAt, type HardeningShop, startShop } from './support/shop.js';
import { FRAMEWORKS } from './support/shops.js';

/** Runs per property; raise it (PAYMOUNT_FUZZ_RUNS=1000) for a longer hunt. */
const RUNS = Number(process.env['PAYMOUNT_FUZZ_RUNS'] ?? 40);
const watch = watchCrashes();
let sequences = 0;
afterAll(() => {
  watch.stop();
  expect(watch.crashes).toEqual([]);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  console.log(`provider answer fuzzing: ${sequences} fuzzed answers, ${watch.crashes.length} crashes`);
});

const notFound = (): FakeAnswer =>
  json({ type: 'error', code: 404, message: 'not found', result: false }, 404);
let orderCounter = 0;
const nextOrder = (prefix: string): string => `${prefix}-${++orderCounter}`;
/** A fresh 20-digit Aurpay order id. */
const aurpayOrderId = (): string => String(20250000000000000000n + BigInt(++orderCounter));

/**
 * A checkout the provider answered: either a 303 (or JSON) to a URL that is safe as a
 * header and stored as such, or a provider error with no pay URL stored.
 */
async function expectConsistentCheckout(
  shop: HardeningShop,
  orderId: string,
  asJson: boolean,
): Promise<void> {
  const reply = await send(shop.url, 'GET', `/pay/checkout/${orderId}${asJson ? '?format=json' : ''}`);
  const payments = await shop.payments.findByOrder(orderId);
  const label = `${reply.status} ${reply.text.slice(0, 120)}`;
  if (reply.status === 303 || reply.status === 200) {
    const url = asJson ? (JSON.parse(reply.text) as { payUrl: string }).payUrl : reply.headers['location'];
    expect(url, label).toMatch(/^https?:\/\/[\u0021-\u007e]+$/);
    expect(url!.length, label).toBeLessThanOrEqual(8_192);
    expect(payments, label).toHaveLength(1);
    expect(payments[0], label).toMatchObject({ status: 'pending', payUrl: url });
  } else {
    expect([502, 503, 504], label).toContain(reply.status);
    expect(errorCode(reply), label).toMatch(/^provider_/);
    for (const payment of payments) expect(payment, label).toMatchObject({ status: 'created', payUrl: null });
  }
}

/** Sends `trigger` while the provider answers `answer`, and checks the payment did not move at all. */
async function expectUnmoved(
  shop: HardeningShop,
  fake: FakeProvider,
  paymentId: string,
  answer: (request: FakeRequest) => FakeAnswer,
  trigger: () => Promise<{ status: number; text: string }>,
  expectStatus: (status: number) => boolean,
): Promise<void> {
  sequences++;
  const before = await shop.payments.get(paymentId);
  fake.respond = answer;
  const reply = await trigger();
  expect(expectStatus(reply.status), `${reply.status} ${reply.text.slice(0, 120)}`).toBe(true);
  expect(await shop.payments.get(paymentId)).toEqual(before);
}

function onlyAaio(route: string, answer: FakeAnswer) {
  return (request: FakeRequest): FakeAnswer => (request.url === route ? answer : notFound());
}

async function aaioPayment(shop: HardeningShop, fake: FakeProvider): Promise<string> {
  fake.respond = (request) =>
    request.url === '/merchant/get_pay_url'
      ? aaioPayUrl(`https://pay.aaio.test/form/${aaioOrderIdOf(request)}`)
      : notFound();
  const reply = await send(shop.url, 'GET', `/pay/checkout/${nextOrder('aaio')}?format=json`);
  expect(reply.status).toBe(200);
  return (JSON.parse(reply.text) as { paymentId: string }).paymentId;
}

function onlyDetail(orderId: string, answer: FakeAnswer) {
  return (request: FakeRequest): FakeAnswer =>
    request.method === 'GET' && request.url === `/api/v2/order/detail/${orderId}` ? answer : notFound();
}

/** A pending Aurpay payment: through pay-url (no order id yet) or, fixed coin, pay-info (order id bound). */
async function aurpayPayment(
  shop: HardeningShop,
  fake: FakeProvider,
  provider: 'aurpay' | 'aurpaycoin',
): Promise<{ paymentId: string; orderId: string; callbackUrl: string }> {
  const orderId = aurpayOrderId();
  fake.respond = (request) =>
    request.method === 'POST'
      ? aurpayEnvelope(aurpayOrder(orderId, { pay_url: `https://pay.aurpay.test/${orderId}` }))
      : notFound();
  const reply = await send(
    shop.url,
    'GET',
    `/pay/checkout/${nextOrder(provider)}?provider=${provider}&format=json`,
  );
  expect(reply.status).toBe(200);
  const created = fake.requests.filter((r) => r.method === 'POST').at(-1)!;
  return {
    paymentId: (JSON.parse(reply.text) as { paymentId: string }).paymentId,
    orderId,
    callbackUrl: aurpayCallbackUrlOf(created),
  };
}

function postAurpayCallback(shop: HardeningShop, callbackUrl: string, orderId: string) {
  const { pathname, search } = new URL(callbackUrl);
  return send(shop.url, 'POST', `${pathname}${search}`, {
    headers: aurpayCallbackHeaders(callbackUrl),
    body: JSON.stringify(aurpayOrder(orderId, { status: 'SUCCESS' })),
  });
}

const refused = (status: number): boolean => status >= 400 && status < 600;
const answered = (status: number): boolean => status === 200;

for (const framework of FRAMEWORKS) {
  describe(`${framework.name}: fuzzed AAIO answers`, () => {
    let fake: FakeProvider;
    let shop: HardeningShop;
    beforeAll(async () => {
      fake = await startFakeProvider(notFound);
      shop = await startShop({
        framework,
        providers: { aaio: aaioAt(fake.url) },
        options: { statusCheckIntervalMs: 1 },
      });
    });
    afterAll(async () => {
      await shop.close();
      await fake.close();
    });

    it('get_pay_url: a clean 303 to what was stored, or a provider error with nothing stored', async () => {
      await fc.assert(
        fc.asyncProperty(getPayUrlAnswers, fc.boolean(), async (answer, asJson) => {
          sequences++;
          fake.respond = onlyAaio('/merchant/get_pay_url', answer);
          await expectConsistentCheckout(shop, nextOrder('aaio-checkout'), asJson);
        }),
        { numRuns: RUNS },
      );
    });

    it('info-pay behind the status route: garbage moves nothing, the page still answers', async () => {
      await fc.assert(
        fc.asyncProperty(brokenInfoPay, async (build) => {
          const paymentId = await aaioPayment(shop, fake);
          const answer = build(paymentId);
          await expectUnmoved(
            shop,
            fake,
            paymentId,
            onlyAaio('/api/info-pay', answer),
            () => send(shop.url, 'GET', `/pay/status/${paymentId}`),
            answered,
          );
        }),
        { numRuns: RUNS },
      );
    });

    it('info-pay confirming a genuine notification: garbage moves nothing, the notification is refused', async () => {
      await fc.assert(
        fc.asyncProperty(brokenInfoPay, async (build) => {
          const paymentId = await aaioPayment(shop, fake);
          const answer = build(paymentId);
          await expectUnmoved(
            shop,
            fake,
            paymentId,
            onlyAaio('/api/info-pay', answer),
            () =>
              send(shop.url, 'POST', '/pay/callback/aaio', {
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
                body: aaioNotification(paymentId),
              }),
            refused,
          );
        }),
        { numRuns: RUNS },
      );
    });

    it('control: a well-formed info-pay answer about this order pays it', async () => {
      const paymentId = await aaioPayment(shop, fake);
      fake.respond = onlyAaio('/api/info-pay', aaioInfoPay(paymentId, { status: 'success' }));
      expect((await send(shop.url, 'GET', `/pay/status/${paymentId}`)).status).toBe(200);
      expect((await shop.payments.get(paymentId))?.status).toBe('paid');
    });
  });

  describe(`${framework.name}: fuzzed Aurpay answers`, () => {
    let fake: FakeProvider;
    let shop: HardeningShop;
    beforeAll(async () => {
      fake = await startFakeProvider(notFound);
      shop = await startShop({
        framework,
        providers: {
          aurpay: aurpayAt(fake.url),
          aurpaycoin: aurpayAt(fake.url, { coin: { chain: 'ETH', currency: 'USDT-ERC20' } }),
        },
        options: { statusCheckIntervalMs: 1 },
      });
    });
    afterAll(async () => {
      await shop.close();
      await fake.close();
    });

    for (const [provider, route] of [
      ['aurpay', '/api/order/pay-url'],
      ['aurpaycoin', '/api/order/pay-info'],
    ] as const) {
      it(`${route}: a clean 303 to what was stored, or a provider error with nothing stored`, async () => {
        await fc.assert(
          fc.asyncProperty(
            aurpayCheckoutAnswers(provider === 'aurpaycoin'),
            fc.boolean(),
            async (answer, asJson) => {
              sequences++;
              fake.respond = (request) => (request.url === route ? answer : notFound());
              const orderId = nextOrder(provider);
              const reply = await send(
                shop.url,
                'GET',
                `/pay/checkout/${orderId}?provider=${provider}${asJson ? '&format=json' : ''}`,
              );
              const [payment] = await shop.payments.findByOrder(orderId);
              if (reply.status === 303 || reply.status === 200) {
                const url = asJson
                  ? (JSON.parse(reply.text) as { payUrl: string }).payUrl
                  : reply.headers['location'];
                expect(url).toMatch(/^https?:\/\/[\u0021-\u007e]+$/);
                expect(payment).toMatchObject({ status: 'pending', payUrl: url });
                if (payment?.providerRef !== null)
                  expect(payment?.providerRef).toMatch(/^[0-9A-Za-z_-]{1,64}$/);
              } else {
                // 409 provider_ref_taken: a generated order id an earlier run already bound
                // to its own payment (one provider order, one payment).
                expect([409, 502, 503, 504]).toContain(reply.status);
                expect(errorCode(reply)).toMatch(/^provider_/);
                expect(payment).toMatchObject({ status: 'created', payUrl: null });
              }
            },
          ),
          { numRuns: RUNS },
        );
      });
    }

    it('order detail behind the status route: garbage moves nothing, the page still answers', async () => {
      await fc.assert(
        fc.asyncProperty(brokenDetail, async (build) => {
          const { paymentId, orderId } = await aurpayPayment(shop, fake, 'aurpaycoin');
          const answer = build(orderId);
          await expectUnmoved(
            shop,
            fake,
            paymentId,
            onlyDetail(orderId, answer),
            () => send(shop.url, 'GET', `/pay/status/${paymentId}`),
            answered,
          );
        }),
        { numRuns: RUNS },
      );
    });

    it('order detail confirming an authenticated callback: garbage moves nothing, the callback is refused', async () => {
      await fc.assert(
        fc.asyncProperty(brokenDetail, async (build) => {
          const { paymentId, orderId, callbackUrl } = await aurpayPayment(shop, fake, 'aurpay');
          const answer = build(orderId);
          await expectUnmoved(
            shop,
            fake,
            paymentId,
            onlyDetail(orderId, answer),
            () => postAurpayCallback(shop, callbackUrl, orderId),
            refused,
          );
        }),
        { numRuns: RUNS },
      );
    });

    it('control: a well-formed order detail about this order pays it', async () => {
      const { paymentId, orderId, callbackUrl } = await aurpayPayment(shop, fake, 'aurpay');
      fake.respond = onlyDetail(orderId, aurpayEnvelope(aurpayOrder(orderId, { status: 'SUCCESS' })));
      expect((await postAurpayCallback(shop, callbackUrl, orderId)).status).toBe(200);
      expect((await shop.payments.get(paymentId))?.status).toBe('paid');
    });
  });
}
