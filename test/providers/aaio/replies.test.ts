// What paymount answers an AAIO notification, row by row of the table in
// packages/aaio/README.md ("Notification replies: 4xx or 5xx"). AAIO sends a notification
// once and shows a failed one in its cabinet, where the merchant can resend it: a 4xx
// will never succeed and changes nothing; a 5xx is an outage, and the same notification
// resent once it is over is taken.
import { afterEach, describe, expect, it } from 'vitest';
import { switchableStore } from '../support/switchable-store.js';
import { closeShops, docSign, expectUntouched, type Shop, startShop } from './support.js';

afterEach(closeShops);

/** Paid at AAIO, notification not sent yet; the fields AAIO would post. */
async function paidUnnotified(shop: Shop, orderId: string, amount = '50.00') {
  const { payment } = await shop.checkout(orderId, amount);
  await shop.sim.pay(payment.id, { notify: 'never' });
  const before = (await shop.payments.get(payment.id))!;
  return { before, fields: shop.sim.notificationFields(payment.id) };
}

/** AAIO's plain-text reply, `code: message` (from a test's post or the simulator's delivery): status and code. */
function reply(res: { status: number | null; text?: string; body?: string }): {
  status: number | null;
  code: string;
} {
  return { status: res.status, code: (res.text ?? res.body ?? '').split(':')[0] ?? '' };
}

describe('aaio replies: 4xx, will never succeed, nothing changed', () => {
  it('405 method_not_allowed: not a POST', async () => {
    const shop = await startShop();
    const { before, fields } = await paidUnnotified(shop, 'q-405');
    const res = await fetch(`${shop.publicUrl}/callback/aaio?${new URLSearchParams(fields)}`);
    expect(res.status).toBe(405);
    await res.arrayBuffer();
    await expectUntouched(shop, before);
  });

  it('403 callback_forbidden: a source address outside ipAllowlist', async () => {
    const shop = await startShop({ provider: { ipAllowlist: ['91.107.204.74'] } });
    const { before, fields } = await paidUnnotified(shop, 'q-403');
    expect(reply(await shop.notify(fields))).toEqual({ status: 403, code: 'callback_forbidden' });
    await expectUntouched(shop, before);
  });

  it('400 callback_invalid: a required field missing, or a status AAIO never notifies', async () => {
    const shop = await startShop();
    const { before, fields } = await paidUnnotified(shop, 'q-400');
    const { sign: _sign, ...unsigned } = fields;
    expect(reply(await shop.notify(unsigned))).toEqual({ status: 400, code: 'callback_invalid' });
    expect(reply(await shop.notify({ ...fields, status: 'refund' }))).toEqual({
      status: 400,
      code: 'callback_invalid',
    });
    await expectUntouched(shop, before);
  });

  it('401 callback_unauthorized: another merchant_id, or a sign that does not match', async () => {
    const shop = await startShop();
    const { before, fields } = await paidUnnotified(shop, 'q-401');
    const other = '0d1f6a52-6c1e-4b8e-9a53-3b1f2f0c9e11';
    expect(reply(await shop.notify({ ...fields, merchant_id: other }))).toEqual({
      status: 401,
      code: 'callback_unauthorized',
    });
    expect(reply(await shop.notify({ ...fields, sign: 'f'.repeat(64) }))).toEqual({
      status: 401,
      code: 'callback_unauthorized',
    });
    await expectUntouched(shop, before);
  });

  it('404 payment_not_found: a signed notification for an order_id that is no payment of this shop', async () => {
    const shop = await startShop();
    const { merchantId, secret2 } = shop.sim.merchant;
    const orderId = 'pm_abcdefghijklmnopqrstuvwx';
    const res = await shop.notify({
      status: 'success',
      merchant_id: merchantId,
      invoice_id: '48ebfc18-e6c7-11ed-a05b-0242ac120003',
      order_id: orderId,
      amount: '50.00',
      currency: 'RUB',
      sign: docSign(merchantId, '50.00', 'RUB', secret2, orderId),
    });
    expect(reply(res)).toEqual({ status: 404, code: 'payment_not_found' });
  });

  it('409 provider_ref_taken: an AAIO invoice that already pays another payment', async () => {
    // The sign does not cover invoice_id: without info-pay, only the binding stops a reused one.
    const shop = await startShop({ provider: { confirmWithInfoPay: false } });
    const { payment: first } = await shop.checkout('q-409a', '50.00');
    const [delivery] = await shop.sim.pay(first.id);
    expect(delivery?.status).toBe(200);
    const { before, fields } = await paidUnnotified(shop, 'q-409b');
    const firstInvoice = shop.sim.orders.get(first.id)!.invoiceId;
    expect(reply(await shop.notify({ ...fields, invoice_id: firstInvoice }))).toEqual({
      status: 409,
      code: 'provider_ref_taken',
    });
    expect(await shop.payments.get(before.id)).toEqual(before);
  });

  it('413 payload_too_large: a body over maxBodyBytes', async () => {
    const shop = await startShop({ payments: { maxBodyBytes: 1_024 } });
    const { before, fields } = await paidUnnotified(shop, 'q-413');
    expect((await shop.notify({ ...fields, desc: 'x'.repeat(2_000) })).status).toBe(413);
    expect((await shop.payments.get(before.id))?.status).toBe('pending');
  });
});

