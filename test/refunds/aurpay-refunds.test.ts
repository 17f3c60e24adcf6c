import { isPaymentsError, type Refund } from '@paymount/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type RefundShop, startRefundShop, WALLET } from './support.js';

// Refunds through Aurpay's refund API, against the Aurpay simulator over real HTTP:
// `POST /api/v2/order/refund/{order_id}` asks, `GET /api/v2/order/refund-info/{order_id}`
// tells the reconciler how a pending refund ended.

const shops: RefundShop[] = [];
afterEach(async () => {
  for (const shop of shops.splice(0)) await shop.close();
});

async function shop(config: Parameters<typeof startRefundShop>[0] = {}): Promise<RefundShop> {
  const started = await startRefundShop(config);
  shops.push(started);
  return started;
}

const codeOf = async (work: Promise<unknown>): Promise<string> => {
  try {
    await work;
    return 'resolved';
  } catch (error) {
    return isPaymentsError(error) ? error.code : String(error);
  }
};

/** Finishes a pending refund from the simulator's refunds page, as a person at Aurpay would. */
async function completeOnPage(s: RefundShop, refund: Refund): Promise<void> {
  const page = await fetch(`${s.aurpaySim.url}/cashier/refunds`);
  expect(await page.text()).toContain(`data-refund="${refund.providerRef}"`);
  const done = await fetch(`${s.aurpaySim.url}/cashier/refunds`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ refund: refund.providerRef ?? '', outcome: 'SUCCESS' }).toString(),
  });
  expect(done.status).toBe(303);
}

