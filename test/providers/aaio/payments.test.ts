import { afterEach, describe, expect, it } from 'vitest';

import { closeShops, docSign, pressButton, returnTo, startShop } from './support.js';

afterEach(closeShops);

describe('AAIO payments over real HTTP', () => {
  it('pays: Pay on the form → signed notification → 200 OK → paid, onPaid once, buyer lands on thanks', async () => {
    const shop = await startShop();
    const { payment, payUrl } = await shop.checkout('o-paid', '150.00');
    const order = shop.sim.orders.get(payment.id)!;
    expect(order.amount).toBe('150.00');
    expect(order.desc).toBe('Order o-paid');
    const location = await pressButton(payUrl, 'pay');
    expect(shop.sim.notifications).toHaveLength(1);
    expect(shop.sim.notifications[0]).toMatchObject({ status: 200, body: 'OK' });
    const paid = await shop.payments.get(payment.id);
    expect(paid).toMatchObject({
      status: 'paid',
      providerStatus: 'success',
      providerRef: order.invoiceId,
      paidCurrency: 'RUB',
    });
    expect(await shop.hooks()).toEqual([{ hook: 'onPaid', paymentId: payment.id, status: 'paid' }]);
    const redirect = new URL(location);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(`${shop.publicUrl}/return`);
    expect(redirect.searchParams.get('order_id')).toBe(payment.id);
    expect(await returnTo(location)).toBe(`${shop.base}/shop/o-paid/thanks`);
  });

  it('treats hold as paid and records providerStatus hold', async () => {
    const shop = await startShop();
    const { payment, payUrl } = await shop.checkout('o-hold', '99.90');
    await pressButton(payUrl, 'hold');
    expect(shop.sim.notifications[0]?.fields['status']).toBe('hold');
    expect(await shop.payments.get(payment.id)).toMatchObject({ status: 'paid', providerStatus: 'hold' });
    expect((await shop.hooks()).map((c) => c.hook)).toEqual(['onPaid']);
  });

  it('expires: no notification, the buyer return asks info-pay and lands on the failure page', async () => {
    const shop = await startShop();
    const { payment, payUrl } = await shop.checkout('o-expire', '10.00');
    const location = await pressButton(payUrl, 'expire');
    expect(shop.sim.notifications).toHaveLength(0);
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
    expect(await returnTo(location)).toBe(`${shop.base}/shop/o-expire/failed`);
    expect(await shop.payments.get(payment.id)).toMatchObject({
      status: 'expired',
      providerStatus: 'expired',
    });
    expect((await shop.hooks()).map((c) => c.hook)).toEqual(['onExpired']);
  });

  it('catches a lost notification with payments.reconcile() via info-pay', async () => {
    const shop = await startShop();
    const { payment } = await shop.checkout('o-lost', '42.00');
    await shop.sim.pay(payment.id, { notify: 'never' });
    expect(shop.sim.notifications).toHaveLength(0);
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
    expect(await shop.payments.reconcile()).toMatchObject({ checked: 1, changed: 1, errors: 0 });
    expect(await shop.payments.get(payment.id)).toMatchObject({ status: 'paid', paidAmount: '42' });
    expect((await shop.hooks()).map((c) => c.hook)).toEqual(['onPaid']);
  });

  it('answers a duplicate notification OK and calls onPaid once (sent twice, then resent by hand)', async () => {
    const shop = await startShop({ sim: { notify: 'twice' } });
    const { payment } = await shop.checkout('o-dup', '25.00');
    await shop.sim.pay(payment.id);
    const resent = await shop.sim.resendNotification(payment.id);
    expect(shop.sim.notifications.map((n) => [n.status, n.body])).toEqual([
      [200, 'OK'],
      [200, 'OK'],
      [200, 'OK'],
    ]);
    expect(resent.status).toBe(200);
    expect(await shop.hooks()).toEqual([{ hook: 'onPaid', paymentId: payment.id, status: 'paid' }]);
  });

  it('a late notification after the buyer returned still pays once', async () => {
    const shop = await startShop({ sim: { notifyDelayMs: 50 } });
    const { payment, payUrl } = await shop.checkout('o-late', '12.00');
    const location = await pressButton(payUrl, 'pay');
    // The return asks info-pay, which already knows: the redirect itself is not trusted, AAIO's API is.
    expect(await returnTo(location)).toBe(`${shop.base}/shop/o-late/thanks`);
    await shop.sim.idle();
    expect(shop.sim.notifications.map((n) => n.status)).toEqual([200]);
    expect((await shop.hooks()).map((c) => c.hook)).toEqual(['onPaid']);
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
  });

  it('turns a genuinely signed underpayment into an anomaly', async () => {
    const shop = await startShop();
    const { payment, payUrl } = await shop.checkout('o-less', '30.00');
    await pressButton(payUrl, 'less');
    expect(await shop.payments.get(payment.id)).toMatchObject({ status: 'anomaly', anomaly: 'underpaid' });
    expect((await shop.hooks()).map((c) => c.hook)).toEqual(['onAnomaly']);
  });

  it('accepts multipart notifications', async () => {
    const shop = await startShop({ sim: { notificationEncoding: 'multipart' } });
    const { payment } = await shop.checkout('o-multi', '77.00');
    const [delivery] = await shop.sim.pay(payment.id);
    expect(delivery).toMatchObject({ status: 200, body: 'OK' });
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
  });

  it('passes desc, email, lang, method and us_* fields to AAIO, which echoes us_* back', async () => {
    const shop = await startShop();
    const { payment } = await shop.checkout('o-fields', '11.00', 'RUB', {
      description: 'Two mugs',
      email: 'buyer@example.test',
      lang: 'ru',
      method: 'sbp',
      metadata: { us_key: 'abc-1', us_user: '42', internal: 'not for AAIO' },
    });
    const order = shop.sim.orders.get(payment.id)!;
    expect(order).toMatchObject({ desc: 'Two mugs', email: 'buyer@example.test', lang: 'ru', method: 'sbp' });
    expect(order.usVars).toEqual({ us_key: 'abc-1', us_user: '42' });
    const [delivery] = await shop.sim.pay(payment.id);
    expect(delivery?.fields['us_key']).toBe('abc-1');
    expect(delivery?.status).toBe(200);
  });

  it('accepts a notification a body parser in front of paymount already parsed', async () => {
    const shop = await startShop();
    const { payment } = await shop.checkout('o-parsed', '9.00');
    await shop.sim.pay(payment.id, { notify: 'never' });
    const reply = await shop.payments.handle({
      method: 'POST',
      path: '/callback/aaio',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: shop.sim.notificationFields(payment.id),
      ip: '127.0.0.1',
    });
    expect(reply).toMatchObject({ status: 200, body: 'OK' });
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
  });

  it('an API key without the info-pay permission fails the notification with a 5xx that names the key', async () => {
    const shop = await startShop({ sim: { apiKeyPermissions: ['balance'] } });
    const { payment } = await shop.checkout('o-key', '9.00');
    const [delivery] = await shop.sim.pay(payment.id);
    expect(delivery?.status).toBe(502);
    expect(delivery?.body).toMatch(/API key/);
    expect(delivery?.body).not.toContain(shop.sim.merchant.apiKey);
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
    expect(await shop.payments.reconcile()).toMatchObject({ checked: 1, changed: 0, errors: 1 });
  });

  it('keeps a never-opened legacy pay link pending until orderLifetimeMs, then expires it', async () => {
    let clock = Date.parse('2026-03-01T10:00:00Z');
    const shop = await startShop({
      provider: { checkoutMode: 'pay_url', orderLifetimeMs: 3_600_000 },
      now: () => new Date(clock),
    });
    const { payment } = await shop.checkout('o-never', '5.00');
    expect(shop.sim.orders.size).toBe(0);
    expect(await shop.payments.reconcile()).toMatchObject({ checked: 1, changed: 0, errors: 0 });
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
    clock += 3_600_001;
    expect(await shop.payments.reconcile()).toMatchObject({ checked: 1, changed: 1, errors: 0 });
    expect(await shop.payments.get(payment.id)).toMatchObject({ status: 'expired' });
    expect((await shop.hooks()).map((c) => c.hook)).toEqual(['onExpired']);
  });

  it('a correctly signed notification in another currency becomes an anomaly, not paid', async () => {
    const shop = await startShop({ provider: { confirmWithInfoPay: false } });
    const { payment } = await shop.checkout('o-currency', '100.00');
    const { merchantId, secret2 } = shop.sim.merchant;
    const reply = await shop.notify({
      status: 'success',
      merchant_id: merchantId,
      invoice_id: '9b0f3c1e-1111-4c1e-9a53-3b1f2f0c9e11',
      order_id: payment.id,
      amount: '100.00',
      currency: 'USD',
      sign: docSign(merchantId, '100.00', 'USD', secret2, payment.id),
    });
    expect(reply).toEqual({ status: 200, text: 'OK' });
    expect(await shop.payments.get(payment.id)).toMatchObject({
      status: 'anomaly',
      anomaly: 'wrong_currency',
    });
    expect((await shop.hooks()).map((c) => c.hook)).toEqual(['onAnomaly']);
  });

  it('does not take the unsigned Success redirect as proof of payment', async () => {
    const shop = await startShop();
    const { payment } = await shop.checkout('o-redirect', '5.00');
    const forged = `${shop.publicUrl}/return?order_id=${payment.id}&amount=5.00&currency=RUB`;
    expect(await returnTo(forged)).toBe(`${shop.base}/shop/o-redirect/wait`);
    expect((await shop.payments.get(payment.id))?.status).toBe('pending');
    expect(await shop.hooks()).toEqual([]);
  });
});
