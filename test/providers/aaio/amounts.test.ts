import { afterEach, describe, expect, it } from 'vitest';

import { closeShops, docSign, startShop } from './support.js';

afterEach(closeShops);

describe('AAIO notification amounts are compared as decimals', () => {
  const formats: Array<[string, string, (sent: string) => string]> = [
    ['100', '100.00', () => '100'],
    ['100.0', '100.00', () => '100.0'],
    ['100.00', '100.00', (sent) => sent],
    ['10.54', '10.54', (sent) => sent],
    ['10.540', '10.54', () => '10.540'],
  ];
  for (const confirm of [true, false]) {
    for (const [echo, amount, amountEcho] of formats) {
      it(`pays ${amount} when AAIO echoes "${echo}" (confirmWithInfoPay ${confirm})`, async () => {
        const shop = await startShop({ sim: { amountEcho }, provider: { confirmWithInfoPay: confirm } });
        const { payment } = await shop.checkout(`o-fmt-${echo.replace('.', '_')}`, amount);
        const [delivery] = await shop.sim.pay(payment.id);
        expect(delivery?.fields['amount']).toBe(echo);
        expect(delivery).toMatchObject({ status: 200, body: 'OK' });
        expect(await shop.payments.get(payment.id)).toMatchObject({ status: 'paid', anomaly: null });
      });
    }
  }

  it('accepts a notification the test signs itself with the documented formula', async () => {
    const shop = await startShop({ provider: { confirmWithInfoPay: false } });
    const { payment } = await shop.checkout('o-self', '100.00');
    const { merchantId, secret2 } = shop.sim.merchant;
    const reply = await shop.notify(
      {
        status: 'success',
        merchant_id: merchantId,
        invoice_id: '48ebfc18-e6c7-11ed-a05b-0242ac120003',
        order_id: payment.id,
        amount: '100',
        currency: 'RUB',
        sign: docSign(merchantId, '100', 'RUB', secret2, payment.id),
      },
      { encoding: 'multipart' },
    );
    expect(reply).toEqual({ status: 200, text: 'OK' });
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
  });
});
