// Issue 14, item 4: two payments of one order (two tabs, two providers) confirmed at the
// same moment: the store lets one become paid; the other becomes the anomaly paid_twice,
// with its onAnomaly. Genuine callbacks of both providers, sent at once over real HTTP, on
// every store.
import { afterAll, describe, expect, it } from 'vitest';
import { send } from '../reliability/support/shop.js';
import { type LeftBehindShop, removeStores, STORE_KINDS, startLeftBehindShop } from './support.js';

const COPIES = 10;
const shops: LeftBehindShop[] = [];
afterAll(async () => {
  for (const shop of shops) await shop.close();
  await removeStores();
});

for (const kind of STORE_KINDS) {
  describe(`one paid payment per order (${kind})`, () => {
    it(`pays one of an order's Aurpay and AAIO payments when both are confirmed at once, ${COPIES} copies each`, async () => {
      const shop = await startLeftBehindShop(kind);
      shops.push(shop);
      const orderId = `TWO-TABS-${kind}`;
      const viaAurpay = await shop.checkoutAt(orderId, 'aurpay', '10.00');
      const viaAaio = await shop.checkoutAt(orderId, 'aaio', '10.00');
      shop.aurpaySim.faults.callbacks = 'drop';
      const [aurpayCallback] = await shop.aurpaySim.pay(viaAurpay.payUrl!);
      await shop.aaioSim.pay(viaAaio.id, { notify: 'never' });
      const aaioBody = new URLSearchParams(shop.aaioSim.notificationFields(viaAaio.id)).toString();
      const statuses = (
        await Promise.all([
          shop.aurpaySim.sendCallback(aurpayCallback!, { copies: COPIES }),
          ...Array.from({ length: COPIES }, () =>
            send(`${shop.base}/pay/callback/aaio`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: aaioBody,
            }).then((r) => [r.status]),
          ),
        ])
      ).flat();
      // Both providers are told the money was taken: it was; a person decides about the second.
      expect(statuses.filter((s) => s >= 200 && s < 300)).toHaveLength(2 * COPIES);
      const stored = await shop.payments.findByOrder(orderId);
      const paid = stored.filter((p) => p.status === 'paid');
      const twice = stored.filter((p) => p.status === 'anomaly' && p.anomaly === 'paid_twice');
      expect([paid.length, twice.length]).toEqual([1, 1]);
      expect((await shop.hookNames()).sort()).toEqual(
        [`onAnomaly:${twice[0]!.id}`, `onPaid:${paid[0]!.id}`].sort(),
      );
    });
  });
}
