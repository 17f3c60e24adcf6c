import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { type AurpayOptions, aurpay } from '@paymount/aurpay';
import {
  createPayments,
  memoryStore,
  type Payment,
  type Payments,
  type PaymentsOptions,
} from '@paymount/core';
import { type AurpaySimulator, type AurpaySimulatorOptions, startAurpaySimulator } from '@paymount/sandbox';
import type { HarnessInstance, ProviderHarness } from '@paymount/testing';
import { startPlainShop } from '@paymount/testing';
import { expect } from 'vitest';

export const API_KEY = 'aurpay-test-api-key-0123456789';
export const CALLBACK_SECRET = 'aurpay-callback-secret-abcdef';
export const SECRET = 'paymount-test-secret-0123456789abcdef';

/** A raw HTTP request (fetch may not let a test set `Date`). */
export function send(
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body: string | null = null,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        headers: body === null ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/** Acts as the buyer: opens the pay page and submits one of its forms, without following the redirect. */
export async function buyerClicks(payUrl: string, action: 'pay' | 'less' | 'expire'): Promise<Response> {
  const page = await fetch(payUrl);
  const html = await page.text();
  expect(page.status).toBe(200);
  const token = /name="token" value="([0-9a-f]+)"/.exec(html)?.[1];
  expect(html).toContain(`value="${action}"`);
  return fetch(new URL('/cashier/act', payUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: token ?? '', action }).toString(),
  });
}

// ---------------------------------------------------------------------------------------------
// Conformance harnesses: pay-url (no order id before the first callback) and pay-info (coin fixed).

export function harness(name: string, extra: Partial<AurpayOptions>, recovers: boolean): ProviderHarness {
  return {
    name,
    currency: 'USD',
    recoversLostCallback: recovers,
    async setup(): Promise<HarnessInstance> {
      const sim = await startAurpaySimulator({ apiKey: API_KEY, callbackSecret: CALLBACK_SECRET });
      sim.faults.apiDelayMs = 1_500;
      const provider = aurpay({
        apiKey: API_KEY,
        callbackSecret: CALLBACK_SECRET,
        baseUrl: sim.url,
        timeoutMs: 400,
        retryDelayMs: 10,
        ...extra,
      });
      return {
        provider,
        async act(payUrl, action) {
          const res = await buyerClicks(payUrl, action === 'full' ? 'pay' : action);
          expect(res.status).toBe(303);
        },
        async payWithoutCallback(payUrl) {
          await sim.pay(payUrl, { callback: false });
        },
        resendLastCallback: () => sim.resendLastCallback(),
        async forgeCallback(payUrl) {
          const order = sim.order(payUrl)!;
          const date = new Date().toISOString();
          const forged = await send(
            order.callbackUrl!,
            'POST',
            {
              'content-type': 'application/json',
              'API-Key': 'not-the-merchant-key',
              'Callback-Token': 'x',
              Date: date,
              Signature: createHmac('sha256', 'guessed-secret')
                .update(`${date} | ${order.callbackUrl}`)
                .digest('base64'),
            },
            JSON.stringify({ ...order.info, status: 'SUCCESS' }),
          );
          return forged.status;
        },
        breakApi(mode) {
          sim.faults.api = mode;
        },
        async close() {
          await provider.close?.();
          await sim.close();
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Aurpay-specific behaviour over real HTTP.

export interface Shop {
  readonly base: string;
  readonly sim: AurpaySimulator;
  readonly payments: Payments;
  /** Hook calls after `deliverHooks()`: `hook:paymentId`. */
  hooks(): Promise<string[]>;
  /** Tells the shop's loadOrder about an order. */
  addOrder(orderId: string, amount: string, extra?: { currency?: string; method?: string }): void;
  checkout(orderId: string, amount: string, extra?: { currency?: string; method?: string }): Promise<Payment>;
  /** The callback URL (paid or timeout) paymount gave Aurpay for a payment. */
  callbackUrl(payment: Payment, kind?: 'paid' | 'timeout'): string;
}

export const opened: Array<() => Promise<void>> = [];

export async function startShop(
  providerOptions: Partial<AurpayOptions> = {},
  simOptions: AurpaySimulatorOptions = {},
  paymentsOptions: Partial<PaymentsOptions> = {},
): Promise<Shop> {
  const sim = await startAurpaySimulator({ apiKey: API_KEY, ...simOptions });
  const plain = await startPlainShop();
  const { base } = plain;
  const orders = new Map<string, { amount: string; currency: string; method?: string }>();
  const calls: string[] = [];
  const record = (hook: string) => (p: Payment) => void calls.push(`${hook}:${p.id}`);
  const provider = aurpay({ apiKey: API_KEY, baseUrl: sim.url, retryDelayMs: 10, ...providerOptions });
  const payments = createPayments({
    publicUrl: `${base}/pay`,
    secret: SECRET,
    store: memoryStore(),
    providers: { aurpay: provider },
    loadOrder: (orderId) => {
      const order = orders.get(orderId);
      return order ? { ...order, description: `Order ${orderId}` } : null;
    },
    returnUrls: { success: '/thanks/{orderId}', pending: '/wait/{orderId}', failure: '/failed/{orderId}' },
    hooks: {
      onPaid: record('onPaid'),
      onExpired: record('onExpired'),
      onAnomaly: record('onAnomaly'),
      onFailed: record('onFailed'),
      onRefunded: record('onRefunded'),
    },
    hookDelivery: { pollIntervalMs: 0 },
    ...paymentsOptions,
  });
  plain.attach(payments);
  const ready = payments;
  const addOrder: Shop['addOrder'] = (orderId, amount, extra = {}) => {
    orders.set(orderId, {
      amount,
      currency: extra.currency ?? 'USD',
      ...(extra.method ? { method: extra.method } : {}),
    });
  };
  opened.push(async () => {
    await ready.close();
    await sim.close();
    await plain.close();
  });
  return {
    base,
    sim,
    payments: ready,
    async hooks() {
      await ready.deliverHooks();
      return [...calls];
    },
    addOrder,
    async checkout(orderId, amount, extra = {}) {
      addOrder(orderId, amount, extra);
      const res = await fetch(`${base}/pay/checkout/${orderId}?provider=aurpay`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      const [payment] = await ready.findByOrder(orderId);
      expect(payment?.payUrl).toBe(res.headers.get('location'));
      return payment!;
    },
    callbackUrl(payment, kind = 'paid') {
      const order = sim.order(payment.payUrl!)!;
      return (kind === 'paid' ? order.callbackUrl : order.timeoutCallback)!;
    },
  };
}

/** The signature a test computes on its own, by the documented callback formula. */
export function callbackSig(secret: string, date: string, url: string): string {
  return createHmac('sha256', secret).update(`${date} | ${url}`).digest('base64');
}

/** Closes every shop a test opened; each topic file runs it after each test. */
export async function closeShops(): Promise<void> {
  while (opened.length > 0) await opened.pop()!();
}
