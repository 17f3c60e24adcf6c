import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aaio } from '@paymount/aaio';
import { type ConsoleOptions, createConsole } from '@paymount/console';
import { createPayments, memoryStore, type OrderDetails, type Payment, type Payments } from '@paymount/core';
import { paymount as expressPaymount } from '@paymount/express';
import { paymount as koaPaymount } from '@paymount/koa';
import { type AaioSimulator, startAaioSimulator } from '@paymount/sandbox';
import express5 from 'express5';
import koa3 from 'koa3';
import { expect } from 'vitest';

export type ConsoleFramework = 'express' | 'koa';

/** The operator token the test shop's `authorize` accepts, as a bearer header or the `ops` cookie. */
export const OPERATOR_TOKEN = 'console-test-operator-token-0123456789';
/** A second token: an operator who may look but not act. */
export const VIEWER_TOKEN = 'console-test-viewer-token-0123456789ab';
export const CONSOLE_MOUNT = '/admin/payments';

/** The shop's authorize: a bearer token or the `ops` cookie, as the README's example does it. */
export const authorize: ConsoleOptions['authorize'] = ({ headers, cookies }) => {
  const bearer = /^Bearer (.+)$/.exec(String(headers['authorization'] ?? ''))?.[1];
  const token = bearer ?? cookies['ops'];
  if (token === OPERATOR_TOKEN) return { id: 'ana@shop.test', name: 'Ana' };
  if (token === VIEWER_TOKEN) return { id: 'vic@shop.test', name: 'Vic', canAct: false };
  return null;
};

export interface ConsoleShop {
  readonly origin: string;
  readonly consoleUrl: string;
  readonly payments: Payments;
  readonly sim: AaioSimulator;
  /** Orders whose `onPaid` hook throws (so their job dead-letters). */
  readonly failingOrders: Set<string>;
  /** Checks out an order over HTTP as a buyer's browser would; resolves to the pending payment. */
  checkout(orderId: string, amount: string, extra?: Partial<OrderDetails>): Promise<Payment>;
  /** Posts a notification to the AAIO callback route, as AAIO (or a forger) does. */
  notify(fields: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

function listener(framework: ConsoleFramework, payments: Payments): RequestListener {
  // Two payments a page, so three payments page.
  const ops = createConsole(payments, { authorize, title: 'Test shop payments', pageSize: 2 });
  if (framework === 'express') {
    const app = express5();
    app.use('/pay', expressPaymount(payments));
    app.use(CONSOLE_MOUNT, expressPaymount(ops));
    app.use((_req, res) => void res.status(404).send('shop 404'));
    return app;
  }
  const app = new koa3();
  app.use(koaPaymount(payments, { prefix: '/pay' }));
  app.use(koaPaymount(ops, { prefix: CONSOLE_MOUNT }));
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = 'shop 404';
  });
  return app.callback();
}

/** A shop on Express 5 or Koa 3 with paymount at /pay, the console at /admin/payments and an AAIO simulator. */
export async function startConsoleShop(framework: ConsoleFramework): Promise<ConsoleShop> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const publicUrl = `${origin}/pay`;
  const sim = await startAaioSimulator({
    notificationUrl: `${publicUrl}/callback/aaio`,
    successUrl: `${publicUrl}/return`,
    failUrl: `${publicUrl}/return`,
  });
  const orders = new Map<string, OrderDetails>();
  const failingOrders = new Set<string>();
  const payments = createPayments({
    publicUrl,
    secret: 'console-test-secret-console-test-secret',
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
      }),
    },
    loadOrder: (orderId) => orders.get(orderId) ?? null,
    returnUrls: { success: '/shop/{orderId}/thanks', pending: '/shop/{orderId}', failure: '/shop/{orderId}' },
    hooks: {
      onPaid: (payment) => {
        if (failingOrders.has(payment.orderId))
          throw new Error(`the warehouse API is down for ${payment.orderId}`);
      },
    },
    hookDelivery: { pollIntervalMs: 0, maxAttempts: 1 },
    logger: false,
  });
  server.on('request', listener(framework, payments));
  return {
    origin,
    consoleUrl: `${origin}${CONSOLE_MOUNT}`,
    payments,
    sim,
    failingOrders,
    async checkout(orderId, amount, extra = {}) {
      orders.set(orderId, { amount, currency: 'RUB', ...extra });
      const res = await fetch(`${publicUrl}/checkout/${orderId}?provider=aaio`, {
        headers: { accept: 'application/json' },
      });
      const body = (await res.json()) as { paymentId: string };
      expect(res.status, JSON.stringify(body)).toBe(200);
      return (await payments.get(body.paymentId))!;
    },
    async notify(fields) {
      const res = await fetch(`${publicUrl}/callback/aaio`, {
        method: 'POST',
        body: new URLSearchParams(fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      await res.arrayBuffer();
      return res.status;
    },
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await payments.close();
      await sim.close();
    },
  };
}
