// Aurpay's create_time has no zone and Aurpay documents none: whatever zone the account
// reports in, a genuine order pays; an order older than the payment is still refused.
import { afterEach, describe, expect, it } from 'vitest';
import { closeShops, type Shop, startShop } from './support.js';

afterEach(closeShops);

const HOUR = 3_600_000;

/** The buyer pays on the simulator; Aurpay's POST callback (order-info body, echoed API-Key) is sent. */
async function payAndCallBack(shop: Shop, orderId: string) {
  const payment = await shop.checkout(orderId, '25.00');
  const [callback] = await shop.sim.pay(payment.payUrl!);
  return { payment, callback: callback!, stored: await shop.payments.get(payment.id) };
}

describe('aurpay: the zone of create_time (orderTimeZone)', () => {
  for (const hours of [-12, -5, 0, 8, 14]) {
    it(`pays a genuine order whose create_time is written at UTC${hours < 0 ? '' : '+'}${hours} (default 'any')`, async () => {
      const shop = await startShop({}, { timeZoneOffsetMinutes: hours * 60 });
      const { payment, callback, stored } = await payAndCallBack(shop, `Z${hours + 20}`);
      const order = shop.sim.order(payment.payUrl!)!;
      // The simulator really wrote local wall-clock time, `hours` away from UTC.
      const read = Date.parse(`${String(order.info['create_time'])}Z`);
      expect((read - Date.parse(payment.createdAt)) / HOUR).toBeCloseTo(hours, 1);
      expect(callback).toMatchObject({ method: 'POST', status: 200 });
      expect(stored).toMatchObject({ status: 'paid', providerRef: order.info.order_id });
      expect(await shop.hooks()).toEqual([`onPaid:${payment.id}`]);
    });
  }

  it('still refuses a stale order, two days older than the payment, with 400 and no change', async () => {
    const shop = await startShop({}, { now: () => new Date(Date.now() - 48 * HOUR) });
    const payment = await shop.checkout('Z-stale', '25.00');
    const [callback] = await shop.sim.pay(payment.payUrl!);
    expect(callback).toMatchObject({ status: 400 });
    expect(callback?.response).toContain('older than the payment');
    expect(await shop.payments.get(payment.id)).toEqual(payment);
    expect(await shop.hooks()).toEqual([]);
  });

  it('refuses an order that reads 13 h older than the payment: even at UTC−12 it would be an hour too old', async () => {
    const shop = await startShop({}, { now: () => new Date(Date.now() - 13 * HOUR) });
    const payment = await shop.checkout('Z-13', '25.00');
    const [callback] = await shop.sim.pay(payment.payUrl!);
    expect(callback?.status).toBe(400);
    expect(await shop.payments.get(payment.id)).toEqual(payment);
  });

  it("with a fixed orderTimeZone ('+08:00') an order in that zone pays and one 13 h off is refused", async () => {
    const beijing = await startShop({ orderTimeZone: '+08:00' }, { timeZoneOffsetMinutes: 480 });
    expect((await payAndCallBack(beijing, 'Z-cn')).stored?.status).toBe('paid');

    const newYork = await startShop({ orderTimeZone: '+08:00' }, { timeZoneOffsetMinutes: -300 });
    const { payment, callback, stored } = await payAndCallBack(newYork, 'Z-us');
    expect(callback.status).toBe(400);
    expect(stored).toEqual(payment);
  });

  it("orderTimeZone: 'UTC' reads create_time as UTC, so an order an hour older than the payment is refused", async () => {
    const shop = await startShop(
      { orderTimeZone: 'UTC', orderClockSlackMs: 0 },
      { now: () => new Date(Date.now() - HOUR) },
    );
    const { payment, callback, stored } = await payAndCallBack(shop, 'Z-utc');
    expect(callback.status).toBe(400);
    expect(stored).toEqual(payment);
  });

  it('takes a create_time that names its own zone at its word', async () => {
    const shop = await startShop({ orderTimeZone: 'UTC', orderClockSlackMs: 0 });
    const payment = await shop.checkout('Z-own', '25.00');
    const order = shop.sim.order(payment.payUrl!)!;
    // Written in UTC−05:00 and saying so: the same instant as the payment.
    const local = new Date(Date.parse(payment.createdAt) - 5 * HOUR + 1_000).toISOString().slice(0, 19);
    order.info['create_time'] = `${local}-05:00`;
    await shop.sim.pay(payment.payUrl!);
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
  });
});
