import { aaio } from '@paymount/aaio';
import { startAaioSimulator } from '@paymount/sandbox';
import type { HarnessInstance, ProviderHarness } from '@paymount/testing';
import { providerConformance } from '@paymount/testing';

import { docSign, pressButton, returnTo } from './support.js';

const aaioHarness: ProviderHarness = {
  name: 'aaio',
  currency: 'RUB',
  async setup({ publicUrl }): Promise<HarnessInstance> {
    const sim = await startAaioSimulator({
      notificationUrl: `${publicUrl}/callback/aaio`,
      successUrl: `${publicUrl}/return`,
      failUrl: `${publicUrl}/return`,
    });
    let lastPaid: string | null = null;
    const orderOf = (payUrl: string) => {
      const order = sim.orderForPayUrl(payUrl);
      if (!order) throw new Error(`the AAIO simulator did not issue ${payUrl}`);
      return order;
    };
    return {
      provider: aaio({
        merchantId: sim.merchant.merchantId,
        secret1: sim.merchant.secret1,
        secret2: sim.merchant.secret2,
        apiKey: sim.merchant.apiKey,
        baseUrl: sim.url,
        timeoutMs: 1_000,
        retries: 1,
        retryDelayMs: 10,
      }),
      async act(payUrl, action) {
        const order = orderOf(payUrl);
        const location = await pressButton(payUrl, action === 'full' ? 'pay' : action);
        if (action === 'full') lastPaid = order.orderId;
        // The buyer follows AAIO's redirect to paymount's return route, as a browser would.
        await returnTo(location);
      },
      async payWithoutCallback(payUrl) {
        await sim.pay(orderOf(payUrl).orderId, { notify: 'never' });
      },
      async resendLastCallback() {
        if (!lastPaid) throw new Error('nothing was paid yet');
        return (await sim.resendNotification(lastPaid)).status ?? 0;
      },
      async forgeCallback(payUrl) {
        const order = orderOf(payUrl);
        const fields: Record<string, string> = {
          status: 'success',
          merchant_id: sim.merchant.merchantId,
          invoice_id: order.invoiceId,
          order_id: order.orderId,
          amount: order.amount,
          currency: order.currency,
        };
        fields['sign'] = docSign(
          fields['merchant_id']!,
          order.amount,
          order.currency,
          'guessed',
          order.orderId,
        );
        const res = await fetch(`${publicUrl}/callback/aaio`, {
          method: 'POST',
          body: new URLSearchParams(fields).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        await res.arrayBuffer();
        return res.status;
      },
      breakApi(mode) {
        sim.setFault(mode === null ? null : mode === 'slow' ? { mode, delayMs: 5_000 } : { mode });
      },
      close: () => sim.close(),
    };
  },
};

providerConformance(aaioHarness);
