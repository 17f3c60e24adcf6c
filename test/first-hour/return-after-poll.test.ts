// Issue 22, item 10: a buyer who comes back from AAIO's pay form just after the shop's
// waiting page polled the status landed on the pending page, because the poll had used up
// the return's provider check. Each route now has its own: here AAIO's notification is lost
// (AAIO never resends it), and the return alone must find the payment paid.
import { afterEach, describe, expect, it } from 'vitest';
import { type FirstHourShop, startFirstHourShop } from './support/shop.js';

let shop: FirstHourShop | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

describe('the return after a status poll', () => {
  it('still asks the provider, and the buyer lands on the thanks page', async () => {
    // A clock that stands still: the return comes within any throttle of the poll.
    const frozen = new Date();
    shop = await startFirstHourShop({ payments: { now: () => frozen } });
    shop.aaioSim.settings.notify = 'never';
    const checkout = await fetch(`${shop.url}/pay/checkout/42?provider=aaio`, { redirect: 'manual' });
    expect(checkout.status).toBe(303);
    const [payment] = await shop.payments.findByOrder('42');
    const id = payment?.id ?? '';

    const poll = await fetch(`${shop.url}/pay/status/${id}`);
    expect(((await poll.json()) as { status: string }).status).toBe('pending');
    const asked = shop.aaioSim.apiCalls.filter((call) => call.path === '/api/info-pay').length;

    await shop.aaioSim.pay(id); // the buyer pays; no notification arrives
    const back = await fetch(`${shop.url}/pay/return?order_id=${id}&amount=100.00&currency=RUB`, {
      redirect: 'manual',
    });
    expect([back.status, back.headers.get('location')]).toEqual([303, `${shop.url}/orders/42/thanks`]);
    expect(shop.aaioSim.apiCalls.filter((call) => call.path === '/api/info-pay').length).toBe(asked + 1);
    expect((await shop.payments.get(id))?.status).toBe('paid');
  });
});
