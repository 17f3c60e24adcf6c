import { isPaymentsError } from '@paymount/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type RefundShop, startRefundShop } from './support.js';

// AAIO has no refund API: paymount says so, and a refund made in AAIO's cabinet is
// recorded by hand with payments.recordRefund().

const shops: RefundShop[] = [];
afterEach(async () => {
  for (const shop of shops.splice(0)) await shop.close();
});

describe('AAIO refunds', () => {
  it('answers refund_unsupported, pointing at recordRefund, and leaves the payment paid', async () => {
    const s = await startRefundShop();
    shops.push(s);
    const paid = await s.paidAaio('A-1', '499.00');
    const error = await s.payments.refund(paid.id).catch((e: unknown) => e);
    expect(isPaymentsError(error) && error.code).toBe('refund_unsupported');
    expect((error as Error).message).toMatch(/AAIO has no refund API.*recordRefund/);
    expect(await s.payments.get(paid.id)).toEqual(paid);
  });

  it('records refunds made in the AAIO cabinet, once each, with one onRefunded per refund', async () => {
    const s = await startRefundShop();
    shops.push(s);
    const paid = await s.paidAaio('A-2', '499.00');
    const part = await s.payments.recordRefund(paid.id, {
      amount: '100',
      reference: 'cab-1',
      note: 'one item back',
    });
    expect(part).toMatchObject({
      status: 'succeeded',
      amount: '100.00',
      source: 'recorded',
      providerRef: 'cab-1',
    });
    // The same reference again is the same refund.
    expect((await s.payments.recordRefund(paid.id, { amount: '100.00', reference: 'cab-1' })).id).toBe(
      part.id,
    );
    expect((await s.payments.get(paid.id))?.status).toBe('paid');
    expect(await s.payments.refundTotals(paid.id)).toMatchObject({
      refunded: '100.00',
      refundable: '399.00',
    });
    const overdone = await s.payments.recordRefund(paid.id, { amount: '400.00' }).catch((e: unknown) => e);
    expect(isPaymentsError(overdone) && overdone.code).toBe('refund_exceeds_payment');
    const rest = await s.payments.recordRefund(paid.id, { amount: '399.00', reference: 'cab-2' });
    expect((await s.payments.get(paid.id))?.status).toBe('refunded');
    await s.payments.deliverHooks();
    await s.payments.deliverHooks();
    expect(s.hooks.callsOf('onRefunded').map((c) => c.refundId)).toEqual([part.id, rest.id]);
    expect(
      s.hooks
        .callsOf('onStatusChange', paid.id)
        .map((c) => c.status)
        .at(-1),
    ).toBe('refunded');
    expect(s.hooks.duplicates()).toEqual([]);
    const notAllowed = await s.payments.recordRefund(paid.id, { amount: '1.00' }).catch((e: unknown) => e);
    expect(isPaymentsError(notAllowed) && notAllowed.code).toBe('refund_not_allowed');
  });

  it('retries a failed onRefunded with the same key, and replays a dead one with its refund', async () => {
    const s = await startRefundShop({
      payments: { hookDelivery: { pollIntervalMs: 0, maxAttempts: 2, baseDelayMs: 0 } },
    });
    shops.push(s);
    const paid = await s.paidAaio('A-3', '499.00');
    s.hooks.failNext('onRefunded', 2);
    const refund = await s.payments.recordRefund(paid.id, { amount: '10.00' });
    await s.payments.deliverHooks();
    await s.payments.deliverHooks();
    const [dead] = await s.payments.listHookJobs({ state: 'dead', paymentId: paid.id });
    expect(dead?.id).toBe(`${paid.id}:${refund.id}:onRefunded`);
    expect(await s.payments.replayHook(dead!.id)).toBe(true);
    await s.payments.deliverHooks();
    expect(s.hooks.callsOf('onRefunded')).toMatchObject([{ refundId: refund.id, idempotencyKey: dead!.id }]);
  });
});
