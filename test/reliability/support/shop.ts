// A small shop for the reliability suite: paymount mounted at /pay on a real HTTP server,
// the Aurpay and AAIO simulators behind it, every answer and log line captured.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AaioOptions, aaio } from '@paymount/aaio';
import { type AurpayOptions, aurpay } from '@paymount/aurpay';
import {
  createPayments,
  memoryStore,
  type Payment,
  type PaymentProvider,
  type PaymentStore,
  type Payments,
  type PaymentsOptions,
} from '@paymount/core';
import { handleNodeRequest, splitUrl, writeNodeResponse } from '@paymount/core/node';
import {
  type AaioSimulator,
  type AaioSimulatorOptions,
  type AurpaySimulator,
  type AurpaySimulatorOptions,
  startAaioSimulator,
  startAurpaySimulator,
} from '@paymount/sandbox';
import { captureError, captureJournal, captureLogger, captureResponse, SECRETS } from './capture.js';

export type ProviderName = 'aurpay' | 'aaio';

/** One hook call the shop saw. */
export interface HookCall {
  readonly hook: string;
  readonly paymentId: string;
  readonly key: string;
  readonly attempt: number;
}

export interface ShopOptions {
  readonly store?: PaymentStore;
  readonly aurpay?: Partial<AurpayOptions>;
  readonly aurpaySim?: AurpaySimulatorOptions;
  readonly aaio?: Partial<AaioOptions>;
  readonly aaioSim?: AaioSimulatorOptions;
  readonly payments?: Partial<PaymentsOptions>;
  /** Providers to configure. Default both. */
  readonly providers?: readonly ProviderName[];
}

export interface Shop {
  readonly base: string;
  readonly payments: Payments;
  readonly store: PaymentStore;
  readonly aurpaySim: AurpaySimulator;
  readonly aaioSim: AaioSimulator;
  /** Every hook call so far (hooks run when `deliverHooks()` or the background worker runs them). */
  readonly hookCalls: HookCall[];
  addOrder(orderId: string, amount: string, extra?: { currency?: string; method?: string }): void;
  /** Checks an order out over HTTP and returns the stored payment. */
  checkout(
    orderId: string,
    provider: ProviderName,
    amount?: string,
    extra?: { currency?: string; method?: string },
  ): Promise<Payment>;
  /** Runs due hooks and returns every hook call so far. */
  hooks(): Promise<HookCall[]>;
  /** Resolves with the first call of that hook for that payment, already made or still to come. */
  hookCalled(hook: string, paymentId: string): Promise<HookCall>;
  close(): Promise<void>;
}

export const AAIO_MERCHANT = 'c7a1e2b4-5d6f-4a8b-9c0d-1e2f3a4b5c6d';

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A URL on 127.0.0.1 where nothing listens: connections are refused. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await closeServer(server);
  return url;
}

