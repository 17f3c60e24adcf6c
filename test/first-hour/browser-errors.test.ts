// Issue 22, item 3: buyers saw raw JSON for every checkout error. A browser (a request that
// accepts HTML) now lands on the shop's failure page with the code, or, with
// `browserErrors: 'framework'`, on the shop's own error page through its framework's error
// handling; API clients keep the JSON. On Express 4/5 and Koa 2/3, and in Chromium.
import type { PaymentsOptions } from '@paymount/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser/support/chromium.js';
import { send } from '../hardening/support/http.js';
import { aaioAt, startShop } from '../hardening/support/shop.js';
import { FRAMEWORKS } from '../hardening/support/shops.js';
import { BROWSER_ACCEPT, startFirstHourShop } from './support/shop.js';

/** A closed port: AAIO "cannot be reached", the provider failure a buyer meets. */
const DEAD_AAIO = 'http://127.0.0.1:9';
const browser = { headers: { accept: BROWSER_ACCEPT } };

const knownOrder: PaymentsOptions['loadOrder'] = (orderId) =>
  orderId === '42' ? { amount: '10.00', currency: 'RUB' } : null;

for (const framework of FRAMEWORKS) {
  describe(`${framework.name}: a buyer's checkout error`, () => {
    it('sends the browser to the failure page with the code; an API client gets JSON', async () => {
      const shop = await startShop({
        framework,
        providers: { aaio: aaioAt(DEAD_AAIO) },
        loadOrder: knownOrder,
        logger: { debug() {}, info() {}, warn() {}, error() {} },
      });
      try {
        const unknown = await send(shop.url, 'GET', '/pay/checkout/77', browser);
        expect([unknown.status, unknown.headers.location]).toEqual([
          303,
          `${shop.url}/orders/77?paymount_error=order_not_found`,
        ]);
        const down = await send(shop.url, 'POST', '/pay/checkout/42', {
          headers: { ...browser.headers, 'content-type': 'application/x-www-form-urlencoded' },
          body: 'provider=aaio',
        });
        expect([down.status, down.headers.location]).toEqual([
          303,
          `${shop.url}/orders/42?paymount_error=provider_unavailable`,
        ]);
        const api = await send(shop.url, 'GET', '/pay/checkout/77', {
          headers: { accept: 'application/json' },
        });
        expect([api.status, JSON.parse(api.text).error.code]).toEqual([404, 'order_not_found']);
      } finally {
        await shop.close();
      }
    });

    it("with browserErrors: 'framework', hands it to the shop's own error handling", async () => {
      const shop = await startShop({
        framework,
        providers: { aaio: aaioAt(DEAD_AAIO) },
        loadOrder: knownOrder,
        logger: { debug() {}, info() {}, warn() {}, error() {} },
        options: { browserErrors: 'framework' },
      });
      try {
        const unknown = await send(shop.url, 'GET', '/pay/checkout/77', browser);
        // The hardening shops' own error handlers answer "shop error" with the error's status.
        expect([unknown.status, unknown.text]).toEqual([404, 'shop error']);
        const down = await send(shop.url, 'GET', '/pay/checkout/42?provider=aaio', browser);
        expect([down.status, down.text]).toEqual([503, 'shop error']);
        const api = await send(shop.url, 'GET', '/pay/checkout/77?format=json', browser);
        expect(JSON.parse(api.text).error.code).toBe('order_not_found');
      } finally {
        await shop.close();
      }
    });
  });
}

describe('in Chromium, on an Express 4 shop', () => {
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    chromium = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
  });

  it("a Pay button for an order the shop's loadOrder refuses lands on the shop's page, not on JSON", async () => {
    const shop = await startFirstHourShop({ payments: { loadOrder: knownOrder, logger: false } });
    const page = await chromium.newPage();
    try {
      await page.setContent(
        `<form method="post" action="${shop.url}/pay/checkout/77"><button name="provider" value="aaio">Pay</button></form>`,
      );
      await Promise.all([
        page.waitForURL(`${shop.url}/orders/77?paymount_error=order_not_found`),
        page.click('button'),
      ]);
      expect(await page.textContent('#error')).toBe('order_not_found');
    } finally {
      await page.close();
      await shop.close();
    }
  });

  it("with browserErrors: 'framework', the same button shows the shop's own error page", async () => {
    const shop = await startFirstHourShop({
      payments: { loadOrder: knownOrder, logger: false, browserErrors: 'framework' },
    });
    const page = await chromium.newPage();
    try {
      await page.goto(`${shop.url}/orders/77`);
      await page.setContent(
        `<form method="post" action="${shop.url}/pay/checkout/77"><button name="provider" value="aaio">Pay</button></form>`,
      );
      const [answer] = await Promise.all([
        page.waitForResponse(`${shop.url}/pay/checkout/77`),
        page.click('button'),
      ]);
      expect(answer.status()).toBe(404);
      await page.waitForSelector('#code');
      expect(await page.textContent('#code')).toBe('order_not_found');
    } finally {
      await page.close();
      await shop.close();
    }
  });
});
