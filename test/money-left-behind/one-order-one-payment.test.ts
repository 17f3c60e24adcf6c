// Issue 14, items 1 and 9: one provider order pays one payment, whatever path bound it
// (a callback, a status check) and whatever event or URL it comes back on. The replay the
// issue describes: a genuine Aurpay order that paid payment A, posted to payment B's
// timeout callback URL, must not pay B. Over real HTTP, on every store.
import { afterAll, describe, expect, it } from 'vitest';
import {
  type LeftBehindShop,
  removeStores,
  resignedFor,
  STORE_KINDS,
  startLeftBehindShop,
  timeoutUrlOf,
} from './support.js';

const shops: LeftBehindShop[] = [];
afterAll(async () => {
  for (const shop of shops) await shop.close();
  await removeStores();
});

async function aurpayShop(kind: (typeof STORE_KINDS)[number]): Promise<LeftBehindShop> {
  const shop = await startLeftBehindShop(kind, { providers: ['aurpay'] });
  shops.push(shop);
  return shop;
}

for (const kind of STORE_KINDS) {
  describe(`one provider order, one payment (${kind})`, () => {
    it('refuses an Aurpay order that paid one payment when it is posted to another payment’s timeout URL', async () => {
      const shop = await aurpayShop(kind);
      const a = await shop.checkoutAt(`R1-a-${kind}`, 'aurpay', '10.00');
      const b = await shop.checkoutAt(`R1-b-${kind}`, 'aurpay', '10.00');
      const [paid] = await shop.aurpaySim.pay(a.payUrl!);
      expect(paid?.status).toBe(200);
      const replay = resignedFor(timeoutUrlOf(shop, b));
      const statuses = await shop.aurpaySim.sendCallback(paid!, { tamper: replay });
      expect(statuses).toEqual([409]);
      expect(shop.aurpaySim.callbacks.at(-1)?.response).toContain('provider_ref_taken');
      expect(await shop.payments.get(b.id)).toEqual(b);
      // The same order on the first payment's own URLs is a repeat, answered 2xx.
      const again = resignedFor(timeoutUrlOf(shop, a));
      expect(await shop.aurpaySim.sendCallback(paid!, { tamper: again })).toEqual([200]);
      expect(await shop.hookNames()).toEqual([`onPaid:${a.id}`]);
    });

    it('refuses the replay just the same when a status check, not a callback, settled the first payment', async () => {
      const shop = await aurpayShop(kind);
      // pay-info checkouts know their Aurpay order at once, so `refresh` can settle them.
      const a = await shop.checkoutAt(`R2-a-${kind}`, 'aurpay', '10.00', { method: 'ETH:USDT-ERC20' });
      const b = await shop.checkoutAt(`R2-b-${kind}`, 'aurpay', '10.00');
      shop.aurpaySim.faults.callbacks = 'drop';
      const [lost] = await shop.aurpaySim.pay(a.payUrl!);
      expect((await shop.payments.refresh(a.id)).status).toBe('paid');
      shop.aurpaySim.faults.callbacks = 'send';
      for (const url of [timeoutUrlOf(shop, b), shop.aurpaySim.order(b.payUrl!)!.callbackUrl!]) {
        expect(await shop.aurpaySim.sendCallback(lost!, { tamper: resignedFor(url) })).toEqual([409]);
      }
      expect(await shop.payments.get(b.id)).toEqual(b);
      expect(await shop.hookNames()).toEqual([`onPaid:${a.id}`]);
    });

    it('refuses any event naming an order bound to another payment, even one that moves no status', async () => {
      const shop = await aurpayShop(kind);
      const a = await shop.checkoutAt(`R3-a-${kind}`, 'aurpay', '10.00', { method: 'ETH:USDT-ERC20' });
      const b = await shop.checkoutAt(`R3-b-${kind}`, 'aurpay', '10.00');
      await shop.aurpaySim.pay(a.payUrl!);
      // Payment B learns (wrongly) of A's order through an event that moves no status.
      const named = { status: 'pending', providerRef: a.providerRef } as const;
      await expect(shop.payments.applyEvent(b.id, named)).rejects.toMatchObject({
        code: 'provider_ref_taken',
        status: 409,
      });
      expect(await shop.payments.get(b.id)).toEqual(b);
      expect((await shop.payments.get(a.id))?.status).toBe('paid');
    });
  });
}
