// Provider faults at checkout and at confirmation: slow, failing (5xx, 429), garbage,
// hanging and reset answers, and a closed port. Each gives a clear provider_* error;
// a retry then works and leaves one payment and one provider-side order or invoice.

import { aaio } from '@paymount/aaio';
import { aurpay } from '@paymount/aurpay';
import { createPayments, memoryStore } from '@paymount/core';
import type { AaioFault, AurpaySimulatorFaults } from '@paymount/sandbox';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { captureLogger, SECRETS } from '../support/capture.js';
import { figure } from '../support/figures.js';
import { replyCode } from '../support/replies.js';
import { AAIO_MERCHANT, closedPortUrl, rejection, type Shop, send, startShop } from '../support/shop.js';

const shops: Shop[] = [];
afterAll(async () => {
  for (const shop of shops) await shop.close();
});

type AurpayFault = Exclude<AurpaySimulatorFaults['api'], null>;
const AURPAY_FAULTS: readonly [AurpayFault, string][] = [
  ['down', 'provider_unavailable'],
  ['error', 'provider_unavailable'],
  ['rate-limit', 'provider_rate_limited'],
  ['garbage', 'provider_error'],
  ['slow', 'provider_timeout'],
  ['hang', 'provider_timeout'],
  ['reset', 'provider_unavailable'],
];
const AAIO_FAULTS: readonly [string, AaioFault, string][] = [
  ['down (503)', { mode: 'down' }, 'provider_unavailable'],
  ['error (500)', { mode: 'down', status: 500 }, 'provider_unavailable'],
  ['rate-limit (429)', { mode: 'rate-limit', retryAfterSeconds: 30 }, 'provider_rate_limited'],
  ['garbage', { mode: 'garbage' }, 'provider_error'],
  ['slow', { mode: 'slow', delayMs: 1_500 }, 'provider_timeout'],
  ['hang', { mode: 'slow', delayMs: 600_000 }, 'provider_timeout'],
];

/** Checkout over HTTP asking for JSON: the status and the error code or pay URL. */
async function tryCheckout(
  shop: Shop,
  orderId: string,
  provider: string,
): Promise<{ status: number; code: string | null }> {
  const res = await send(`${shop.base}/pay/checkout/${orderId}?provider=${provider}&format=json`);
  return { status: res.status, code: res.status === 200 ? 'ok' : replyCode(res.text) };
}

describe('provider faults at checkout', () => {
  it('aurpay: each fault is a clear error, and the retry leaves one payment and one reachable order', async () => {
    const shop = await startShop({ providers: ['aurpay'] });
    shops.push(shop);
    const sim = shop.aurpaySim;
    sim.faults.apiDelayMs = 1_500;
    for (const [mode, code] of AURPAY_FAULTS) {
      const orderId = `FAULT-A-${mode}`;
      shop.addOrder(orderId, '10.00');
      const ordersBefore = sim.orders.size;
      sim.faults.api = mode;
      sim.faults.apiTimes = 1;
      const failed = await tryCheckout(shop, orderId, 'aurpay');
      // A slow Aurpay still creates the order after we gave up: wait for it, to count it.
      if (mode === 'slow')
        await vi.waitFor(() => expect(sim.orders.size).toBe(ordersBefore + 1), { timeout: 3_000 });
      const orphans = sim.orders.size - ordersBefore;
      const retried = await tryCheckout(shop, orderId, 'aurpay');
      const payments = await shop.payments.findByOrder(orderId);
      const reachable = [...sim.orders.values()].filter((o) =>
        payments.some((p) => p.payUrl?.includes(o.token)),
      );
      await figure(
        {
          area: 'provider faults',
          scenario: `aurpay checkout: API ${mode}`,
          sent: 2,
          result: `first=${failed.status} ${failed.code} retry=${retried.status} payments=${payments.length} reachableOrders=${reachable.length} abandonedOrders=${orphans}`,
        },
        () => {
          expect(failed).toEqual({ status: failed.status, code });
          expect(failed.status).toBeGreaterThanOrEqual(500);
          expect(retried.status).toBe(200);
          expect(payments).toHaveLength(1);
          expect(payments[0]?.status).toBe('pending');
          expect(reachable).toHaveLength(1);
          // Aurpay has no idempotency key: only an answer lost after Aurpay acted leaves an unreachable order.
          expect(orphans).toBe(mode === 'slow' ? 1 : 0);
        },
      );
    }
  });

  it('aaio: each fault is a clear error, and the retry leaves one payment and one AAIO order', async () => {
    const shop = await startShop({ providers: ['aaio'] });
    shops.push(shop);
    for (const [name, fault, code] of AAIO_FAULTS) {
      const orderId = `FAULT-B-${name.split(' ')[0]}`;
      shop.addOrder(orderId, '10.00');
      // Both attempts (get_pay_url is retried once: AAIO dedupes by order_id).
      shop.aaioSim.setFault({ ...fault, times: 2 });
      const failed = await tryCheckout(shop, orderId, 'aaio');
      shop.aaioSim.setFault(null);
      const retried = await tryCheckout(shop, orderId, 'aaio');
      const payments = await shop.payments.findByOrder(orderId);
      const atAaio = [...shop.aaioSim.orders.values()].filter((o) =>
        payments.some((p) => p.id === o.orderId),
      );
      await figure(
        {
          area: 'provider faults',
          scenario: `aaio checkout: API ${name}`,
          sent: 2,
          result: `first=${failed.status} ${failed.code} retry=${retried.status} payments=${payments.length} aaioOrders=${atAaio.length}`,
        },
        () => {
          expect(failed).toEqual({ status: failed.status, code });
          expect(failed.status).toBeGreaterThanOrEqual(500);
          expect(retried.status).toBe(200);
          expect(payments).toHaveLength(1);
          expect(atAaio).toHaveLength(1);
        },
      );
    }
  });

  it('a closed port is provider_unavailable for both providers, with nothing left half-made', async () => {
    const url = await closedPortUrl();
    const payments = createPayments({
      publicUrl: 'http://127.0.0.1:9/pay',
      secret: SECRETS.paymount,
      store: memoryStore(),
      providers: {
        aurpay: aurpay({ apiKey: SECRETS.aurpayApiKey, baseUrl: url, timeoutMs: 1_000, retryDelayMs: 10 }),
        aaio: aaio({
          merchantId: AAIO_MERCHANT,
          secret1: SECRETS.aaioSecret1,
          secret2: SECRETS.aaioSecret2,
          apiKey: SECRETS.aaioApiKey,
          baseUrl: url,
          timeoutMs: 1_000,
          retryDelayMs: 10,
        }),
      },
      loadOrder: () => ({ amount: '10.00', currency: 'USD' }),
      returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
      logger: captureLogger(),
      hookDelivery: { pollIntervalMs: 0 },
    });
    try {
      for (const provider of ['aurpay', 'aaio']) {
        const error = (await rejection(payments.checkout({ orderId: `REFUSED-${provider}`, provider }))) as {
          code?: string;
          status?: number;
        };
        const stored = await payments.findByOrder(`REFUSED-${provider}`);
        await figure(
          {
            area: 'provider faults',
            scenario: `${provider} checkout: connection refused`,
            sent: 1,
            result: `${error.status} ${error.code} stored=${stored.map((p) => p.status).join(',')}`,
          },
          () => {
            expect(error).toMatchObject({ code: 'provider_unavailable', status: 503 });
            // The payment waits as `created`; the next checkout of the order resumes it.
            expect(stored.map((p) => p.status)).toEqual(['created']);
          },
        );
      }
    } finally {
      await payments.close();
    }
  });
});

