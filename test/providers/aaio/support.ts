import { createHash } from 'node:crypto';
import { type AaioOptions, aaio } from '@paymount/aaio';
import {
  createPayments,
  memoryStore,
  type OrderDetails,
  type Payment,
  type Payments,
  type PaymentsOptions,
} from '@paymount/core';
import { type AaioSimulator, type AaioSimulatorOptions, startAaioSimulator } from '@paymount/sandbox';
import { startPlainShop } from '@paymount/testing';
import { expect } from 'vitest';

/** AAIO's documented formula, written here independently of the provider package. */
export function docSign(
  merchantId: string,
  amount: string,
  currency: string,
  secret: string,
  orderId: string,
): string {
  return createHash('sha256')
    .update(`${merchantId}:${amount}:${currency}:${secret}:${orderId}`)
    .digest('hex');
}

export interface HookCall {
  readonly hook: string;
  readonly paymentId: string;
  readonly status: string;
}

export interface Shop {
  readonly base: string;
  readonly publicUrl: string;
  readonly sim: AaioSimulator;
  readonly payments: Payments;
  readonly calls: HookCall[];
  readonly orders: Map<string, OrderDetails>;
  /** Checks out an order over HTTP (JSON) and returns the pending payment and its pay URL. */
  checkout(
    orderId: string,
    amount: string,
    currency?: string,
    extra?: Partial<OrderDetails>,
  ): Promise<{ payment: Payment; payUrl: string }>;
  /** Posts a notification to paymount's AAIO callback, as AAIO (or a forger) would. */
  notify(
    fields: Record<string, string>,
    init?: { encoding?: 'urlencoded' | 'multipart'; headers?: Record<string, string> },
  ): Promise<{ status: number; text: string }>;
  hooks(): Promise<HookCall[]>;
}

export const running: Array<() => Promise<void>> = [];

/**
 * A shop serving paymount at `/pay` on a loopback port through `handleNodeRequest`,
 * with the AAIO provider pointed at a fresh simulator. `trustProxy` resolves the client
 * address from X-Forwarded-For as an adapter with a trusted proxy would.
 */
export async function startShop(
  config: {
    provider?: Partial<AaioOptions>;
    sim?: AaioSimulatorOptions;
    trustProxy?: boolean;
    now?: () => Date;
    /** More options of `createPayments` (a logger, a store). */
    payments?: Partial<PaymentsOptions>;
  } = {},
): Promise<Shop> {
  const plain = await startPlainShop({ trustProxy: config.trustProxy ?? false });
  const { base, publicUrl } = plain;
  const sim = await startAaioSimulator({
    notificationUrl: `${publicUrl}/callback/aaio`,
    successUrl: `${publicUrl}/return`,
    failUrl: `${publicUrl}/return`,
    ...config.sim,
  });
  const calls: HookCall[] = [];
  const orders = new Map<string, OrderDetails>();
  const record = (hook: string) => (payment: Payment) =>
    void calls.push({ hook, paymentId: payment.id, status: payment.status });
  const payments = createPayments({
    publicUrl,
    secret: 'aaio-test-secret-aaio-test-secret-0123',
    store: memoryStore(),
    providers: {
      aaio: aaio({
        merchantId: sim.merchant.merchantId,
        secret1: sim.merchant.secret1,
        secret2: sim.merchant.secret2,
        apiKey: sim.merchant.apiKey,
        baseUrl: sim.url,
        timeoutMs: 2_000,
        retryDelayMs: 10,
        ...config.provider,
      }),
    },
    loadOrder: (orderId) => {
      const order = orders.get(orderId);
      return order ? { description: `Order ${orderId}`, ...order } : null;
    },
    returnUrls: {
      success: '/shop/{orderId}/thanks',
      pending: '/shop/{orderId}/wait',
      failure: '/shop/{orderId}/failed',
    },
    hooks: {
      onPaid: record('onPaid'),
      onExpired: record('onExpired'),
      onAnomaly: record('onAnomaly'),
      onFailed: record('onFailed'),
    },
    hookDelivery: { pollIntervalMs: 0 },
    reconcile: { firstCheckAfterMs: 0 },
    ...(config.now ? { now: config.now } : {}),
    ...config.payments,
  });
  plain.attach(payments);
  const engine = payments;
  running.push(async () => {
    await engine.close();
    await sim.close();
    await plain.close();
  });

  return {
    base,
    publicUrl,
    sim,
    payments: engine,
    calls,
    orders,
    async checkout(orderId, amount, currency = 'RUB', extra = {}) {
      orders.set(orderId, { amount, currency, ...extra });
      const res = await fetch(`${publicUrl}/checkout/${orderId}?provider=aaio`, {
        headers: { accept: 'application/json' },
      });
      const body = (await res.json()) as { paymentId: string; payUrl: string };
      expect(res.status, JSON.stringify(body)).toBe(200);
      const payment = await engine.get(body.paymentId);
      expect(payment?.status).toBe('pending');
      return { payment: payment!, payUrl: body.payUrl };
    },
    async notify(fields, init = {}) {
      let body: string | FormData;
      const headers: Record<string, string> = { ...init.headers };
      if (init.encoding === 'multipart') {
        const form = new FormData();
        for (const [key, value] of Object.entries(fields)) form.append(key, value);
        body = form;
      } else {
        body = new URLSearchParams(fields).toString();
        headers['content-type'] = 'application/x-www-form-urlencoded';
      }
      const res = await fetch(`${publicUrl}/callback/aaio`, { method: 'POST', body, headers });
      return { status: res.status, text: await res.text() };
    },
    async hooks() {
      await engine.deliverHooks();
      return calls;
    },
  };
}

/** The buyer presses a button on the simulator's pay form; returns where the simulator sent them. */
export async function pressButton(
  payUrl: string,
  action: 'pay' | 'hold' | 'less' | 'expire',
): Promise<string> {
  const form = await fetch(payUrl);
  const html = await form.text();
  expect(html).toContain(`value="${action}"`);
  const formAction = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  expect(formAction).toBeTruthy();
  const res = await fetch(new URL(formAction!.replaceAll('&#38;', '&'), payUrl), {
    method: 'POST',
    body: new URLSearchParams({ action }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  return res.headers.get('location')!;
}

/** Follows a redirect into paymount's return route and returns the shop page it sends the buyer to. */
export async function returnTo(location: string): Promise<string> {
  const res = await fetch(location, { redirect: 'manual' });
  expect(res.status).toBe(303);
  return res.headers.get('location')!;
}

/** Asserts a refused notification changed nothing and called no hook. */
export async function expectUntouched(shop: Shop, before: Payment): Promise<void> {
  expect(await shop.payments.get(before.id)).toEqual(before);
  expect(await shop.hooks()).toEqual([]);
}

/** Closes every shop a test opened; each topic file runs it after each test. */
export async function closeShops(): Promise<void> {
  while (running.length > 0) await running.pop()!();
}
