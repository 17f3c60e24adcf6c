// AAIO's methods have limits per currency (POST /api/methods-pay). paymount checks the
// amount before it creates anything, so the buyer hears "out of range" instead of AAIO's
// form refusing them after the redirect.
import { afterEach, describe, expect, it } from 'vitest';
import { closeShops, type Shop, startShop } from './support.js';

afterEach(closeShops);

interface Answer {
  readonly status: number;
  readonly body: { error?: { code: string; message: string }; paymentId?: string };
}

async function checkout(
  shop: Shop,
  orderId: string,
  amount: string,
  extra: { method?: string; currency?: string } = {},
): Promise<Answer> {
  shop.orders.set(orderId, { amount, currency: extra.currency ?? 'RUB', ...extra });
  const res = await fetch(`${shop.publicUrl}/checkout/${orderId}?provider=aaio`, {
    headers: { accept: 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

const calls = (shop: Shop, path: string) => shop.sim.apiCalls.filter((c) => c.path === path).length;

describe('AAIO: method limits (methods-pay) before the redirect', () => {
  for (const [amount, side] of [
    ['9.99', 'below the minimum'],
    ['100000.01', 'above the maximum'],
  ] as const) {
    it(`refuses ${amount} RUB with the card method (${side}): 422 amount_out_of_range naming the limits, nothing created`, async () => {
      const shop = await startShop();
      const answer = await checkout(shop, `m-${side.length}`, amount, { method: 'cards_ru' });
      expect(answer.status).toBe(422);
      expect(answer.body.error?.code).toBe('amount_out_of_range');
      expect(answer.body.error?.message).toContain('10–100000 RUB');
      expect(answer.body.error?.message).toContain(`${amount} RUB`);
      expect(await shop.payments.findByOrder(`m-${side.length}`)).toEqual([]);
      expect(calls(shop, '/merchant/get_pay_url')).toBe(0);
      expect(shop.sim.orders.size).toBe(0);
    });
  }

  it('takes the limits themselves (10.00 and 100000.00) and passes the method on to AAIO', async () => {
    const shop = await startShop();
    for (const amount of ['10.00', '100000.00']) {
      const { payment } = await shop.checkout(`m-edge-${amount}`, amount, 'RUB', { method: 'cards_ru' });
      expect(shop.sim.orders.get(payment.id)).toMatchObject({ amount, method: 'cards_ru' });
    }
    // One methods-pay read served both checkouts.
    expect(calls(shop, '/api/methods-pay')).toBe(1);
  });

  it('checks the provider-wide default method (option method) for orders that name none', async () => {
    const shop = await startShop({ provider: { method: 'tether_trc20' } });
    const answer = await checkout(shop, 'm-default', '50.00');
    expect(answer.status).toBe(422);
    expect(answer.body.error?.message).toMatch(/USDT TRC-20 \(tether_trc20\) takes 100–1000000 RUB/);
    const { payment } = await shop.checkout('m-default-ok', '150.00');
    expect(shop.sim.orders.get(payment.id)?.method).toBe('tether_trc20');
  });

  it('asks nothing when neither the order nor the options name a method', async () => {
    const shop = await startShop();
    await shop.checkout('m-none', '5.00');
    expect(calls(shop, '/api/methods-pay')).toBe(0);
  });

  it('reads the list again once methodLimitsTtlMs has passed', async () => {
    let clock = Date.parse('2026-03-01T10:00:00Z');
    const shop = await startShop({ provider: { methodLimitsTtlMs: 60_000 }, now: () => new Date(clock) });
    await shop.checkout('m-ttl-1', '20.00', 'RUB', { method: 'sbp' });
    clock += 59_000;
    await shop.checkout('m-ttl-2', '20.00', 'RUB', { method: 'sbp' });
    expect(calls(shop, '/api/methods-pay')).toBe(1);
    clock += 2_000;
    await shop.checkout('m-ttl-3', '20.00', 'RUB', { method: 'sbp' });
    expect(calls(shop, '/api/methods-pay')).toBe(2);
  });

  it('with methodLimits: false asks nothing, and AAIO itself refuses the amount (502 provider_error)', async () => {
    const shop = await startShop({ provider: { methodLimits: false } });
    const answer = await checkout(shop, 'm-off', '5.00', { method: 'cards_ru' });
    expect(answer.status).toBe(502);
    expect(answer.body.error?.code).toBe('provider_error');
    expect(calls(shop, '/api/methods-pay')).toBe(0);
  });

  it('never refuses on limits it could not read: a key without the methods-pay permission, logged', async () => {
    const warnings: string[] = [];
    const logger = {
      info: () => {},
      error: () => {},
      debug: () => {},
      warn: (_: unknown, message?: string) => void warnings.push(String(message)),
    };
    const shop = await startShop({
      sim: { apiKeyPermissions: ['info-pay'] },
      payments: { logger },
    });
    const { payment } = await shop.checkout('m-noperm', '20.00', 'RUB', { method: 'sbp' });
    expect(payment.status).toBe('pending');
    expect(warnings.some((w) => w.includes('methods-pay'))).toBe(true);
  });

  it('goes ahead for a method the list does not name, and for a currency it gives no limits in', async () => {
    const shop = await startShop({
      sim: { methods: { sbp: { name: 'SBP', min: { RUB: 10 }, max: { RUB: 300_000 } } } },
    });
    await shop.checkout('m-unlisted', '5.00', 'RUB', { method: 'qiwi' });
    await shop.checkout('m-usd', '5.00', 'USD', { method: 'sbp' });
    expect(shop.sim.orders.size).toBe(2);
  });

  it('reads limits given as strings and per currency', async () => {
    const shop = await startShop({
      sim: { methods: { card: { name: 'Card', min: { RUB: '150.50', USD: '2' }, max: { RUB: '500' } } } },
    });
    expect((await checkout(shop, 'm-s1', '150.49', { method: 'card' })).status).toBe(422);
    expect((await checkout(shop, 'm-s2', '1.99', { method: 'card', currency: 'USD' })).status).toBe(422);
    expect((await checkout(shop, 'm-s3', '150.50', { method: 'card' })).status).toBe(200);
  });
});