/** One raw HTTP request (fetch cannot send every header or byte a forger would). */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer | null } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const body = options.body ?? null;
  const headers = { ...(options.headers ?? {}) };
  if (body !== null) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/** Awaits a promise that must reject, records the error for the secrets scan, and returns it. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    captureError(error);
    return error;
  }
  throw new Error('expected a rejection');
}

/** Starts the shop. Defaults: memory store, both providers, hooks run only when asked. */
export async function startShop(options: ShopOptions = {}): Promise<Shop> {
  const aurpaySim = await startAurpaySimulator({
    apiKey: SECRETS.aurpayApiKey,
    callbackSecret: SECRETS.aurpayCallbackSecret,
    ...options.aurpaySim,
  });
  const aaioSim = await startAaioSimulator({
    merchantId: AAIO_MERCHANT,
    secret1: SECRETS.aaioSecret1,
    secret2: SECRETS.aaioSecret2,
    apiKey: SECRETS.aaioApiKey,
    ...options.aaioSim,
  });
  let payments: Payments | undefined;
  const server = createServer((req, res) => {
    const { path, rawQuery } = splitUrl(req.url ?? '/');
    const ready = payments;
    if (!ready || !path.startsWith('/pay/')) {
      res.statusCode = 404;
      res.end();
      return;
    }
    void handleNodeRequest(ready, req, {
      path: path.slice(4),
      rawQuery,
      ip: req.socket.remoteAddress,
    }).then((response) => {
      if (!response) {
        res.statusCode = 404;
        res.end();
        return;
      }
      captureResponse(response.status, response.headers, response.body);
      writeNodeResponse(res, response);
    });
  });
  const base = await listen(server);
  aaioSim.settings.notificationUrl = `${base}/pay/callback/aaio`;
  aaioSim.settings.successUrl = `${base}/pay/return`;
  aaioSim.settings.failUrl = `${base}/pay/return`;

  const orders = new Map<string, { amount: string; currency: string; method?: string }>();
  const hookCalls: HookCall[] = [];
  const hookListeners = new Set<(call: HookCall) => void>();
  const record = (hook: string) => (payment: Payment, ctx: { idempotencyKey: string; attempt: number }) => {
    const call = { hook, paymentId: payment.id, key: ctx.idempotencyKey, attempt: ctx.attempt };
    hookCalls.push(call);
    for (const listener of hookListeners) listener(call);
  };
  const providers: Record<string, PaymentProvider> = {};
  const wanted = options.providers ?? ['aurpay', 'aaio'];
  if (wanted.includes('aurpay')) {
    providers['aurpay'] = aurpay({
      apiKey: SECRETS.aurpayApiKey,
      callbackSecret: SECRETS.aurpayCallbackSecret,
      baseUrl: aurpaySim.url,
      timeoutMs: 1_000,
      retries: 1,
      retryDelayMs: 10,
      ...options.aurpay,
    });
  }
  if (wanted.includes('aaio')) {
    providers['aaio'] = aaio({
      merchantId: AAIO_MERCHANT,
      secret1: SECRETS.aaioSecret1,
      secret2: SECRETS.aaioSecret2,
      apiKey: SECRETS.aaioApiKey,
      baseUrl: aaioSim.url,
      timeoutMs: 1_000,
      retries: 1,
      retryDelayMs: 10,
      maxRetryAfterMs: 0,
      ...options.aaio,
    });
  }
  const store = options.store ?? memoryStore();
  payments = createPayments({
    publicUrl: `${base}/pay`,
    secret: SECRETS.paymount,
    store,
    providers,
    loadOrder: (orderId) => {
      const order = orders.get(orderId);
      return order ? { ...order, description: `Order ${orderId}` } : null;
    },
    returnUrls: { success: '/thanks/{orderId}', pending: '/wait/{orderId}', failure: '/failed/{orderId}' },
    hooks: {
      onPaid: record('onPaid'),
      onExpired: record('onExpired'),
      onFailed: record('onFailed'),
      onAnomaly: record('onAnomaly'),
      onRefunded: record('onRefunded'),
    },
    hookDelivery: { pollIntervalMs: 0 },
    logger: captureLogger(),
    ...options.payments,
  });
  const ready = payments;
  const addOrder: Shop['addOrder'] = (orderId, amount, extra = {}) => {
    orders.set(orderId, {
      amount,
      currency: extra.currency ?? 'USD',
      ...(extra.method ? { method: extra.method } : {}),
    });
  };
  return {
    base,
    payments: ready,
    store,
    aurpaySim,
    aaioSim,
    hookCalls,
    addOrder,
    async checkout(orderId, provider, amount = '10.00', extra = {}) {
      addOrder(orderId, amount, extra);
      const res = await send(`${base}/pay/checkout/${orderId}?provider=${provider}`);
      if (res.status !== 303) throw new Error(`checkout answered ${res.status}: ${res.text}`);
      const found = await ready.findByOrder(orderId);
      const payment = found.find((p) => p.payUrl === res.headers['location']);
      if (!payment) throw new Error('checkout stored no payment with that pay URL');
      return payment;
    },
    async hooks() {
      await ready.deliverHooks();
      return hookCalls;
    },
    hookCalled(hook, paymentId) {
      const seen = hookCalls.find((c) => c.hook === hook && c.paymentId === paymentId);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => {
        const listener = (call: HookCall): void => {
          if (call.hook !== hook || call.paymentId !== paymentId) return;
          hookListeners.delete(listener);
          resolve(call);
        };
        hookListeners.add(listener);
      });
    },
    async close() {
      // Everything the journal kept goes into the final secrets scan too.
      await captureJournal(ready);
      await ready.close();
      await closeServer(server);
      await aurpaySim.close();
      await aaioSim.close();
    },
  };
}
