// 200 copies of one genuine callback, all at once, on every store and for every provider:
// the payment is paid once, onPaid runs once, and every copy gets a 2xx (so no provider
// keeps retrying).
import { afterAll, describe, expect, it } from 'vitest';
import { figure } from '../support/figures.js';
import { type ProviderName, type Shop, send, startShop } from '../support/shop.js';
import { freshStore, STORE_KINDS } from '../support/stores.js';

const COPIES = 200;

/** Pays the payment at the simulator without telling paymount, then sends the notification COPIES times at once. */
async function storm(
  shop: Shop,
  provider: ProviderName,
  orderId: string,
): Promise<{ id: string; statuses: number[] }> {
  const payment = await shop.checkout(orderId, provider);
  if (provider === 'aurpay') {
    shop.aurpaySim.faults.callbacks = 'drop';
    const [callback] = await shop.aurpaySim.pay(payment.payUrl!);
    return { id: payment.id, statuses: await shop.aurpaySim.sendCallback(callback!, { copies: COPIES }) };
  }
  await shop.aaioSim.pay(payment.id, { notify: 'never' });
  const body = new URLSearchParams(shop.aaioSim.notificationFields(payment.id)).toString();
  const statuses = await Promise.all(
    Array.from({ length: COPIES }, () =>
      send(`${shop.base}/pay/callback/aaio`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }).then((r) => r.status),
    ),
  );
  return { id: payment.id, statuses };
}

describe('duplicate callbacks', () => {
  const shops: Shop[] = [];
  afterAll(async () => {
    for (const shop of shops) await shop.close();
  });

  for (const kind of STORE_KINDS) {
    for (const provider of ['aurpay', 'aaio'] as const) {
      it(`${COPIES} concurrent copies of one ${provider} callback on ${kind}: one onPaid, every reply 2xx`, async () => {
        const shop = await startShop({ store: await freshStore(kind), providers: [provider] });
        shops.push(shop);
        const { id, statuses } = await storm(shop, provider, `DUP-${provider}-${kind}`);
        const calls = await shop.hooks();
        const onPaid = calls.filter((c) => c.hook === 'onPaid' && c.paymentId === id).length;
        const ok = statuses.filter((s) => s >= 200 && s < 300).length;
        const jobs = await shop.payments.listHookJobs({ paymentId: id });
        await figure(
          {
            area: 'duplicates',
            scenario: `${provider} callback x${COPIES} concurrent, ${kind}`,
            sent: statuses.length,
            result: `onPaid=${onPaid} 2xx=${ok} other=${statuses.length - ok} hookJobs=${jobs.length}`,
          },
          async () => {
            expect(statuses).toHaveLength(COPIES);
            expect(ok).toBe(COPIES);
            expect(onPaid).toBe(1);
            expect(calls).toHaveLength(1);
            expect(jobs.map((j) => [j.hook, j.state])).toEqual([['onPaid', 'done']]);
            expect((await shop.payments.get(id))?.status).toBe('paid');
          },
        );
      });
    }
  }
});