describe('provider faults at confirmation', () => {
  it('aurpay: a callback while the detail API fails is answered 5xx (Aurpay retries); the retry pays once', async () => {
    const shop = await startShop({ providers: ['aurpay'] });
    shops.push(shop);
    shop.aurpaySim.faults.apiDelayMs = 1_500;
    for (const [mode, code] of AURPAY_FAULTS) {
      const payment = await shop.checkout(`CONFIRM-A-${mode}`, 'aurpay');
      shop.aurpaySim.faults.api = mode;
      shop.aurpaySim.faults.apiTimes = 2; // the detail read is retried once
      const [callback] = await shop.aurpaySim.pay(payment.payUrl!);
      const during = (await shop.payments.get(payment.id))?.status;
      const landing = (await send(`${shop.base}/pay/return/${payment.id}`)).headers['location'];
      shop.aurpaySim.faults.api = null;
      const [again] = await shop.aurpaySim.sendCallback(callback!);
      const calls = (await shop.hooks()).filter((c) => c.paymentId === payment.id);
      await figure(
        {
          area: 'provider faults',
          scenario: `aurpay confirmation: detail API ${mode}`,
          sent: 2,
          result: `callback=${callback?.status} ${replyCode(callback?.response ?? '')} while=${during} return=${String(landing).replace(shop.base, '')} resend=${again} onPaid=${calls.length}`,
        },
        async () => {
          expect(callback?.status).toBeGreaterThanOrEqual(500);
          expect(replyCode(callback?.response ?? '')).toBe(code);
          expect(during).toBe('pending');
          expect(landing).toBe(`${shop.base}/wait/CONFIRM-A-${mode}`);
          expect(again).toBe(200);
          expect(calls.map((c) => c.hook)).toEqual(['onPaid']);
        },
      );
    }
  });

  it('aaio: a notification while info-pay fails is answered 5xx; the resend pays once', async () => {
    const shop = await startShop({ providers: ['aaio'] });
    shops.push(shop);
    for (const [name, fault, code] of AAIO_FAULTS) {
      const payment = await shop.checkout(`CONFIRM-B-${name.split(' ')[0]}`, 'aaio');
      shop.aaioSim.setFault({ ...fault, times: 2 });
      const [first] = await shop.aaioSim.pay(payment.id);
      shop.aaioSim.setFault(null);
      const during = (await shop.payments.get(payment.id))?.status;
      const again = await shop.aaioSim.resendNotification(payment.id);
      const calls = (await shop.hooks()).filter((c) => c.paymentId === payment.id);
      await figure(
        {
          area: 'provider faults',
          scenario: `aaio confirmation: info-pay ${name}`,
          sent: 2,
          result: `notification=${first?.status} ${replyCode(first?.body ?? '')} while=${during} resend=${again.status} onPaid=${calls.length}`,
        },
        () => {
          expect(first?.status).toBeGreaterThanOrEqual(500);
          expect(replyCode(first?.body ?? '')).toBe(code);
          expect(during).toBe('pending');
          expect(again.status).toBe(200);
          expect(calls.map((c) => c.hook)).toEqual(['onPaid']);
        },
      );
    }
  });
});
