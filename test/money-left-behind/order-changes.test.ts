// Issue 14, items 10 and 11: an old pay page keeps its old amount, so money paid there must
// never make the order paid at that price. Before a payment becomes paid paymount asks
// loadOrder again (reason 'confirm'); a new checkout supersedes every live payment of the
// order whose price differs, whatever its provider; payments.cancel voids them; and such
// anomalies stay anomalies when the same notification comes again or a status check runs,
// until an operator accepts them. Over real HTTP with the simulators, on every store.
import { afterAll, describe, expect, it } from 'vitest';
import { type LeftBehindShop, removeStores, STORE_KINDS, startLeftBehindShop } from './support.js';

const shops: LeftBehindShop[] = [];
afterAll(async () => {
  for (const shop of shops) await shop.close();
  await removeStores();
});

async function shopOn(kind: (typeof STORE_KINDS)[number]): Promise<LeftBehindShop> {
  const shop = await startLeftBehindShop(kind);
  shops.push(shop);
  return shop;
}

/** The status and anomaly of a payment as stored now. */
async function standing(shop: LeftBehindShop, paymentId: string): Promise<[string, string | null]> {
  const payment = await shop.payments.get(paymentId);
  return [payment!.status, payment!.anomaly];
}

for (const kind of STORE_KINDS) {
  describe(`an order that changed (${kind})`, () => {
    it('never pays an old AAIO page at its old price once the order was checked out again with Aurpay', async () => {
      const shop = await shopOn(kind);
      const orderId = `PRICE-${kind}`;
      const old = await shop.checkoutAt(orderId, 'aaio', '10.00');
      const current = await shop.checkoutAt(orderId, 'aurpay', '100.00');
      // The new checkout, at another provider, failed the AAIO payment that asks 10.00.
      expect(await shop.payments.get(old.id)).toMatchObject({
        status: 'failed',
        providerStatus: 'superseded',
      });
      const [delivery] = await shop.aaioSim.pay(old.id);
      expect(delivery?.status).toBe(200);
      expect(await standing(shop, old.id)).toEqual(['anomaly', 'paid_after_failure']);
      // AAIO lets the merchant resend the notification by hand; a refresh asks AAIO again.
      expect((await shop.aaioSim.resendNotification(old.id)).status).toBe(200);
      await shop.payments.refresh(old.id);
      await shop.payments.reconcile({ all: true });
      expect(await standing(shop, old.id)).toEqual(['anomaly', 'paid_after_failure']);
      expect((await shop.payments.get(current.id))?.status).toBe('pending');
      expect(await shop.hookNames()).toEqual([`onFailed:${old.id}`, `onAnomaly:${old.id}`]);
      // An operator's explicit resolution is the one way it becomes paid.
      expect((await shop.payments.acceptAnomaly(old.id)).status).toBe('paid');
      expect((await shop.hookNames()).filter((h) => h.startsWith('onPaid'))).toEqual([`onPaid:${old.id}`]);
    });

    it('asks loadOrder again before paying: a changed price makes the payment order_changed, never paid', async () => {
      const shop = await shopOn(kind);
      const orderId = `EDITED-${kind}`;
      const old = await shop.checkoutAt(orderId, 'aaio', '10.00');
      shop.orders.set(orderId, { amount: '100.00', currency: 'USD' });
      await shop.aaioSim.pay(old.id);
      expect(await standing(shop, old.id)).toEqual(['anomaly', 'order_changed']);
      expect(shop.questions.at(-1)).toEqual({ orderId, reason: 'confirm', paymentId: old.id });
      expect((await shop.aaioSim.resendNotification(old.id)).status).toBe(200);
      expect(await standing(shop, old.id)).toEqual(['anomaly', 'order_changed']);
      expect(await shop.hookNames()).toEqual([`onAnomaly:${old.id}`]);
    });

    it('makes a payment of an order that is gone order_changed, and pays an unchanged one', async () => {
      const shop = await shopOn(kind);
      const gone = await shop.checkoutAt(`GONE-${kind}`, 'aurpay', '10.00');
      const kept = await shop.checkoutAt(`KEPT-${kind}`, 'aurpay', '10.00');
      shop.orders.delete(`GONE-${kind}`);
      await shop.aurpaySim.pay(gone.payUrl!);
      await shop.aurpaySim.pay(kept.payUrl!);
      expect(await standing(shop, gone.id)).toEqual(['anomaly', 'order_changed']);
      expect(await standing(shop, kept.id)).toEqual(['paid', null]);
      const confirms = shop.questions.filter((q) => q.reason === 'confirm').map((q) => q.paymentId);
      expect(confirms).toEqual([gone.id, kept.id]);
      expect(await shop.hookNames()).toEqual([`onAnomaly:${gone.id}`, `onPaid:${kept.id}`]);
    });

    it('voids every live payment of an order with payments.cancel; money paid later is an anomaly', async () => {
      const shop = await shopOn(kind);
      const orderId = `CANCELLED-${kind}`;
      const a = await shop.checkoutAt(orderId, 'aaio', '10.00');
      const b = await shop.checkoutAt(orderId, 'aurpay', '10.00');
      const voided = await shop.payments.cancel(orderId);
      expect(voided.map((p) => [p.id, p.status, p.providerStatus])).toEqual([
        [a.id, 'failed', 'cancelled'],
        [b.id, 'failed', 'cancelled'],
      ]);
      expect(await shop.payments.cancel(orderId)).toEqual([]);
      await shop.aurpaySim.pay(b.payUrl!);
      expect(await standing(shop, b.id)).toEqual(['anomaly', 'paid_after_failure']);
      expect((await shop.hookNames()).sort()).toEqual(
        [`onAnomaly:${b.id}`, `onFailed:${a.id}`, `onFailed:${b.id}`].sort(),
      );
    });
  });
}
