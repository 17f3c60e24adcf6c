import { afterEach, describe, expect, it } from 'vitest';

import { closeShops, startShop } from './support.js';

afterEach(closeShops);

describe('AAIO API trouble at checkout', () => {
  const cases = [
    ['down', { mode: 'down' }, 503, 'provider_unavailable'],
    ['slow', { mode: 'slow', delayMs: 3_000 }, 504, 'provider_timeout'],
    ['garbage', { mode: 'garbage' }, 502, 'provider_error'],
    ['rate limited', { mode: 'rate-limit', retryAfterSeconds: 60 }, 503, 'provider_rate_limited'],
  ] as const;
  for (const [name, fault, status, code] of cases) {
    it(`${name} → ${status} ${code}, nothing lost, a retry works`, async () => {
      const shop = await startShop({ provider: { retries: 1, timeoutMs: 400 } });
      shop.orders.set('t-1', { amount: '60.00', currency: 'RUB' });
      shop.sim.setFault(fault);
      const failed = await fetch(`${shop.publicUrl}/checkout/t-1?provider=aaio`, {
        headers: { accept: 'application/json' },
      });
      expect(failed.status).toBe(status);
      expect(failed.headers.get('content-type')).toContain('application/json');
      const body = (await failed.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message).toMatch(/AAIO/);
      expect(JSON.stringify(body)).not.toContain(shop.sim.merchant.secret1);
      const [kept] = await shop.payments.findByOrder('t-1');
      expect(kept?.status).toBe('created');
      shop.sim.setFault(null);
      const retried = await shop.checkout('t-1', '60.00');
      expect(retried.payment.id).toBe(kept?.id);
      expect(await shop.payments.findByOrder('t-1')).toHaveLength(1);
    });
  }

  it('a 429 with a short Retry-After is waited out and the checkout succeeds', async () => {
    const shop = await startShop();
    shop.sim.setFault({ mode: 'rate-limit', retryAfterSeconds: 0, times: 1 });
    const { payUrl } = await shop.checkout('t-2', '3.00');
    expect(shop.sim.orderForPayUrl(payUrl)).not.toBeNull();
  });

  it('refuses a currency AAIO does not take before creating anything', async () => {
    const shop = await startShop();
    shop.orders.set('t-3', { amount: '3.00', currency: 'GBP' });
    const res = await fetch(`${shop.publicUrl}/checkout/t-3?provider=aaio`, {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await shop.payments.findByOrder('t-3')).toEqual([]);
  });
});
