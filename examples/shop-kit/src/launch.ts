import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from '@paymount/core';
import { OrderStore } from './order-store.js';
import { type PaymentBackends, type RunningSimulator, setUpPaymentBackends } from './payment-backends.js';
import { Shop } from './shop.js';
import { createShopPayments, PAY_MOUNT } from './shop-payments.js';

/** Turns the framework-neutral shop into a Node request handler (an Express app, a Koa callback). */
export type ShopAppFactory = (shop: Shop) => RequestListener;

export interface LaunchShopOptions {
  readonly createApp: ShopAppFactory;
  /** Default 3000; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Orders, payments and the demo's signing secret live here. */
  readonly dataDir: string;
  /** `PAYMOUNT_PUBLIC_URL`, `PAYMOUNT_SECRET` and provider credentials (see `.env.example`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
}

/** A shop serving HTTP, with everything it started. */
export interface RunningShop {
  /** Where the buyer opens the shop. */
  readonly url: string;
  readonly shop: Shop;
  readonly simulators: readonly RunningSimulator[];
  readonly backends: PaymentBackends;
  /** Stops taking requests, lets paymount finish its work, then stops simulators and stores. */
  close(): Promise<void>;
}

/**
 * The demo's signing secret when `PAYMOUNT_SECRET` is not set: made once and kept
 * in the data folder, so callback URLs issued before a restart still verify after it.
 */
function demoSecret(dataDir: string): string {
  const path = join(dataDir, 'paymount-secret');
  try {
    const kept = readFileSync(path, 'utf8').trim();
    if (kept.length >= 32) return kept;
  } catch {
    // Not made yet.
  }
  const secret = randomBytes(32).toString('hex');
  writeFileSync(path, secret, { mode: 0o600 });
  return secret;
}

/**
 * Starts a storefront: listens first (so the port, and with it the callback URLs,
 * are known), then sets up providers or simulators, the payment store and the
 * shop, and only then answers requests.
 */
export async function launchShop(options: LaunchShopOptions): Promise<RunningShop> {
  const env = options.env ?? {};
  mkdirSync(options.dataDir, { recursive: true });
  const server = createServer();
  server.listen(options.port ?? 3000, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const localUrl = `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`;
  const origin = (env['PAYMOUNT_PUBLIC_URL'] || localUrl).replace(/\/+$/, '');

  let backends: PaymentBackends;
  try {
    backends = await setUpPaymentBackends({ payUrl: `${origin}${PAY_MOUNT}`, dataDir: options.dataDir, env });
  } catch (error) {
    server.close();
    throw error;
  }
  const orders = new OrderStore(join(options.dataDir, 'orders.json'));
  const payments = createShopPayments({
    origin,
    secret: env['PAYMOUNT_SECRET'] || demoSecret(options.dataDir),
    store: backends.store,
    providers: backends.providers,
    orders,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const shop = new Shop(orders, payments);
  server.on('request', options.createApp(shop));

  let closing: Promise<void> | undefined;
  return {
    url: localUrl,
    shop,
    simulators: backends.simulators,
    backends,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Requests already running get a moment to finish; then keep-alive stragglers are cut.
        const cut = setTimeout(() => server.closeAllConnections(), 2_000);
        await closed;
        clearTimeout(cut);
        await payments.close();
        await backends.close();
      })();
      return closing;
    },
  };
}
