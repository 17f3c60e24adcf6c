import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aaio } from '@paymount/aaio';
import { createPayments, memoryStore, type Payments, type PaymentsOptions } from '@paymount/core';
import { paymount } from '@paymount/express';
import { type AaioSimulator, startAaioSimulator } from '@paymount/sandbox';
import type { ErrorRequestHandler, Express } from 'express';
import express from 'express4';

/** A shop of the kind issue 22 was found in: Express 4, its own pages and error handler, AAIO's sandbox. */
export interface FirstHourShop {
  readonly url: string;
  readonly payments: Payments;
  readonly aaioSim: AaioSimulator;
  close(): Promise<void>;
}

export interface FirstHourShopOptions {
  readonly payments?: Partial<PaymentsOptions>;
  /**
   * Builds the app around paymount (middleware, mounts); by default paymount alone under
   * `/pay`, as the README's quick start. The shop's pages and error handler come after.
   */
  readonly build?: (app: Express, payments: Payments) => void;
}

export const AAIO_MERCHANT = {
  merchantId: '0b6f1d2c-3e4a-4b5c-9d6e-7f8091a2b3c4',
  secret1: 'first-hour-shop-secret-1',
  secret2: 'first-hour-shop-secret-2',
  apiKey: 'first-hour-shop-api-key',
};

/** The shop's own pages: an order page that shows paymount's error code, and its own error page. */
function shopPages(app: Express): void {
  app.get('/orders/:id', (req, res) => {
    const code = typeof req.query['paymount_error'] === 'string' ? req.query['paymount_error'] : 'none';
    res.type('html').send(`<h1>Order ${req.params.id}</h1><p id="error">${code}</p>`);
  });
  app.get('/orders/:id/thanks', (_req, res) => void res.type('html').send('<h1>Thank you</h1>'));
  const errors: ErrorRequestHandler = (error: { status?: number; code?: string }, _req, res, _next) => {
    res
      .status(error.status ?? 500)
      .type('html')
      .send(`<h1>Shop error page</h1><p id="code">${error.code ?? 'unknown'}</p>`);
  };
  app.use(errors);
}

export async function startFirstHourShop(options: FirstHourShopOptions = {}): Promise<FirstHourShop> {
  let listener: RequestListener | undefined;
  const server = createServer((req, res) => listener?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const aaioSim = await startAaioSimulator({
    ...AAIO_MERCHANT,
    notificationUrl: `${url}/pay/callback/aaio`,
    successUrl: `${url}/pay/return`,
    failUrl: `${url}/pay/return`,
  });
  const payments = createPayments({
    publicUrl: `${url}/pay`,
    secret: 'first-hour-shop-paymount-secret-0123456789',
    store: memoryStore(),
    providers: { aaio: aaio({ ...AAIO_MERCHANT, baseUrl: aaioSim.url, retries: 0 }) },
    loadOrder: () => ({ amount: '100.00', currency: 'RUB' }),
    returnUrls: {
      success: '/orders/{orderId}/thanks',
      pending: '/orders/{orderId}',
      failure: '/orders/{orderId}',
    },
    hookDelivery: { pollIntervalMs: 0, baseDelayMs: 0 },
    ...options.payments,
  });
  const app = express();
  if (options.build) options.build(app, payments);
  else app.use('/pay', paymount(payments));
  shopPages(app);
  listener = app;
  return {
    url,
    payments,
    aaioSim,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await payments.close();
      await aaioSim.close();
    },
  };
}

/** The Accept header of a browser navigating to a page (Chromium's). */
export const BROWSER_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
