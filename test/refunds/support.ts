import { aaio } from '@paymount/aaio';
import { type AurpayOptions, aurpay } from '@paymount/aurpay';
import {
  createPayments,
  memoryStore,
  type Payment,
  type PaymentStore,
  type Payments,
  type PaymentsOptions,
} from '@paymount/core';
import {
  type AaioSimulator,
  type AurpaySimulator,
  type AurpaySimulatorOptions,
  startAaioSimulator,
  startAurpaySimulator,
} from '@paymount/sandbox';
import { type HookRecorder, hookRecorder, startPlainShop } from '@paymount/testing';
import { expect } from 'vitest';

const API_KEY = 'aurpay-refund-test-key-0123456789';
export const WALLET = 'TQ5xbuyerWalletAddress000000000001';

/** A shop over real HTTP with both providers pointed at their simulators, and a hook recorder. */
export interface RefundShop {
  readonly aurpaySim: AurpaySimulator;
  readonly aaioSim: AaioSimulator;
  readonly payments: Payments;
  readonly hooks: HookRecorder;
  /** Checks an order out with Aurpay over HTTP and has the buyer pay it (Aurpay's callback pays it). */
  paidAurpay(orderId: string, amount: string): Promise<Payment>;
  /** Checks an order out with Aurpay and leaves it unpaid (`pending`). */
  pendingAurpay(orderId: string, amount: string): Promise<Payment>;
  /** The same with AAIO (its notification pays it). */
  paidAaio(orderId: string, amount: string): Promise<Payment>;
  close(): Promise<void>;
}

export async function startRefundShop(
  config: {
    store?: PaymentStore;
    aurpay?: Partial<AurpayOptions>;
    aurpaySim?: AurpaySimulatorOptions;
    payments?: Partial<PaymentsOptions>;
  } = {},
): Promise<RefundShop> {
  const plain = await startPlainShop();
  const { publicUrl } = plain;
  const aurpaySim = await startAurpaySimulator({ apiKey: API_KEY, ...config.aurpaySim });
  const aaioSim = await startAaioSimulator({
    notificationUrl: `${publicUrl}/callback/aaio`,
    successUrl: `${publicUrl}/return`,
    failUrl: `${publicUrl}/return`,
  });
  const orders = new Map<string, { amount: string; currency: string }>();
  const hooks = hookRecorder();
  const payments = createPayments({
    publicUrl,
    secret: 'refund-test-secret-refund-test-secret-01',
    store: config.store ?? memoryStore(),
    providers: {
      aurpay: aurpay({ apiKey: API_KEY, baseUrl: aurpaySim.url, retryDelayMs: 10, ...config.aurpay }),
      aaio: aaio({ ...aaioSim.merchant, baseUrl: aaioSim.url, retryDelayMs: 10 }),
    },
    loadOrder: (orderId) => orders.get(orderId) ?? null,
    returnUrls: { success: '/thanks/{orderId}', pending: '/wait/{orderId}', failure: '/failed/{orderId}' },
    hooks: hooks.hooks,
    hookDelivery: { pollIntervalMs: 0 },
    ...config.payments,
  });
  plain.attach(payments);
  const checkout = async (orderId: string, provider: string): Promise<Payment> => {
    const res = await fetch(`${publicUrl}/checkout/${orderId}?provider=${provider}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    return (await payments.findByOrder(orderId))[0]!;
  };
  return {
    aurpaySim,
    aaioSim,
    payments,
    hooks,
    async paidAurpay(orderId, amount) {
      orders.set(orderId, { amount, currency: 'USD' });
      const payment = await checkout(orderId, 'aurpay');
      const [callback] = await aurpaySim.pay(payment.payUrl!);
      expect(callback?.status).toBe(200);
      const paid = await payments.get(payment.id);
      expect(paid?.status).toBe('paid');
      return paid!;
    },
    async pendingAurpay(orderId, amount) {
      orders.set(orderId, { amount, currency: 'USD' });
      return checkout(orderId, 'aurpay');
    },
    async paidAaio(orderId, amount) {
      orders.set(orderId, { amount, currency: 'RUB' });
      const payment = await checkout(orderId, 'aaio');
      // The buyer opens the pay form (the simulator learns of the order there), then pays.
      expect((await fetch(payment.payUrl!)).status).toBe(200);
      const [delivery] = await aaioSim.pay(payment.id);
      expect(delivery?.status).toBe(200);
      const paid = await payments.get(payment.id);
      expect(paid?.status).toBe('paid');
      return paid!;
    },
    async close() {
      await payments.close();
      await aurpaySim.close();
      await aaioSim.close();
      await plain.close();
    },
  };
}
