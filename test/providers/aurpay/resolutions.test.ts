// Aurpay's RESOLVED is the merchant's own decision in the dashboard: it settles an anomaly
// that a repeat of SUCCESS never settles (money that came after the payment had failed).
import { eventFromOrder, parseOrderInfo } from '@paymount/aurpay';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, closeShops, send, startShop } from './support.js';

afterEach(closeShops);

describe('aurpay: RESOLVED is a resolution', () => {
  it('marks RESOLVED, and only RESOLVED, as resolved by the merchant', () => {
    const order = { order_id: '20250207040935220628', vs_price: '10.0', vs_currency: 'USD' };
    expect(
      eventFromOrder(parseOrderInfo({ ...order, status: 'RESOLVED' }), { terminatedAs: 'failed' }),
    ).toMatchObject({ status: 'paid', resolved: true });
    expect(
      eventFromOrder(parseOrderInfo({ ...order, status: 'SUCCESS' }), { terminatedAs: 'failed' }),
    ).not.toHaveProperty('resolved');
  });

  it('a payment paid after it failed stays an anomaly on a repeated SUCCESS callback, and RESOLVED pays it', async () => {
    const shop = await startShop({ terminatedAs: 'failed' });
    const payment = await shop.checkout('R-1', '10.00', { method: 'ETH:USDT-ERC20' });
    const ref = payment.providerRef!;
    shop.sim.setStatus(ref, 'TERMINATED');
    expect((await shop.payments.refresh(payment.id)).status).toBe('failed');

    // The money comes anyway; Aurpay's POST callback says SUCCESS.
    const [callback] = await shop.sim.pay(ref);
    expect(callback?.status).toBe(200);
    expect(await shop.payments.get(payment.id)).toMatchObject({
      status: 'anomaly',
      anomaly: 'paid_after_failure',
    });

    // The same callback again, and a status check: still the anomaly, no onPaid.
    const order = shop.sim.order(ref)!;
    const again = await send(
      order.callbackUrl!,
      'POST',
      { 'content-type': 'application/json', 'API-Key': API_KEY },
      JSON.stringify(order.info),
    );
    expect(again.status).toBe(200);
    expect((await shop.payments.refresh(payment.id)).status).toBe('anomaly');

    // The merchant resolves it in Aurpay's dashboard.
    shop.sim.setStatus(ref, 'RESOLVED');
    expect(await shop.payments.refresh(payment.id)).toMatchObject({
      status: 'paid',
      providerStatus: 'RESOLVED',
    });
    expect(await shop.hooks()).toEqual([
      `onFailed:${payment.id}`,
      `onAnomaly:${payment.id}`,
      `onPaid:${payment.id}`,
    ]);
  });
});
