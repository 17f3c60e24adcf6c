// Issue 14, items 5, 6 and 7: what the reconciler finds without any callback. A payment
// whose provider checkout failed expires after checkout.createdExpiryMs (with onExpired);
// an expired or anomalous payment is looked at again on a slower, bounded schedule, so a
// resolution at Aurpay (OVERDUE or PARTIAL, then RESOLVED) reaches paid; and
// reconcile({ all: true }) checks every live payment now. paymount's clock is moved, the
// simulators' is not. Over real HTTP, on every store.
import { afterAll, describe, expect, it } from 'vitest';
import { send } from '../reliability/support/shop.js';
import { type LeftBehindShop, removeStores, STORE_KINDS, startLeftBehindShop } from './support.js';

const MINUTE = 60_000;
const shops: LeftBehindShop[] = [];
afterAll(async () => {
  for (const shop of shops) await shop.close();
  await removeStores();
});

async function shopOn(
  kind: (typeof STORE_KINDS)[number],
  reconcile: { recheckAfterMs?: number; rechecks?: number } = {},
): Promise<LeftBehindShop> {
  const shop = await startLeftBehindShop(kind, { payments: { reconcile } });
  shops.push(shop);
  return shop;
}

/** How many times paymount asked Aurpay about an order. */
const detailCalls = (shop: LeftBehindShop, orderId: string): number =>
  shop.aurpaySim.requests.filter((r) => r.path === `/api/v2/order/detail/${orderId}`).length;

for (const kind of STORE_KINDS) {
  describe(`the reconciler (${kind})`, () => {
    it('expires a payment whose provider checkout failed, after checkout.createdExpiryMs, with onExpired', async () => {
      const shop = await shopOn(kind);
      const orderId = `STUCK-${kind}`;
      shop.orders.set(orderId, { amount: '10.00', currency: 'USD' });
      shop.aurpaySim.faults.api = 'down';
      const refused = await send(`${shop.base}/pay/checkout/${orderId}?provider=aurpay&format=json`);
      shop.aurpaySim.faults.api = null;
      expect(refused.status).toBe(503);
      const [stuck] = await shop.payments.findByOrder(orderId);
      expect(stuck?.status).toBe('created');
      shop.advance(30 * MINUTE);
      await shop.payments.reconcile();
      expect((await shop.payments.get(stuck!.id))?.status).toBe('created');
      shop.advance(31 * MINUTE);
      expect(await shop.payments.reconcile()).toMatchObject({ checked: 1, changed: 1 });
      expect(await shop.payments.get(stuck!.id)).toMatchObject({
        status: 'expired',
        providerStatus: 'checkout_incomplete',
      });
      expect(await shop.hookNames()).toEqual([`onExpired:${stuck!.id}`]);
      // Never asked about again: it never reached the provider.
      shop.advance(24 * 60 * MINUTE);
      expect(await shop.payments.reconcile()).toMatchObject({ checked: 0 });
    });

    it('pays an expired Aurpay payment the merchant resolved later, without a callback', async () => {
      const shop = await shopOn(kind);
      const payment = await shop.checkoutAt(`OVERDUE-${kind}`, 'aurpay', '10.00');
      await shop.aurpaySim.expire(payment.payUrl!);
      const expired = await shop.payments.get(payment.id);
      expect(expired?.status).toBe('expired');
      shop.aurpaySim.setStatus(expired!.providerRef!, 'RESOLVED');
      shop.advance(5 * MINUTE);
      expect(await shop.payments.reconcile()).toMatchObject({ checked: 0 });
      shop.advance(6 * MINUTE);
      expect(await shop.payments.reconcile()).toMatchObject({ checked: 1, changed: 1 });
      expect((await shop.payments.get(payment.id))?.status).toBe('paid');
      expect(await shop.hookNames()).toEqual([`onExpired:${payment.id}`, `onPaid:${payment.id}`]);
    });

    it('pays a partly paid Aurpay anomaly once Aurpay reports it resolved, without a callback', async () => {
      const shop = await shopOn(kind);
      const payment = await shop.checkoutAt(`PARTIAL-${kind}`, 'aurpay', '10.00');
      await shop.aurpaySim.pay(payment.payUrl!, { amount: '4.00' });
      const partial = await shop.payments.get(payment.id);
      expect([partial?.status, partial?.anomaly]).toEqual(['anomaly', 'partial']);
      shop.aurpaySim.setStatus(partial!.providerRef!, 'RESOLVED');
      shop.advance(11 * MINUTE);
      await shop.payments.reconcile();
      expect((await shop.payments.get(payment.id))?.status).toBe('paid');
      expect(await shop.hookNames()).toEqual([`onAnomaly:${payment.id}`, `onPaid:${payment.id}`]);
    });

    it('looks at an expired payment a bounded number of times, at doubling pauses', async () => {
      const shop = await shopOn(kind, { recheckAfterMs: MINUTE, rechecks: 3 });
      const payment = await shop.checkoutAt(`BOUNDED-${kind}`, 'aurpay', '10.00');
      await shop.aurpaySim.expire(payment.payUrl!);
      const ref = (await shop.payments.get(payment.id))!.providerRef!;
      const before = detailCalls(shop, ref);
      const looks: number[] = [];
      // Looks are due 1, 2 and 4 minutes after the expiry; then never again.
      for (let minute = 1; minute <= 60; minute++) {
        shop.advance(MINUTE);
        if ((await shop.payments.reconcile()).checked > 0) looks.push(minute);
      }
      expect(looks).toEqual([1, 2, 4]);
      expect(detailCalls(shop, ref) - before).toBe(3);
      expect((await shop.payments.get(payment.id))?.status).toBe('expired');
    });

    it('checks every live payment at once with reconcile({ all: true }), whatever its schedule', async () => {
      const shop = await shopOn(kind);
      const lost = await shop.checkoutAt(`ALL-1-${kind}`, 'aaio', '10.00');
      const waiting = await shop.checkoutAt(`ALL-2-${kind}`, 'aaio', '10.00');
      await shop.aaioSim.pay(lost.id, { notify: 'never' });
      // Plain reconcile keeps the schedule: the first check is a minute after checkout.
      expect(await shop.payments.reconcile()).toEqual({ checked: 0, changed: 0, errors: 0 });
      expect(await shop.payments.reconcile({ all: true })).toEqual({ checked: 2, changed: 1, errors: 0 });
      expect((await shop.payments.get(lost.id))?.status).toBe('paid');
      expect((await shop.payments.get(waiting.id))?.status).toBe('pending');
      expect(await shop.hookNames()).toEqual([`onPaid:${lost.id}`]);
    });
  });
}