describe('aaio replies: 5xx, an outage, the resent notification is taken once it is over', () => {
  const outages = [
    ['502 provider_error', 502, 'provider_error', { mode: 'garbage' }],
    ['503 provider_unavailable', 503, 'provider_unavailable', { mode: 'down' }],
    [
      '503 provider_rate_limited',
      503,
      'provider_rate_limited',
      { mode: 'rate-limit', retryAfterSeconds: 60 },
    ],
    ['504 provider_timeout', 504, 'provider_timeout', { mode: 'slow', delayMs: 2_000 }],
  ] as const;
  for (const [title, status, code, fault] of outages) {
    it(`${title}: AAIO's info-pay is ${fault.mode}`, async () => {
      const shop = await startShop({ provider: { retries: 0, timeoutMs: 300 } });
      const { before } = await paidUnnotified(shop, `q-${fault.mode}`);
      shop.sim.setFault(fault);
      expect(reply(await shop.sim.resendNotification(before.id))).toMatchObject({ status, code });
      shop.sim.setFault(null);
      await expectUntouched(shop, before);
      expect((await shop.sim.resendNotification(before.id)).status).toBe(200);
      expect((await shop.payments.get(before.id))?.status).toBe('paid');
    });
  }

  it('502 provider_error: AAIO’s info-pay does not confirm the payment yet', async () => {
    const shop = await startShop();
    const { payment } = await shop.checkout('q-unconfirmed', '20.00');
    const { merchantId, secret2 } = shop.sim.merchant;
    const fields = {
      status: 'success',
      merchant_id: merchantId,
      invoice_id: shop.sim.orders.get(payment.id)!.invoiceId,
      order_id: payment.id,
      amount: '20.00',
      currency: 'RUB',
      sign: docSign(merchantId, '20.00', 'RUB', secret2, payment.id),
    };
    expect(reply(await shop.notify(fields))).toEqual({ status: 502, code: 'provider_error' });
    await expectUntouched(shop, payment);
    await shop.sim.pay(payment.id, { notify: 'never' });
    expect((await shop.notify(fields)).status).toBe(200);
  });

  const storeFailures = [
    ['store_unavailable', 503, 'store_unavailable'],
    ['store_error', 500, 'store_error'],
  ] as const;
  for (const [failure, status, code] of storeFailures) {
    it(`${status} ${code}: the payment store fails (${failure})`, async () => {
      const { store, fail } = switchableStore();
      const shop = await startShop({ payments: { store } });
      const { before } = await paidUnnotified(shop, `q-${code}`);
      fail(failure);
      expect(reply(await shop.sim.resendNotification(before.id))).toEqual({ status, code });
      fail(null);
      expect(await shop.payments.get(before.id)).toEqual(before);
      expect((await shop.sim.resendNotification(before.id)).status).toBe(200);
      expect((await shop.payments.get(before.id))?.status).toBe('paid');
    });
  }
});