/** Waits until the simulator has finished every refund it was asked for (its own delay). */
async function simulatorFinished(s: RefundShop): Promise<void> {
  while (s.aurpaySim.refunds().some((r) => r.status === 'PENDING')) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Aurpay refunds', () => {
  const shapes = [
    { request: 'address-amount', answer: 'object' },
    { request: 'refund-prefixed', answer: 'list' },
  ] as const;
  for (const shape of shapes) {
    it(`refunds a payment in full: pending at Aurpay, then refunded by the reconciler (${shape.request} body, ${shape.answer} answers)`, async () => {
      const s = await shop({
        aurpay: { refundRequest: shape.request },
        aurpaySim: { refundRequestShape: shape.request, refundAnswerShape: shape.answer },
      });
      const paid = await s.paidAurpay('R-1', '10.00');
      const refund = await s.payments.refund(paid.id, { address: WALLET, reason: 'returned' });
      expect(refund).toMatchObject({
        status: 'pending',
        amount: '10.00',
        currency: 'USD',
        reason: 'returned',
      });
      const asked = s.aurpaySim.refunds();
      expect(asked).toMatchObject([{ order_id: paid.providerRef, amount: '10.00', address: WALLET }]);
      expect((await s.payments.get(paid.id))?.status).toBe('paid');
      // The answer of a list-shaped Aurpay names no refund: the amount finds it in refund-info.
      await completeOnPage(s, { ...refund, providerRef: asked[0]!.refund_id });
      await s.payments.reconcile({ all: true });
      const [done] = await s.payments.refunds(paid.id);
      expect(done).toMatchObject({ id: refund.id, status: 'succeeded', providerRef: asked[0]!.refund_id });
      expect((await s.payments.get(paid.id))?.status).toBe('refunded');
      await s.payments.deliverHooks();
      expect(s.hooks.callsOf('onRefunded')).toMatchObject([{ paymentId: paid.id, refundId: refund.id }]);
      const types = (await s.payments.history(paid.id)).map((e) => e.type);
      expect(types.filter((t) => t.startsWith('refund.'))).toEqual(['refund.requested', 'refund.succeeded']);
      expect(types.lastIndexOf('status.changed')).toBeGreaterThan(types.indexOf('refund.succeeded'));
    });
  }

  it('refunds in parts: a partly refunded payment stays paid and shows what is refunded', async () => {
    const s = await shop({ aurpaySim: { refundDelayMs: 20 } });
    const paid = await s.paidAurpay('R-2', '10.00');
    const first = await s.payments.refund(paid.id, {
      amount: '4.00',
      address: WALLET,
      idempotencyKey: 'part-1',
    });
    await simulatorFinished(s);
    await s.payments.reconcile({ all: true });
    expect((await s.payments.get(paid.id))?.status).toBe('paid');
    expect(await s.payments.refundTotals(paid.id)).toEqual({
      currency: 'USD',
      paid: '10.00',
      refunded: '4.00',
      pending: '0.00',
      refundable: '6.00',
    });
    const second = await s.payments.refund(paid.id, { address: WALLET, idempotencyKey: 'part-2' });
    expect(second.amount).toBe('6.00');
    await simulatorFinished(s);
    await s.payments.reconcile({ all: true });
    expect((await s.payments.refunds(paid.id)).map((r) => [r.id, r.status])).toEqual([
      [first.id, 'succeeded'],
      [second.id, 'succeeded'],
    ]);
    expect((await s.payments.get(paid.id))?.status).toBe('refunded');
    await s.payments.deliverHooks();
    await s.payments.deliverHooks();
    expect(s.hooks.callsOf('onRefunded').map((c) => c.refundId)).toEqual([first.id, second.id]);
    expect(s.hooks.duplicates()).toEqual([]);
  });

  it('refuses to refund more than was paid, and nothing reaches Aurpay', async () => {
    const s = await shop();
    const paid = await s.paidAurpay('R-3', '10.00');
    expect(await codeOf(s.payments.refund(paid.id, { amount: '10.01', address: WALLET }))).toBe(
      'refund_exceeds_payment',
    );
    await s.payments.refund(paid.id, { amount: '7.00', address: WALLET });
    expect(await codeOf(s.payments.refund(paid.id, { amount: '3.01', address: WALLET }))).toBe(
      'refund_exceeds_payment',
    );
    expect(s.aurpaySim.refunds()).toHaveLength(1);
    expect(await s.payments.refunds(paid.id)).toHaveLength(1);
  });

  it('lets 25 of 50 concurrent refunds of 1.00 on a 25.00 payment reach Aurpay', async () => {
    const s = await shop();
    const paid = await s.paidAurpay('R-4', '25.00');
    const codes = await Promise.all(
      Array.from({ length: 50 }, () =>
        codeOf(s.payments.refund(paid.id, { amount: '1.00', address: WALLET })),
      ),
    );
    expect(codes.filter((c) => c === 'resolved')).toHaveLength(25);
    expect(codes.filter((c) => c === 'refund_exceeds_payment')).toHaveLength(25);
    expect(s.aurpaySim.refunds()).toHaveLength(25);
  });

  it('refuses bad requests with stable codes and changes nothing', async () => {
    const s = await shop();
    const paid = await s.paidAurpay('R-5', '10.00');
    for (const amount of ['1.001', '-1', '0', 'ten']) {
      expect(await codeOf(s.payments.refund(paid.id, { amount, address: WALLET }))).toBe('invalid_amount');
    }
    expect(await codeOf(s.payments.refund(paid.id, { amount: 5 as unknown as string }))).toBe(
      'invalid_amount',
    );
    expect(await codeOf(s.payments.refund('pm_000000000000000000000000'))).toBe('payment_not_found');
    expect(await s.payments.refunds(paid.id)).toEqual([]);
    // Not paid yet: nothing to refund.
    const open = await s.pendingAurpay('R-5b', '10.00');
    expect(await codeOf(s.payments.refund(open.id, { address: WALLET }))).toBe('refund_not_allowed');
    expect(await s.payments.refunds(open.id)).toEqual([]);
    // Aurpay needs the buyer's wallet: refused before anything is sent, the refund failed.
    expect(await codeOf(s.payments.refund(paid.id))).toBe('invalid_request');
    expect((await s.payments.refunds(paid.id)).map((r) => r.status)).toEqual(['failed']);
    expect(s.aurpaySim.refunds()).toEqual([]);
  });

  it('a refund Aurpay refuses is a failed refund, and the payment is as it was', async () => {
    const s = await shop();
    const paid = await s.paidAurpay('R-6', '10.00');
    s.aurpaySim.faults.refund = 'refuse';
    const error = await s.payments.refund(paid.id, { address: WALLET }).catch((e: unknown) => e);
    expect(isPaymentsError(error) && error.code).toBe('provider_error');
    const [failed] = await s.payments.refunds(paid.id);
    expect(failed).toMatchObject({ status: 'failed', amount: '10.00' });
    expect(failed?.error).toMatch(/refund rejected/);
    expect(await s.payments.get(paid.id)).toEqual(paid);
    expect((await s.payments.history(paid.id)).map((e) => e.type)).toContain('refund.failed');
    // Its amount is free again.
    s.aurpaySim.faults.refund = null;
    expect((await s.payments.refund(paid.id, { address: WALLET })).status).toBe('pending');
    await s.payments.deliverHooks();
    expect(s.hooks.callsOf('onRefunded')).toEqual([]);
  });

  for (const fault of ['timeout', 'error'] as const) {
    it(`keeps a refund pending when Aurpay may have acted (${fault}), and finishes it later`, async () => {
      const s = await shop({ aurpay: { timeoutMs: 300 } });
      s.aurpaySim.faults.apiDelayMs = 1_000;
      const paid = await s.paidAurpay(`R-7-${fault}`, '10.00');
      s.aurpaySim.faults.refund = fault;
      const code = await codeOf(s.payments.refund(paid.id, { address: WALLET }));
      expect(code).toBe(fault === 'timeout' ? 'provider_timeout' : 'provider_unavailable');
      const [kept] = await s.payments.refunds(paid.id);
      expect(kept?.status).toBe('pending');
      // Still reserved: no second refund of the same money.
      expect(await codeOf(s.payments.refund(paid.id, { address: WALLET }))).toBe('refund_exceeds_payment');
      s.aurpaySim.faults.refund = null;
      if (fault === 'timeout') {
        // Aurpay did refund: refund-info shows it, and the reconciler finishes ours.
        const [made] = s.aurpaySim.refunds();
        s.aurpaySim.finishRefund(made!.refund_id);
        await s.payments.reconcile({ all: true });
        expect((await s.payments.refunds(paid.id))[0]?.status).toBe('succeeded');
        expect((await s.payments.get(paid.id))?.status).toBe('refunded');
      } else {
        // Aurpay shows no refund: it stays pending for a person, never released by a guess.
        await s.payments.reconcile({ all: true });
        expect((await s.payments.refunds(paid.id))[0]?.status).toBe('pending');
      }
    });
  }

  it('gives back the same refund for the same idempotency key, also to concurrent calls', async () => {
    const s = await shop();
    const paid = await s.paidAurpay('R-8', '10.00');
    const again = await Promise.all(
      Array.from({ length: 10 }, () =>
        s.payments.refund(paid.id, { amount: '2.00', address: WALLET, idempotencyKey: 'order-R-8-return-1' }),
      ),
    );
    expect(new Set(again.map((r) => r.id)).size).toBe(1);
    const later = await s.payments.refund(paid.id, {
      amount: '2.00',
      address: WALLET,
      idempotencyKey: 'order-R-8-return-1',
    });
    expect(later.id).toBe(again[0]?.id);
    expect(s.aurpaySim.refunds()).toHaveLength(1);
    expect(await s.payments.refunds(paid.id)).toHaveLength(1);
    // The key names that refund: another amount under it is refused, not a second refund.
    const reused = s.payments.refund(paid.id, {
      amount: '3.00',
      address: WALLET,
      idempotencyKey: 'order-R-8-return-1',
    });
    expect(await codeOf(reused)).toBe('invalid_request');
    expect(s.aurpaySim.refunds()).toHaveLength(1);
  });
});
