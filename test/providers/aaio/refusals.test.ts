import { afterEach, describe, expect, it } from 'vitest';

import { closeShops, docSign, expectUntouched, type Shop, startShop } from './support.js';

afterEach(closeShops);

describe('AAIO refuses bad notifications, changes nothing and calls no hook', () => {
  async function paidButUnnotified(shop: Shop, orderId: string, amount = '50.00') {
    const { payment } = await shop.checkout(orderId, amount);
    await shop.sim.pay(payment.id, { notify: 'never' });
    const before = (await shop.payments.get(payment.id))!;
    return { before, fields: shop.sim.notificationFields(payment.id) };
  }

  it('wrong sign → 401', async () => {
    const shop = await startShop();
    const { before, fields } = await paidButUnnotified(shop, 'r-sign');
    const forged = docSign(fields['merchant_id']!, fields['amount']!, 'RUB', 'not-secret-2', before.id);
    const reply = await shop.notify({ ...fields, sign: forged });
    expect(reply.status).toBe(401);
    expect(reply.text).toMatch(/sign/);
    expect(reply.text).not.toContain(shop.sim.merchant.secret2);
    await expectUntouched(shop, before);
  });

  it('wrong merchant → 401, even when signed with that merchant id', async () => {
    const shop = await startShop();
    const { before, fields } = await paidButUnnotified(shop, 'r-merchant');
    const other = '0d1f6a52-6c1e-4b8e-9a53-3b1f2f0c9e11';
    const reply = await shop.notify({
      ...fields,
      merchant_id: other,
      sign: docSign(other, fields['amount']!, 'RUB', shop.sim.merchant.secret2, before.id),
    });
    expect(reply.status).toBe(401);
    await expectUntouched(shop, before);
  });

  it('amount lowered by a forger → refused by the sign', async () => {
    const shop = await startShop({ provider: { confirmWithInfoPay: false } });
    const { before, fields } = await paidButUnnotified(shop, 'r-amount');
    const reply = await shop.notify({ ...fields, amount: '1.00' });
    expect(reply.status).toBe(401);
    await expectUntouched(shop, before);
  });

  it('currency changed by a forger → refused by the sign', async () => {
    const shop = await startShop({ provider: { confirmWithInfoPay: false } });
    const { before, fields } = await paidButUnnotified(shop, 'r-currency');
    const reply = await shop.notify({ ...fields, currency: 'UAH' });
    expect(reply.status).toBe(401);
    await expectUntouched(shop, before);
  });

  it('a GET, a missing sign or an unknown status → 4xx', async () => {
    const shop = await startShop();
    const { before, fields } = await paidButUnnotified(shop, 'r-shape');
    const get = await fetch(`${shop.publicUrl}/callback/aaio?${new URLSearchParams(fields)}`);
    expect(get.status).toBe(405);
    await get.arrayBuffer();
    const unsigned = Object.fromEntries(Object.entries(fields).filter(([key]) => key !== 'sign'));
    expect((await shop.notify(unsigned)).status).toBe(400);
    expect((await shop.notify({ ...fields, status: 'refund' })).status).toBe(400);
    await expectUntouched(shop, before);
  });

  it('a signed notification that AAIO’s API does not confirm → 5xx, so it can be resent', async () => {
    const shop = await startShop();
    const { payment } = await shop.checkout('r-unconfirmed', '20.00');
    const { merchantId, secret2 } = shop.sim.merchant;
    const reply = await shop.notify({
      status: 'success',
      merchant_id: merchantId,
      invoice_id: shop.sim.orders.get(payment.id)!.invoiceId,
      order_id: payment.id,
      amount: '20.00',
      currency: 'RUB',
      sign: docSign(merchantId, '20.00', 'RUB', secret2, payment.id),
    });
    expect(reply.status).toBe(502);
    await expectUntouched(shop, payment);
  });

  it('IP not allowed → 403 (socket address, X-Forwarded-For ignored without a trusted proxy)', async () => {
    const shop = await startShop({ provider: { ipAllowlist: ['91.107.204.74'] } });
    const { before, fields } = await paidButUnnotified(shop, 'r-ip');
    const delivery = await shop.sim.resendNotification(before.id);
    expect(delivery.status).toBe(403);
    const spoofed = await shop.notify(fields, { headers: { 'x-forwarded-for': '91.107.204.74' } });
    expect(spoofed.status).toBe(403);
    await expectUntouched(shop, before);
  });

  it('behind a trusted proxy the forwarded address decides', async () => {
    const shop = await startShop({ trustProxy: true, provider: { ipAllowlist: ['91.107.204.74'] } });
    const { before, fields } = await paidButUnnotified(shop, 'r-proxy');
    const outsider = await shop.notify(fields, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(outsider.status).toBe(403);
    await expectUntouched(shop, before);
    const aaioSource = await shop.notify(fields, { headers: { 'x-forwarded-for': '91.107.204.74' } });
    expect(aaioSource).toEqual({ status: 200, text: 'OK' });
    expect((await shop.payments.get(before.id))?.status).toBe('paid');
  });

  it("ipAllowlist 'fetch' reads AAIO's list, and falls back to the documented address when it cannot", async () => {
    const shop = await startShop({ provider: { ipAllowlist: 'fetch' } });
    const { payment } = await shop.checkout('r-fetch', '8.00');
    const [delivery] = await shop.sim.pay(payment.id);
    expect(delivery?.status).toBe(200);
    expect(shop.sim.apiCalls.filter((c) => c.path === '/api/public/ips')).toHaveLength(1);

    const down = await startShop({ provider: { ipAllowlist: 'fetch', retries: 0 } });
    const { before } = await paidButUnnotified(down, 'r-fetch-down');
    down.sim.setFault({ mode: 'down' });
    const refused = await down.sim.resendNotification(before.id);
    expect(refused.status).toBe(403);
    await expectUntouched(down, before);
  });
});
