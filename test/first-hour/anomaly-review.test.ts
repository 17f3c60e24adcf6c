// Issue 22, item 12: with the README's first loadOrder, an order whose first payment was
// short (AAIO's "Pay less": an anomaly) could be checked out and paid again in full. The
// README's pattern now keeps a mark from onAnomaly and refuses a new checkout until someone
// has looked: the buyer lands on the order page with the code, and no second payment exists.
import { afterEach, describe, expect, it } from 'vitest';
import { BROWSER_ACCEPT, type FirstHourShop, startFirstHourShop } from './support/shop.js';

let shop: FirstHourShop | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

async function payShort(current: FirstHourShop): Promise<string> {
  const { payment } = await current.payments.checkout({ orderId: '42', provider: 'aaio' });
  await current.aaioSim.pay(payment.id, { amount: '50.00' });
  expect(await current.payments.get(payment.id)).toMatchObject({ status: 'anomaly', anomaly: 'underpaid' });
  await current.payments.deliverHooks();
  return payment.id;
}

const checkoutAgain = (current: FirstHourShop) =>
  fetch(`${current.url}/pay/checkout/42?provider=aaio`, {
    headers: { accept: BROWSER_ACCEPT },
    redirect: 'manual',
  });

describe('an order whose first payment is an anomaly', () => {
  it("with the README's mark from onAnomaly, cannot be checked out again until someone has looked", async () => {
    const flagged = new Set<string>();
    shop = await startFirstHourShop({
      payments: {
        hooks: { onAnomaly: (payment) => void flagged.add(payment.orderId) },
        loadOrder: (orderId, { reason }) =>
          reason === 'checkout' && flagged.has(orderId) ? null : { amount: '100.00', currency: 'RUB' },
      },
    });
    await payShort(shop);
    expect(flagged.has('42')).toBe(true);
    const again = await checkoutAgain(shop);
    expect(again.headers.get('location')).toBe(`${shop.url}/orders/42?paymount_error=order_not_found`);
    expect(await shop.payments.findByOrder('42')).toHaveLength(1);
  });

  it('without it, gets a second payment for the full amount: what the README warns of', async () => {
    shop = await startFirstHourShop();
    const first = await payShort(shop);
    const again = await checkoutAgain(shop);
    expect(again.headers.get('location')).toContain(shop.aaioSim.url);
    const payments = await shop.payments.findByOrder('42');
    expect(payments.map((p) => [p.id === first, p.status])).toEqual([
      [true, 'anomaly'],
      [false, 'pending'],
    ]);
  });
});
