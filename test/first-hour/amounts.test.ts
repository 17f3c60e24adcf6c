// Issue 22, item 2: most shops keep an order's total as a JS number, and the README's own
// loadOrder returns `order.total`. A whole number is whole units, an exact fraction is taken,
// and only an inexact float is refused, with its value and the fix.
import { afterEach, describe, expect, it } from 'vitest';
import { captureConsole } from './support/console.js';
import { type FirstHourShop, startFirstHourShop } from './support/shop.js';

let shop: FirstHourShop | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

const totals: Record<string, number> = { '499': 499, '1050': 10.5, float: 0.1 + 0.2 };

describe('an order total that is a JS number', () => {
  it('amount: 499 pays 499.00, and 10.5 pays 10.50, through AAIO', async () => {
    shop = await startFirstHourShop({
      payments: { loadOrder: (orderId) => ({ amount: totals[orderId] ?? 0, currency: 'RUB' }) },
    });
    for (const [orderId, expected] of [
      ['499', '499.00'],
      ['1050', '10.50'],
    ] as const) {
      const answer = await fetch(`${shop.url}/pay/checkout/${orderId}?provider=aaio`, { redirect: 'manual' });
      expect(answer.status).toBe(303);
      const [payment] = await shop.payments.findByOrder(orderId);
      expect(payment?.amount).toBe(expected);
      expect(shop.aaioSim.orders.get(payment?.id ?? '')?.amount).toBe(expected);
      await shop.aaioSim.pay(payment?.id ?? '');
      expect(await shop.payments.get(payment?.id ?? '')).toMatchObject({ status: 'paid', amount: expected });
    }
  });

  it('0.1 + 0.2 is refused before any payment exists, and the log shows the value and the fix', async () => {
    shop = await startFirstHourShop({
      payments: { loadOrder: (orderId) => ({ amount: totals[orderId] ?? 0, currency: 'RUB' }) },
    });
    const output = captureConsole();
    try {
      const answer = await fetch(`${shop.url}/pay/checkout/float?provider=aaio&format=json`);
      expect(answer.status).toBe(500);
      expect(await shop.payments.findByOrder('float')).toEqual([]);
      const line = output.lines.find((l) => l.includes('0.30000000000000004 (a JS number)'));
      expect(line).toContain('"0.30"');
      expect(line).toContain('amountMinor');
    } finally {
      output.restore();
    }
  });
});
