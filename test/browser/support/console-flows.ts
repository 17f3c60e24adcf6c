import type { Payment } from '@paymount/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';
import {
  type ConsoleFramework,
  type ConsoleShop,
  OPERATOR_TOKEN,
  startConsoleShop,
  VIEWER_TOKEN,
} from './console-shop.js';
import { StepShots } from './screenshots.js';

/** An order description a buyer (or a provider's field) could carry: it must render as text. */
export const HOSTILE_DESCRIPTION =
  '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">Mug & "cup"';

/** The buyer's address: AAIO's notification carries it back; no page may show it. */
const BUYER_EMAIL = 'buyer.console@example.test';

/** The payments the tests read: one paid after a refused and an accepted callback (its hook dead), two anomalies, one pending. */
interface Scenario {
  readonly paid: Payment;
  readonly short: Payment;
  readonly back: Payment;
  readonly waiting: Payment;
}

async function buildScenario(shop: ConsoleShop): Promise<Scenario> {
  shop.failingOrders.add('ord-paid');
  const paid = await shop.checkout('ord-paid', '500.00', {
    description: HOSTILE_DESCRIPTION,
    email: BUYER_EMAIL,
  });
  await shop.sim.pay(paid.id, { notify: 'never' });
  const fields = shop.sim.notificationFields(paid.id);
  // A forged notification first (wrong sign), then AAIO's own, both over HTTP as AAIO sends them.
  expect(await shop.notify({ ...fields, sign: 'f'.repeat(64) })).toBe(401);
  expect(await shop.notify(fields)).toBe(200);
  await shop.payments.deliverHooks();
  const short = await shop.checkout('ord-short', '300.00');
  await shop.sim.pay(short.id, { amount: '120.00' });
  const back = await shop.checkout('ord-back', '80.00');
  await shop.sim.pay(back.id, { amount: '20.00' });
  const waiting = await shop.checkout('ord-wait', '75.00');
  expect((await shop.payments.get(paid.id))?.status).toBe('paid');
  expect((await shop.payments.get(short.id))?.status).toBe('anomaly');
  expect((await shop.payments.get(back.id))?.status).toBe('anomaly');
  expect((await shop.payments.listHookJobs({ state: 'dead' })).map((j) => j.paymentId)).toEqual([paid.id]);
  return { paid, short, back, waiting };
}

