import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPayments, memoryStore, type Payments, type PaymentsOptions } from '@paymount/core';
import { testProvider } from '@paymount/core/testing';
import request from 'supertest';

/** The test provider's callback token. */
export const TOKEN = 'adapter-shop-token';

/** Payments with the test provider, every order 10.00 USD, hooks delivered on demand; `options` change any of it. */
export function shopPayments(options: Partial<PaymentsOptions> = {}): Payments {
  return createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: 'adapter-shop-secret-0123456789abcdef0123',
    store: memoryStore(),
    providers: { test: testProvider({ token: TOKEN }) },
    loadOrder: () => ({ amount: '10.00', currency: 'USD' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hookDelivery: { pollIntervalMs: 0 },
    maxBodyBytes: 2048,
    ...options,
  });
}

/** Serves `listener` on a loopback port for the length of `use`, then closes every connection. */
export async function serveOnce(
  listener: RequestListener,
  use: (agent: ReturnType<typeof request>, base: string) => Promise<void>,
): Promise<void> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await use(request(base), base);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
