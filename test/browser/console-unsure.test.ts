// An Aurpay pay-url payment whose first callback was lost, and whose order the reconciler
// cannot tell apart from another one of the same price: the console, in Chromium, lists it
// under "needs attention" and its timeline names the candidate orders.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConsole } from '@paymount/console';
import { paymount as expressPaymount } from '@paymount/express';
import express5 from 'express5';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, closeShops, type Shop, startShop } from '../providers/aurpay/support.js';
import { launchChromium } from './support/chromium.js';
import { authorize, CONSOLE_MOUNT, OPERATOR_TOKEN } from './support/console-shop.js';

describe('console in Chromium: a lost payment the reconciler could not match', () => {
  let browser: Browser;
  let shop: Shop;
  let server: Server;
  let consoleUrl: string;

  beforeAll(async () => {
    [browser, shop] = await Promise.all([launchChromium(), startShop()]);
    const app = express5();
    app.use(CONSOLE_MOUNT, expressPaymount(createConsole(shop.payments, { authorize })));
    server = createServer(app);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    consoleUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CONSOLE_MOUNT}`;
  });
  afterAll(async () => {
    const closed = server ? new Promise((resolve) => server.close(resolve)) : undefined;
    server?.closeAllConnections();
    await Promise.allSettled([browser?.close(), closeShops(), closed]);
  });

  it('lists it under needs attention, and its timeline names both orders', async () => {
    const payment = await shop.checkout('U-1', '10.00');
    await shop.sim.pay(payment.payUrl!, { callback: false });
    // An order of the same price someone made at Aurpay by hand, paid too.
    const res = await fetch(`${shop.sim.url}/api/order/pay-url`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'API-Key': API_KEY },
      body: '{"price":10.00,"currency":"USD"}',
    });
    const { data } = (await res.json()) as { data: { pay_url: string } };
    const other = shop.sim.order(data.pay_url)!;
    await shop.sim.pay(other.info.order_id, { callback: false });
    await shop.payments.reconcile();
    const own = shop.sim.order(payment.payUrl!)!.info.order_id;

    const context = await browser.newContext();
    await context.addCookies([{ name: 'ops', value: OPERATOR_TOKEN, url: new URL(consoleUrl).origin }]);
    const page = await context.newPage();
    await page.goto(`${consoleUrl}/`);
    const item = page.locator('li[data-kind="expired"]', { hasText: payment.id });
    await expect(item.textContent()).resolves.toContain('Unanswered check');
    await item.getByRole('link', { name: payment.id }).click();
    const note = page.locator('p.why', { hasText: 'could not tell which order' });
    await expect(note.isVisible()).resolves.toBe(true);
    const said = (await note.textContent()) ?? '';
    expect(said).toContain(own);
    expect(said).toContain(other.info.order_id);
    await context.close();
  });
});
