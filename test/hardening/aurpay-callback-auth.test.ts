// Item 4 of issue 21: an Aurpay callback is always authenticated by Aurpay itself (its
// callback signature, or the API key it echoes), never by paymount's signed URL alone:
// whoever learns one callback URL must not be able to post an order to it.
import { type AurpayOptions, aurpay } from '@paymount/aurpay';
import { isPaymentsError, type PaymentsConfigError } from '@paymount/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AURPAY,
  aurpayCallbackHeaders,
  aurpayCallbackUrlOf,
  aurpayEnvelope,
  aurpayOrder,
  type FakeProvider,
  json,
  startFakeProvider,
} from './support/fake-provider.js';
import { send, watchCrashes } from './support/http.js';
import { startShop } from './support/shop.js';
import { FRAMEWORKS } from './support/shops.js';

const SIGNATURE = { token: 'hardening-api-token', secret: 'hardening-api-signing-secret' };
const ORDER_ID = '20250207040935220628';
const watch = watchCrashes();
afterAll(() => {
  watch.stop();
  expect(watch.crashes).toEqual([]);
});

function configProblems(options: AurpayOptions): readonly string[] {
  try {
    aurpay(options);
    return [];
  } catch (error) {
    expect(isPaymentsError(error) && error.code).toBe('config_invalid');
    return (error as PaymentsConfigError).problems;
  }
}

describe('aurpay(): callbacks need a check made by Aurpay', () => {
  it('refuses signature auth with neither callbackSecret nor the echoed API key, saying which to set', () => {
    for (const options of [
      { signature: SIGNATURE },
      { signature: SIGNATURE, requireEchoedApiKey: false },
      { signature: SIGNATURE, apiKey: AURPAY.apiKey, requireEchoedApiKey: false },
      { apiKey: AURPAY.apiKey, requireEchoedApiKey: false },
    ]) {
      const problems = configProblems(options);
      expect(problems, JSON.stringify(options)).toHaveLength(1);
      expect(problems[0]).toMatch(/callbackSecret/);
      expect(problems[0]).toMatch(/requireEchoedApiKey: true/);
    }
  });

  it('accepts the callback secret, the echoed key, or API-key auth as it defaults', () => {
    expect(configProblems({ signature: SIGNATURE, callbackSecret: AURPAY.callbackSecret })).toEqual([]);
    expect(
      configProblems({ signature: SIGNATURE, apiKey: AURPAY.apiKey, requireEchoedApiKey: true }),
    ).toEqual([]);
    expect(configProblems({ signature: SIGNATURE, apiKey: AURPAY.apiKey })).toEqual([]);
    expect(configProblems({ apiKey: AURPAY.apiKey })).toEqual([]);
    expect(
      configProblems({
        apiKey: AURPAY.apiKey,
        requireEchoedApiKey: false,
        callbackSecret: AURPAY.callbackSecret,
      }),
    ).toEqual([]);
  });
});

/** Aurpay as documented: pay-url hands out a pay page, detail tells the order's truth. */
function documentedAurpay(detailStatus: string) {
  return (request: { method: string; url: string }) => {
    if (request.method === 'POST' && request.url === '/api/order/pay-url') {
      return aurpayEnvelope({ pay_url: 'https://dashboard.aurpay.test/#/cashier/choose?token=t1' });
    }
    if (request.method === 'GET' && request.url === `/api/v2/order/detail/${ORDER_ID}`) {
      return aurpayEnvelope(aurpayOrder(ORDER_ID, { status: detailStatus }));
    }
    return json({ code: 404, message: 'not found', result: false }, 404);
  };
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** Each way Aurpay itself proves a callback, with what it sends and what a stranger can send. */
const AUTH_MODES: ReadonlyArray<{
  label: string;
  options: AurpayOptions;
  genuine: (url: string) => Record<string, string>;
  forgeries: (url: string) => ReadonlyArray<Record<string, string>>;
}> = [
  {
    label: 'signature auth with callbackSecret',
    options: { signature: SIGNATURE, callbackSecret: AURPAY.callbackSecret },
    genuine: (url) => aurpayCallbackHeaders(url),
    forgeries: (url) => [
      JSON_TYPE,
      { ...aurpayCallbackHeaders(url), Signature: 'AAAA' },
      { ...aurpayCallbackHeaders(`${url}&x=1`) },
      { ...aurpayCallbackHeaders(url, new Date(Date.now() - 3_600_000).toISOString()) },
    ],
  },
  {
    label: 'signature auth with the echoed API key',
    options: { signature: SIGNATURE, apiKey: AURPAY.apiKey, requireEchoedApiKey: true },
    genuine: () => ({ ...JSON_TYPE, 'API-Key': AURPAY.apiKey }),
    forgeries: () => [JSON_TYPE, { ...JSON_TYPE, 'API-Key': 'not-the-merchant-key' }],
  },
];

for (const framework of FRAMEWORKS) {
  for (const mode of AUTH_MODES) {
    it(`${framework.name}, ${mode.label}: the signed URL alone is refused, Aurpay's own proof pays`, async () => {
      const fake: FakeProvider = await startFakeProvider(documentedAurpay('SUCCESS'));
      const provider = aurpay({ ...mode.options, baseUrl: fake.url, retries: 0, timeoutMs: 2_000 });
      const shop = await startShop({ framework, providers: { aurpay: provider } });
      try {
        const res = await send(shop.url, 'GET', '/pay/checkout/auth-1?format=json');
        const { paymentId } = JSON.parse(res.text) as { paymentId: string };
        const callbackUrl = aurpayCallbackUrlOf(fake.requests[0]!);
        const { pathname, search } = new URL(callbackUrl);
        const body = JSON.stringify(aurpayOrder(ORDER_ID, { status: 'SUCCESS' }));
        for (const headers of mode.forgeries(callbackUrl)) {
          const reply = await send(shop.url, 'POST', `${pathname}${search}`, { headers, body });
          expect(reply.status, JSON.stringify(headers)).toBe(401);
          // Aurpay's reply shape: `error` carries paymount's code.
          expect(JSON.parse(reply.text).error).toMatch(/^callback_(unauthorized|replayed)$/);
        }
        expect(fake.requests.some((r) => r.url.startsWith('/api/v2/order/detail/'))).toBe(false);
        expect((await shop.payments.get(paymentId))?.status).toBe('pending');

        const genuine = await send(shop.url, 'POST', `${pathname}${search}`, {
          headers: mode.genuine(callbackUrl),
          body,
        });
        expect(genuine.status).toBe(200);
        expect((await shop.payments.get(paymentId))?.status).toBe('paid');
      } finally {
        await shop.close();
        await fake.close();
      }
    });
  }
}
