import { afterEach, describe, expect, it } from 'vitest';

import { closeShops, docSign, startShop } from './support.js';

afterEach(closeShops);

describe('AAIO signatures (test vectors from the documented formula)', () => {
  it('signs the legacy pay link with secret #1 over the exact amount string it sends', async () => {
    const shop = await startShop({ provider: { checkoutMode: 'pay_url', lang: 'en' } });
    const { payment, payUrl } = await shop.checkout('vec-1', '100', 'RUB');
    const url = new URL(payUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${shop.sim.url}/merchant/pay`);
    const q = url.searchParams;
    expect(q.get('amount')).toBe('100.00');
    expect(q.get('order_id')).toBe(payment.id);
    expect(q.get('lang')).toBe('en');
    expect(q.get('desc')).toBe('Order vec-1');
    const { merchantId, secret1 } = shop.sim.merchant;
    expect(q.get('sign')).toBe(docSign(merchantId, '100.00', 'RUB', secret1, payment.id));
    // The simulator (checking the docs' formula) accepts the link and opens its pay form.
    const opened = await fetch(payUrl);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('100.00 RUB');
  });

  it('matches a fixed vector: sha256("merchant:10.54:RUB:secret:order")', async () => {
    const { creationSign, notificationSign } = await import('@paymount/aaio');
    const fields = {
      merchantId: 'f56b279c-d250-11ed-afa1-0242ac120002',
      amount: '10.54',
      currency: 'RUB',
      orderId: 'my_id_123',
    };
    const expected = docSign(fields.merchantId, '10.54', 'RUB', 's3cret', 'my_id_123');
    expect(creationSign(fields, 's3cret')).toBe(expected);
    expect(notificationSign(fields, 's3cret')).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });
});