/** The operator console in Chromium, mounted at /admin/payments on one framework. */
export function describeConsole(framework: ConsoleFramework): void {
  describe(`the operator console on ${framework === 'express' ? 'Express 5' : 'Koa 3'} in Chromium`, () => {
    let browser: Browser;
    let shop: ConsoleShop;
    let scenario: Scenario;
    let context: BrowserContext;
    let page: Page;
    const shots = new StepShots(`console-${framework}`);

    beforeAll(async () => {
      [browser, shop] = await Promise.all([launchChromium(), startConsoleShop(framework)]);
      scenario = await buildScenario(shop);
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      context.setDefaultTimeout(10_000);
      await context.addCookies([
        { name: 'ops', value: OPERATOR_TOKEN, url: shop.origin, httpOnly: true, sameSite: 'Strict' },
      ]);
      page = await context.newPage();
    });
    afterAll(async () => {
      await Promise.allSettled([browser?.close(), shop?.close()]);
    });

    it('refuses a request without authorization, with no payment data in the answer', async () => {
      const anonymous = await browser.newContext();
      try {
        const open = await anonymous.newPage();
        for (const path of [
          '',
          '/',
          '/payments',
          `/payments/${scenario.paid.id}`,
          '/hooks',
          `/actions/refresh?payment=${scenario.paid.id}`,
        ]) {
          const response = await open.goto(`${shop.consoleUrl}${path}`);
          expect(response?.status(), path).toBe(401);
          const text = await open.content();
          for (const p of Object.values(scenario)) {
            expect(text).not.toContain(p.id);
            expect(text).not.toContain(p.orderId);
          }
        }
        expect(await open.locator('h1').textContent()).toBe('Sign in required');
        await shots.take(open, 'signed-out');
        const post = await anonymous.request.post(`${shop.consoleUrl}/actions/reconcile`, {
          form: { csrf: 'x' },
        });
        expect(post.status()).toBe(401);
        const wrongToken = await anonymous.request.get(`${shop.consoleUrl}/`, {
          headers: { authorization: 'Bearer not-the-token' },
        });
        expect(wrongToken.status()).toBe(401);
      } finally {
        await anonymous.close();
      }
      const bearer = await fetch(`${shop.consoleUrl}/`, {
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
      });
      expect(bearer.status).toBe(200);
      expect(bearer.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      expect(bearer.headers.get('x-frame-options')).toBe('DENY');
      expect(bearer.headers.get('cache-control')).toBe('no-store');
      expect(bearer.headers.get('referrer-policy')).toBe('no-referrer');
      await bearer.arrayBuffer();
    });

    it('shows the overview: counts by status and provider, and what needs attention', async () => {
      await page.goto(shop.consoleUrl);
      expect(await page.title()).toBe('Overview · Test shop payments');
      const day = page.locator('#counts-day');
      expect(await day.locator('tr[data-status="paid"] td').first().textContent()).toBe('1');
      expect(await day.locator('tr[data-status="anomaly"] td').first().textContent()).toBe('2');
      expect(await day.locator('tr[data-status="pending"] td').first().textContent()).toBe('1');
      const attention = page.locator('#attention');
      expect(await attention.locator('li[data-kind="anomaly"]').count()).toBe(2);
      expect(
        await attention.locator('li[data-kind="anomaly"]', { hasText: scenario.short.id }).textContent(),
      ).toContain('underpaid');
      expect(await attention.locator('li[data-kind="dead"]').textContent()).toContain(
        'warehouse API is down',
      );
      expect(await attention.locator('li[data-kind="refused"]').textContent()).toContain(
        'callback_unauthorized',
      );
      await shots.take(page, 'overview');
    });

    it('lists payments newest first, filters them and pages with a cursor', async () => {
      await page.goto(`${shop.consoleUrl}/payments`);
      const rows = page.locator('#payments-table tbody tr');
      const ids = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-payment')));
      expect(await ids()).toEqual([scenario.waiting.id, scenario.back.id]);
      await page.getByRole('link', { name: 'Next page' }).click();
      expect(await ids()).toEqual([scenario.short.id, scenario.paid.id]);
      expect(await page.getByRole('link', { name: 'Next page' }).count()).toBe(0);
      await page.getByRole('link', { name: 'First page' }).click();
      await page.getByLabel('Status').selectOption('anomaly');
      await page.getByRole('button', { name: 'Filter' }).click();
      expect(await ids()).toEqual([scenario.back.id, scenario.short.id]);
      expect(new URL(page.url()).searchParams.get('status')).toBe('anomaly');
      await page.getByLabel('Status').selectOption('');
      await page.getByLabel('Search').fill('ord-paid');
      await page.getByRole('button', { name: 'Filter' }).click();
      expect(await rows.count()).toBe(1);
      expect(await rows.first().getAttribute('data-payment')).toBe(scenario.paid.id);
      await shots.take(page, 'payments-search');
      await page.getByLabel('Search').fill('');
      await page.getByLabel('Provider').selectOption('aaio');
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      await page.getByLabel('Created from').fill(tomorrow);
      await page.getByRole('button', { name: 'Filter' }).click();
      expect(await page.locator('.empty').textContent()).toBe('No payments match.');
      const bad = await page.goto(`${shop.consoleUrl}/payments?status=bogus`);
      expect(bad?.status()).toBe(400);
      expect(await page.locator('#problem-code').textContent()).toBe('invalid_request');
    });

    it("shows a payment's timeline: the refused callback and why, the accepted one, and its hook jobs", async () => {
      await page.goto(`${shop.consoleUrl}/payments/${scenario.paid.id}`);
      expect(await page.title()).toBe(`Payment ${scenario.paid.id} · Test shop payments`);
      const refused = page.locator('#timeline li[data-type="callback.refused"]');
      expect(await refused.count()).toBe(1);
      expect(await refused.locator('.why').textContent()).toBe('Why: callback_unauthorized');
      const accepted = page.locator('#timeline li[data-type="callback.accepted"]');
      expect(await accepted.count()).toBe(1);
      await accepted.locator('summary').click();
      expect(await accepted.locator('pre').textContent()).toContain('"status": "success"');
      const types = await page
        .locator('#timeline > li')
        .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-type')));
      expect(types.indexOf('callback.refused')).toBeLessThan(types.indexOf('callback.accepted'));
      expect(types).toContain('hook.dead');
      const job = page.locator('table.hooks tbody tr');
      expect(await job.locator('td').nth(2).textContent()).toBe('dead');
      expect(await job.locator('td').nth(4).textContent()).toContain('warehouse API is down');
      await shots.take(page, 'payment-timeline');
    });

    it("shows a <script> in an order's description as text and runs none", async () => {
      await page.goto(`${shop.consoleUrl}/payments/${scenario.paid.id}`);
      expect(await page.locator('#description').textContent()).toBe(HOSTILE_DESCRIPTION);
      expect(await page.locator('main script, main img').count()).toBe(0);
      expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('script').count()).toBe(0);
    });

    it('refuses an action POSTed without the CSRF token, or with another operator’s, and changes nothing', async () => {
      const before = await shop.payments.history(scenario.waiting.id);
      const none = await page.request.post(`${shop.consoleUrl}/actions/refresh`, {
        form: { payment: scenario.waiting.id },
      });
      expect(none.status()).toBe(403);
      expect(await none.text()).toContain('csrf_invalid');
      await page.goto(`${shop.consoleUrl}/actions/refresh?payment=${scenario.waiting.id}`);
      const token = await page.locator('input[name="csrf"]').inputValue();
      const wrong = await page.request.post(`${shop.consoleUrl}/actions/refresh`, {
        form: { payment: scenario.waiting.id, csrf: `${token.slice(0, -2)}xx` },
      });
      expect(wrong.status()).toBe(403);
      // The viewer's own token is bound to the viewer, and the viewer may not act at all.
      const viewer = await page.request.post(`${shop.consoleUrl}/actions/refresh`, {
        form: { payment: scenario.waiting.id, csrf: token },
        headers: { authorization: `Bearer ${VIEWER_TOKEN}` },
      });
      expect(viewer.status()).toBe(403);
      const get = await page.request.get(`${shop.consoleUrl}/actions/reconcile`, {
        headers: { authorization: `Bearer ${VIEWER_TOKEN}` },
      });
      expect(get.status()).toBe(403);
      expect(await shop.payments.history(scenario.waiting.id)).toEqual(before);
    });

    it('replays a dead hook after a confirmation, and journals who did it', async () => {
      await page.goto(`${shop.consoleUrl}/hooks`);
      const dead = page.locator('#dead-hooks tbody tr');
      expect(await dead.count()).toBe(1);
      expect(await page.locator('#refused-callbacks').textContent()).toContain('callback_unauthorized');
      await shots.take(page, 'hooks');
      shop.failingOrders.delete('ord-paid');
      await dead.getByRole('link', { name: 'Replay…' }).click();
      expect(await page.locator('h1').textContent()).toBe('Replay a dead hook');
      expect(await page.locator('main pre').textContent()).toContain('warehouse API is down');
      await shots.take(page, 'replay-confirm');
      await page.getByRole('button', { name: 'Replay the hook' }).click();
      await page.waitForURL(/\/hooks\?done=replayed$/);
      expect(await page.locator('[role="status"]').textContent()).toMatch(/due again/);
      expect(await page.locator('#dead-hooks .empty').textContent()).toBe('No hook jobs.');
      const [job] = await shop.payments.listHookJobs({ paymentId: scenario.paid.id });
      expect(job?.state).toBe('pending');
      await shop.payments.deliverHooks();
      expect((await shop.payments.listHookJobs({ paymentId: scenario.paid.id }))[0]?.state).toBe('done');
      const actions = (await shop.payments.history(scenario.paid.id)).filter(
        (e) => e.type === 'operator.action',
      );
      expect(actions.map((e) => [e.data['who'], e.data['what']])).toEqual([['ana@shop.test', 'hook.replay']]);
    });

    it('resolves an anomaly as paid with a note, after a confirmation', async () => {
      await page.goto(`${shop.consoleUrl}/payments/${scenario.short.id}`);
      await page.getByRole('link', { name: 'Accept as paid…' }).click();
      expect(await page.locator('h1').textContent()).toBe('Resolve an anomaly');
      await page
        .getByLabel('Note for the journal (required)')
        .fill('Buyer paid the rest by bank transfer, ticket <b>812</b>');
      await shots.take(page, 'resolve-confirm');
      await page.getByRole('button', { name: 'Resolve' }).click();
      await page.waitForURL(/done=resolved-paid$/);
      expect((await shop.payments.get(scenario.short.id))?.status).toBe('paid');
      const entry = page.locator('#timeline li[data-type="operator.action"]');
      expect(await entry.textContent()).toContain('ana@shop.test');
      expect(await entry.textContent()).toContain('ticket <b>812</b>');
      await shots.take(page, 'resolved');
    });

    it('records an anomaly refunded by hand, with a note, after a confirmation', async () => {
      await page.goto(`${shop.consoleUrl}/payments/${scenario.back.id}`);
      await page.getByRole('link', { name: 'Record refunded by hand…' }).click();
      const empty = await page.request.post(`${shop.consoleUrl}/actions/resolve`, {
        form: {
          payment: scenario.back.id,
          as: 'refunded',
          note: '  ',
          csrf: await page.locator('input[name="csrf"]').inputValue(),
        },
      });
      expect(empty.status()).toBe(400);
      expect((await shop.payments.get(scenario.back.id))?.status).toBe('anomaly');
      await page.getByLabel('Note for the journal (required)').fill('Refunded 20.00 RUB in the AAIO cabinet');
      await page.getByRole('button', { name: 'Resolve' }).click();
      await page.waitForURL(/done=resolved-refunded$/);
      expect((await shop.payments.get(scenario.back.id))?.status).toBe('refunded');
      const entry = page.locator('#timeline li[data-type="operator.action"]');
      expect(await entry.textContent()).toContain('anomaly.refunded');
      expect(await entry.textContent()).toContain('Refunded 20.00 RUB in the AAIO cabinet');
    });

    it('checks a payment with its provider now, and reconciles now, each after a confirmation', async () => {
      await page.goto(`${shop.consoleUrl}/payments/${scenario.waiting.id}`);
      await page.getByRole('link', { name: 'Check with the provider now…' }).click();
      expect(await page.locator('h1').textContent()).toBe('Check with the provider now');
      await page.getByRole('button', { name: 'Check now' }).click();
      await page.waitForURL(/done=refreshed$/);
      const checked = page.locator('#timeline li[data-type="provider.checked"]').last();
      expect(await checked.textContent()).toContain('Because of refresh');
      await page.getByRole('link', { name: 'Overview' }).click();
      await page.getByRole('link', { name: 'Reconcile now…' }).click();
      await page.getByRole('button', { name: 'Reconcile now' }).click();
      await page.waitForURL(/done=reconciled$/);
      expect(await page.locator('[role="status"]').textContent()).toMatch(/Reconcile ran/);
      const { entries } = await shop.payments.journal({ type: 'operator.action' });
      const done = entries.map((e) => [e.data['who'], e.data['what']]);
      expect(done).toContainEqual(['ana@shop.test', 'payment.refresh']);
      expect(done).toContainEqual(['ana@shop.test', 'reconcile']);
    });

    it('shows no secret and no buyer e-mail on any page', async () => {
      const { secret1, secret2, apiKey } = shop.sim.merchant;
      const secrets = [secret1, secret2, apiKey, 'console-test-secret-console-test-secret', OPERATOR_TOKEN];
      const paths = ['/', '/payments', '/hooks', ...Object.values(scenario).map((p) => `/payments/${p.id}`)];
      for (const path of paths) {
        await page.goto(`${shop.consoleUrl}${path}`);
        const text = await page.content();
        for (const secret of secrets) expect(text, path).not.toContain(secret);
        expect(text, path).not.toContain(BUYER_EMAIL);
      }
    });
  });
}
