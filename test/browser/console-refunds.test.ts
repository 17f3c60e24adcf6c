// The console's refund actions in Chromium, on Express 5 and Koa 3: an Aurpay payment
// refunded in two parts through the Aurpay simulator's refund API, an AAIO refund
// recorded by hand (AAIO has no refund API), and the refusals an operator can meet.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConsole } from '@paymount/console';
import type { JournalEntry, Payment } from '@paymount/core';
import { paymount as expressPaymount } from '@paymount/express';
import { paymount as koaPaymount } from '@paymount/koa';
import express5 from 'express5';
import koa3 from 'koa3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RefundShop, startRefundShop, WALLET } from '../refunds/support.js';
import { launchChromium } from './support/chromium.js';
import { authorize, CONSOLE_MOUNT, OPERATOR_TOKEN, VIEWER_TOKEN } from './support/console-shop.js';
import { StepShots } from './support/screenshots.js';

type Framework = 'express' | 'koa';

async function serveConsole(
  framework: Framework,
  shop: RefundShop,
): Promise<{ server: Server; url: string }> {
  const ops = createConsole(shop.payments, { authorize, title: 'Refund test payments' });
  let listener: Parameters<typeof createServer>[1];
  if (framework === 'express') {
    const app = express5();
    app.use(CONSOLE_MOUNT, expressPaymount(ops));
    listener = app;
  } else {
    const app = new koa3();
    app.use(koaPaymount(ops, { prefix: CONSOLE_MOUNT }));
    listener = app.callback();
  }
  const server = createServer(listener);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${CONSOLE_MOUNT}` };
}

/** Finishes every refund still pending at the simulated Aurpay from its refunds page, as a person there would. */
async function finishAtAurpay(shop: RefundShop): Promise<void> {
  for (const asked of shop.aurpaySim.refunds().filter((r) => r.status === 'PENDING')) {
    const done = await fetch(`${shop.aurpaySim.url}/cashier/refunds`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ refund: asked.refund_id, outcome: 'SUCCESS' }).toString(),
    });
    expect(done.status).toBe(303);
  }
}

const operatorActions = (entries: readonly JournalEntry[]) =>
  entries.filter((e) => e.type === 'operator.action').map((e) => e.data as Record<string, unknown>);

describe.each(['express', 'koa'] as const)('console refunds on %s in Chromium', (framework) => {
  let browser: Browser;
  let shop: RefundShop;
  let server: Server;
  let consoleUrl: string;
  let page: Page;
  let aurpayPaid: Payment;
  let aaioPaid: Payment;
  const shots = new StepShots(`console-refunds-${framework}`);

  beforeAll(async () => {
    [browser, shop] = await Promise.all([launchChromium(), startRefundShop()]);
    ({ server, url: consoleUrl } = await serveConsole(framework, shop));
    aurpayPaid = await shop.paidAurpay(`R-${framework}`, '10.00');
    aaioPaid = await shop.paidAaio(`A-${framework}`, '500.00');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    const { origin } = new URL(consoleUrl);
    await context.addCookies([
      { name: 'ops', value: OPERATOR_TOKEN, url: origin, httpOnly: true, sameSite: 'Strict' },
    ]);
    page = await context.newPage();
  });
  afterAll(async () => {
    const closed = server ? new Promise((resolve) => server.close(resolve)) : undefined;
    server?.closeAllConnections();
    await Promise.allSettled([browser?.close(), shop?.close(), closed]);
  });

  const paymentPage = (p: Payment) => `${consoleUrl}/payments/${p.id}`;

  it('refunds an Aurpay payment in part, then the rest; a double submit makes one refund', async () => {
    await page.goto(paymentPage(aurpayPaid));
    await expect(page.locator('#refundable-total').textContent()).resolves.toContain('10.00');
    await page.getByRole('link', { name: 'Refund…' }).click();
    await page.getByLabel(/^Amount in USD/).fill('4.00');
    await page.getByLabel(/^Reason/).fill('one mug came back broken');
    await page.getByLabel(/wallet address/).fill(WALLET);
    await shots.take(page, 'refund-confirm');
    await page.getByRole('button', { name: 'Refund' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('has not finished it yet');
    expect(shop.aurpaySim.refunds()).toMatchObject([{ amount: '4.00', address: WALLET }]);
    await finishAtAurpay(shop);
    await shop.payments.reconcile({ all: true });
    await page.reload();
    await expect(page.locator('#refunded-total').textContent()).resolves.toContain('4.00');
    await expect(page.locator('#refundable-total').textContent()).resolves.toContain('6.00');
    await expect(page.locator('table.refunds tbody tr').textContent()).resolves.toMatch(
      /4\.00 USD\s+succeeded[\s\S]*one mug came back broken/,
    );

    // The rest (amount left blank), sent twice from the same confirm form.
    await page.getByRole('link', { name: 'Refund…' }).click();
    await page.getByLabel(/wallet address/).fill(WALLET);
    const form = Object.fromEntries(
      await page
        .locator('#confirm-form input')
        .evaluateAll((inputs) =>
          inputs.map((input) => [
            input.getAttribute('name') ?? '',
            (input as unknown as { value: string }).value,
          ]),
        ),
    ) as Record<string, string>;
    expect(form['key']).toMatch(/^console-/);
    await page.getByRole('button', { name: 'Refund' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('has not finished it yet');
    const again = await page.request.post(`${consoleUrl}/actions/refund`, { form, maxRedirects: 0 });
    expect(again.status()).toBe(303);
    expect((await shop.payments.refunds(aurpayPaid.id)).map((r) => r.amount)).toEqual(['4.00', '6.00']);
    expect(shop.aurpaySim.refunds()).toHaveLength(2);
    await finishAtAurpay(shop);
    await shop.payments.reconcile({ all: true });
    await page.reload();
    await expect(page.locator('#refundable-total').textContent()).resolves.toContain('0.00');
    await expect(page.locator('dl.fields .badge').first().textContent()).resolves.toBe('refunded');
    await expect(page.getByRole('link', { name: 'Refund…' }).count()).resolves.toBe(0);
    await expect(page.locator('#timeline li[data-type="refund.succeeded"]').count()).resolves.toBe(2);
    await expect(
      page.locator('#timeline li[data-type="refund.requested"]').first().textContent(),
    ).resolves.toMatch(/Refund requested[\s\S]*4\.00 USD[\s\S]*one mug came back broken/);
    await shots.take(page, 'aurpay-refunded');
    const actions = operatorActions(await shop.payments.history(aurpayPaid.id));
    expect(actions.map((a) => [a['who'], a['what'], a['source']])).toEqual([
      ['ana@shop.test', 'payment.refund', 'console'],
      ['ana@shop.test', 'payment.refund', 'console'],
    ]);
  });

  it('records an AAIO refund made in its cabinet; the page says AAIO has no refund API', async () => {
    await page.goto(paymentPage(aaioPaid));
    await expect(page.locator('#refunds-by-hand').textContent()).resolves.toContain('aaio has no refund API');
    await expect(page.getByRole('link', { name: 'Refund…' }).count()).resolves.toBe(0);
    // Asked for anyway: a clear refusal, not a failed refund.
    const direct = await page.goto(`${consoleUrl}/actions/refund?payment=${aaioPaid.id}`);
    expect(direct?.status()).toBe(422);
    await expect(page.locator('#problem-code').textContent()).resolves.toBe('refund_unsupported');
    await page.goto(paymentPage(aaioPaid));
    await page.getByRole('link', { name: 'Record a refund made elsewhere…' }).click();
    await page.getByLabel(/^Amount in RUB/).fill('150.00');
    await page.getByLabel(/^Reference/).fill('cabinet-9001');
    await page.getByLabel(/^Note/).fill('buyer cancelled one seat');
    await page.getByRole('button', { name: 'Record the refund' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('is recorded');
    await expect(page.locator('#refundable-total').textContent()).resolves.toContain('350.00');
    await expect(page.locator('table.refunds tbody tr').textContent()).resolves.toMatch(
      /150\.00 RUB\s+succeeded\s+recorded\s+cabinet-9001/,
    );
    await shots.take(page, 'aaio-recorded');
    expect(await shop.payments.refunds(aaioPaid.id)).toMatchObject([
      { amount: '150.00', status: 'succeeded', source: 'recorded', providerRef: 'cabinet-9001' },
    ]);
    expect(operatorActions(await shop.payments.history(aaioPaid.id))).toEqual([
      {
        who: 'ana@shop.test',
        what: 'payment.refund.record',
        source: 'console',
        note: expect.stringContaining('150.00 RUB — buyer cancelled one seat'),
      },
    ]);
  });

  it('shows a refund Aurpay refuses as a page saying so, with the refund failed and the payment as it was', async () => {
    const other = await shop.paidAurpay(`R2-${framework}`, '20.00');
    shop.aurpaySim.faults.refund = 'refuse';
    try {
      await page.goto(paymentPage(other));
      await page.getByRole('link', { name: 'Refund…' }).click();
      await page.getByLabel(/wallet address/).fill(WALLET);
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/actions/refund')),
        page.getByRole('button', { name: 'Refund' }).click(),
      ]);
      expect(answer.status()).toBe(502);
      await expect(page.locator('#problem-code').textContent()).resolves.toBe('provider_error');
      await expect(page.locator('main').textContent()).resolves.toMatch(/aurpay refused the refund/);
    } finally {
      shop.aurpaySim.faults.refund = null;
    }
    const [failed] = await shop.payments.refunds(other.id);
    expect(failed).toMatchObject({ amount: '20.00', status: 'failed' });
    expect((await shop.payments.get(other.id))?.status).toBe('paid');
    expect(operatorActions(await shop.payments.history(other.id))).toEqual([
      expect.objectContaining({
        who: 'ana@shop.test',
        what: 'payment.refund',
        note: `${failed!.id}: failed (provider_error)`,
      }),
    ]);
    await page.goto(paymentPage(other));
    await expect(page.locator(`tr[data-refund="${failed!.id}"]`).textContent()).resolves.toMatch(
      /failed[\s\S]*refused/,
    );
    await expect(page.locator('#refundable-total').textContent()).resolves.toContain('20.00');
  });

  it('refuses a POST without CSRF, an over-refund with a clear page, and every refund for a read-only operator', async () => {
    const before = await shop.payments.refunds(aaioPaid.id);
    const forged = await page.request.post(`${consoleUrl}/actions/record`, {
      form: { payment: aaioPaid.id, amount: '1.00' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('csrf_invalid');
    await page.goto(paymentPage(aaioPaid));
    await page.getByRole('link', { name: 'Record a refund made elsewhere…' }).click();
    await page.getByLabel(/^Amount in RUB/).fill('350.01');
    await page.getByRole('button', { name: 'Record the refund' }).click();
    await expect(page.locator('#problem-code').textContent()).resolves.toBe('refund_exceeds_payment');
    await expect(page.locator('main').textContent()).resolves.not.toMatch(/at .+\.ts:\d+/);
    await shots.take(page, 'over-refund-refused');
    expect(await shop.payments.refunds(aaioPaid.id)).toEqual(before);

    const viewer = await browser.newContext();
    try {
      const { origin } = new URL(consoleUrl);
      await viewer.addCookies([{ name: 'ops', value: VIEWER_TOKEN, url: origin }]);
      const look = await viewer.newPage();
      await look.goto(paymentPage(aaioPaid));
      await expect(look.locator('#refunds-h').count()).resolves.toBe(1);
      await expect(look.getByRole('link', { name: /Refund…|Record a refund/ }).count()).resolves.toBe(0);
      const refused = await look.goto(`${consoleUrl}/actions/record?payment=${aaioPaid.id}`);
      expect(refused?.status()).toBe(403);
    } finally {
      await viewer.close();
    }
  });
});
