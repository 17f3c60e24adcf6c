import { createPayments, memoryStore, type Payment, type Payments } from '@paymount/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HookRecorder, hookRecorder } from './hook-recorder.js';
import { type PlainShop, startPlainShop } from './plain-shop.js';
import type { HarnessInstance, ProviderHarness } from './provider-conformance.js';

/** What the suite asserts of a hook call: which hook, for which payment, in which status. */
interface HookCall {
  readonly hook: string;
  readonly paymentId: string;
  readonly status: string;
}

/**
 * The behaviour every provider must show against its simulator, over real HTTP:
 * checkout, paid, duplicate, underpaid, expired, forged, lost callback and a
 * provider outage at checkout.
 */
export function providerConformance(harness: ProviderHarness): void {
  describe(`provider conformance: ${harness.name}`, () => {
    let shop: PlainShop;
    let base: string;
    let instance: HarnessInstance;
    let payments: Payments;
    let recorder: HookRecorder;
    const orders = new Map<string, string>();

    beforeEach(async () => {
      shop = await startPlainShop();
      base = shop.base;
      instance = await harness.setup({ publicUrl: `${base}/pay` });
      recorder = hookRecorder();
      const { onPaid, onExpired, onAnomaly, onFailed } = recorder.hooks;
      payments = createPayments({
        publicUrl: `${base}/pay`,
        secret: 'conformance-secret-conformance-secret',
        store: memoryStore(),
        providers: { [harness.name]: instance.provider },
        loadOrder: async (orderId) => {
          const amount = orders.get(orderId);
          return amount ? { amount, currency: harness.currency, description: `Order ${orderId}` } : null;
        },
        returnUrls: {
          success: '/shop/{orderId}/thanks',
          pending: '/shop/{orderId}/wait',
          failure: '/shop/{orderId}/failed',
        },
        hooks: { onPaid, onExpired, onAnomaly, onFailed },
        hookDelivery: { pollIntervalMs: 0 },
        reconcile: { firstCheckAfterMs: 0 },
      });
      shop.attach(payments);
    });

    afterEach(async () => {
      await payments.close();
      await instance.close();
      await shop.close();
    });

    async function checkout(orderId: string, amount: string): Promise<{ payUrl: string; payment: Payment }> {
      orders.set(orderId, amount);
      const res = await fetch(`${base}/pay/checkout/${orderId}?provider=${harness.name}`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(303);
      const payUrl = res.headers.get('location');
      expect(payUrl).toBeTruthy();
      const [payment] = await payments.findByOrder(orderId);
      expect(payment?.status).toBe('pending');
      return { payUrl: payUrl!, payment: payment! };
    }

    async function hooksAfterDelivery(): Promise<HookCall[]> {
      await payments.deliverHooks();
      return recorder.calls.map(({ hook, paymentId, status }) => ({ hook, paymentId, status }));
    }

    it('answers a checkout with a 303 to a pay page the simulator serves', async () => {
      const { payUrl } = await checkout('conf-1', '12.50');
      const page = await fetch(payUrl);
      expect(page.status).toBe(200);
      await page.arrayBuffer();
    });

    it('reuses the pending payment for a second checkout of the same order', async () => {
      const first = await checkout('conf-2', '12.50');
      const again = await checkout('conf-2', '12.50');
      expect(again.payUrl).toBe(first.payUrl);
      expect(await payments.findByOrder('conf-2')).toHaveLength(1);
    });

    it('marks a fully paid payment paid and calls onPaid exactly once, also for a duplicate callback', async () => {
      const { payUrl, payment } = await checkout('conf-3', '20.00');
      await instance.act(payUrl, 'full');
      expect((await payments.get(payment.id))?.status).toBe('paid');
      const duplicate = await instance.resendLastCallback();
      expect(duplicate).toBeGreaterThanOrEqual(200);
      expect(duplicate).toBeLessThan(300);
      expect(await hooksAfterDelivery()).toEqual([{ hook: 'onPaid', paymentId: payment.id, status: 'paid' }]);
      const status = await (await fetch(`${base}/pay/status/${payment.id}`)).json();
      expect(status).toMatchObject({ paymentId: payment.id, status: 'paid', amount: '20.00' });
      const back = await fetch(`${base}/pay/return/${payment.id}`, { redirect: 'manual' });
      expect(back.status).toBe(303);
      expect(back.headers.get('location')).toBe(`${base}/shop/conf-3/thanks`);
      const after = await fetch(`${base}/pay/checkout/conf-3?provider=${harness.name}`, {
        redirect: 'manual',
      });
      expect(after.headers.get('location')).toBe(`${base}/shop/conf-3/thanks`);
    });

    it('turns an underpayment into an anomaly, never paid', async () => {
      const { payUrl, payment } = await checkout('conf-4', '30.00');
      await instance.act(payUrl, 'less');
      const stored = await payments.get(payment.id);
      expect(stored?.status).toBe('anomaly');
      expect(stored?.anomaly).toMatch(/underpaid|partial/);
      const hooks = await hooksAfterDelivery();
      expect(hooks.map((c) => c.hook)).toEqual(['onAnomaly']);
    });

    it('expires a payment that times out and sends the buyer to the failure page', async () => {
      const { payUrl, payment } = await checkout('conf-5', '5.00');
      await instance.act(payUrl, 'expire');
      expect((await payments.get(payment.id))?.status).toBe('expired');
      expect((await hooksAfterDelivery()).map((c) => c.hook)).toEqual(['onExpired']);
      const back = await fetch(`${base}/pay/return/${payment.id}`, { redirect: 'manual' });
      expect(back.headers.get('location')).toBe(`${base}/shop/conf-5/failed`);
    });

    it('refuses a forged callback with a 4xx and changes nothing', async () => {
      const { payUrl, payment } = await checkout('conf-6', '7.77');
      const status = await instance.forgeCallback(payUrl);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      expect(await payments.get(payment.id)).toEqual(payment);
      expect(await hooksAfterDelivery()).toEqual([]);
    });

    if (harness.recoversLostCallback === false) {
      it('leaves a payment whose only callback was lost pending, as documented, without inventing a status', async () => {
        const { payUrl, payment } = await checkout('conf-7', '9.99');
        await instance.payWithoutCallback(payUrl);
        const report = await payments.reconcile();
        expect(report).toMatchObject({ checked: 1, changed: 0, errors: 0 });
        expect((await payments.get(payment.id))?.status).toBe('pending');
        expect(await hooksAfterDelivery()).toEqual([]);
      });
    } else {
      it('finds a payment whose notification was lost when reconciling', async () => {
        const { payUrl, payment } = await checkout('conf-7', '9.99');
        await instance.payWithoutCallback(payUrl);
        expect((await payments.get(payment.id))?.status).toBe('pending');
        const report = await payments.reconcile();
        expect(report).toMatchObject({ checked: 1, changed: 1, errors: 0 });
        expect((await payments.get(payment.id))?.status).toBe('paid');
        expect((await hooksAfterDelivery()).map((c) => c.hook)).toEqual(['onPaid']);
      });
    }

    for (const mode of ['down', 'garbage', 'slow'] as const) {
      it(`answers a clear provider error when the API is ${mode} at checkout, and a retry resumes the same payment`, async () => {
        orders.set(`conf-8-${mode}`, '15.00');
        instance.breakApi(mode);
        const failed = await fetch(`${base}/pay/checkout/conf-8-${mode}?provider=${harness.name}`, {
          redirect: 'manual',
          headers: { accept: 'application/json' },
        });
        expect([502, 503, 504]).toContain(failed.status);
        const body = (await failed.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toMatch(/^provider_/);
        const [kept] = await payments.findByOrder(`conf-8-${mode}`);
        expect(kept?.status).toBe('created');
        instance.breakApi(null);
        const retried = await fetch(`${base}/pay/checkout/conf-8-${mode}?provider=${harness.name}`, {
          redirect: 'manual',
        });
        expect(retried.status).toBe(303);
        const all = await payments.findByOrder(`conf-8-${mode}`);
        expect(all.map((p) => [p.id, p.status])).toEqual([[kept?.id, 'pending']]);
      });
    }
  });
}
