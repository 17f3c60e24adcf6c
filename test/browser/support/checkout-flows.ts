import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrderStatus } from '../../../examples/shop-kit/src/order-store.js';
import { launchChromium } from './chromium.js';
import { StepShots } from './screenshots.js';
import { type ShopName, startStorefront } from './storefront.js';

type Provider = 'aurpay' | 'aaio';
type Ending = 'paid' | 'expired' | 'underpaid';

/** The button the buyer presses on each simulator's hosted pay page, per ending. */
const PAY_PAGE_BUTTON: Readonly<Record<Ending, string>> = {
  paid: 'Pay',
  expired: 'Let it expire',
  underpaid: 'Pay less',
};

/** What the buyer and the shop should see at the end of each path. */
const EXPECTED: Readonly<Record<Ending, { badge: string; shopStatus: OrderStatus; page: RegExp }>> = {
  paid: { badge: 'Paid', shopStatus: 'paid', page: /\/orders\/[^/]+\/thanks$/ },
  expired: { badge: 'Payment expired', shopStatus: 'awaiting_payment', page: /\/orders\/[^/]+$/ },
  underpaid: { badge: 'Needs attention', shopStatus: 'needs_attention', page: /\/orders\/[^/]+$/ },
};

/**
 * The buyer's whole journey in a real browser, for one storefront: pick a product,
 * check out with each provider, act on the simulator's pay page, come back, and see
 * the outcome, both on the page and in the shop's own order book.
 */
export function describeCheckoutFlows(shopName: ShopName): void {
  describe(`${shopName} storefront in Chromium`, () => {
    let browser: Browser;
    let shop: Awaited<ReturnType<typeof startStorefront>>;
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      [browser, shop] = await Promise.all([launchChromium(), startStorefront(shopName)]);
    });
    afterAll(async () => {
      await Promise.allSettled([browser?.close(), shop?.stop()]);
    });
    beforeEach(async () => {
      context = await browser.newContext({ viewport: { width: 1000, height: 720 } });
      context.setDefaultTimeout(10_000);
      page = await context.newPage();
    });
    afterEach(async () => {
      await context.close();
    });

    /** From the product list to the order page; returns the order id. */
    async function buyMug(shots: StepShots): Promise<string> {
      await page.goto(`${shop.url}/`);
      await shots.take(page, 'products');
      await page.locator('[data-product="mug"]').getByRole('button', { name: 'Buy now' }).click();
      await page.waitForURL(/\/orders\/ord-[0-9a-f]+$/);
      expect(await page.locator('#order-status').textContent()).toBe('Awaiting payment');
      expect(await page.locator('#order-total').textContent()).toBe('12.50 USD');
      await shots.take(page, 'order');
      return new URL(page.url()).pathname.split('/')[2]!;
    }

    async function goToPayPage(provider: Provider, shots: StepShots): Promise<void> {
      await page.locator(`input[name="provider"][value="${provider}"]`).check();
      await page.locator('#pay-form').getByRole('button').click();
      await page.waitForURL((url) => !url.href.startsWith(shop.url));
      const simulator = shop.simulators.find((s) => s.provider === provider)!;
      expect(page.url().startsWith(simulator.url)).toBe(true);
      // The pay page asks for the amount the shop's order book holds, not anything the browser sent.
      expect(await page.locator('body').textContent()).toMatch(/12\.5/);
      await shots.take(page, 'pay-page');
    }

    for (const provider of ['aurpay', 'aaio'] as const) {
      for (const ending of ['paid', 'expired', 'underpaid'] as const) {
        it(`${provider}: the buyer checks out and ends ${ending}`, async () => {
          const shots = new StepShots(`${shopName}-${provider}-${ending}`);
          const orderId = await buyMug(shots);
          await goToPayPage(provider, shots);

          await page.getByRole('button', { name: PAY_PAGE_BUTTON[ending], exact: true }).click();
          await page.waitForURL((url) => url.href.startsWith(shop.url));
          const expected = EXPECTED[ending];
          expect(new URL(page.url()).pathname).toMatch(expected.page);
          expect(await page.locator('#order-status').textContent()).toBe(expected.badge);
          await shots.take(page, 'back-at-shop');

          // The shop's own order book follows through its hooks (run from paymount's outbox).
          await vi.waitFor(() => expect(shop.shop.orders.get(orderId)?.status).toBe(expected.shopStatus), {
            timeout: 5_000,
          });

          await page.goto(`${shop.url}/orders/${orderId}`);
          expect(await page.locator('#order-status').textContent()).toBe(expected.badge);
          const payForm = page.locator('#pay-form');
          if (ending === 'expired') {
            expect(await payForm.getByRole('button').textContent()).toBe('Pay again 12.50 USD');
          } else {
            expect(await payForm.count()).toBe(0);
          }
          if (ending === 'underpaid') {
            // AAIO reports what arrived; Aurpay's PARTIAL does not say how much.
            expect(await page.locator('#anomaly-detail').textContent()).toMatch(
              provider === 'aaio'
                ? /^Less than the order total arrived\. We received [\d.]+ USD of 12\.50 USD\.$/
                : /^Only part of the payment arrived\.$/,
            );
          }
          await shots.take(page, 'order-after-refresh');

          await page.goto(`${shop.url}/orders`);
          const row = page.locator(`tr[data-order="${orderId}"]`);
          expect(await row.locator('.status').textContent()).toBe(expected.badge);
          expect(await row.locator('td').nth(3).textContent()).toBe(provider);
          await shots.take(page, 'orders');
        });
      }
    }

    it('aurpay: the waiting order page turns paid by itself while the buyer pays in another tab', async () => {
      const shots = new StepShots(`${shopName}-aurpay-paid-in-other-tab`);
      const orderId = await buyMug(shots);
      const payTab = await context.newPage();
      await payTab.goto(`${shop.url}/pay/checkout/${orderId}?provider=aurpay`);
      await shots.take(payTab, 'pay-page');

      await page.reload();
      expect(await page.locator('#order-status').textContent()).toBe('Waiting for payment');
      await page.evaluate(() => {
        (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
      });
      await shots.take(page, 'order-waiting');

      await payTab.getByRole('button', { name: 'Pay', exact: true }).click();
      await page.locator('#order-status', { hasText: /^Paid$/ }).waitFor();
      expect(
        await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded),
      ).toBe(true);
      expect(await page.locator('#pay-form').isHidden()).toBe(true);
      await shots.take(page, 'order-paid-without-reload');
    });
  });
}
