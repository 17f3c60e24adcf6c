// Issue 22, items 6 and 7: a shop developed under nodemon restarts on every save, and the
// simulators it starts restart with it. With a fixed port and a state file they keep their
// orders, so a payment begun before the restart is still paid through its old pay page;
// a payment resumed while its provider cannot be reached is logged.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aaio } from '@paymount/aaio';
import { aurpay } from '@paymount/aurpay';
import { createPayments, type Payments } from '@paymount/core';
import { paymount } from '@paymount/express';
import {
  type AaioSimulator,
  type AurpaySimulator,
  startAaioSimulator,
  startAurpaySimulator,
} from '@paymount/sandbox';
import { sqliteStore } from '@paymount/sqlite';
import express from 'express4';
import { afterAll, describe, expect, it } from 'vitest';
import { captureConsole } from './support/console.js';
import { freePorts } from './support/ports.js';

const AAIO_MERCHANT = {
  merchantId: '6a1f3c2e-4b5d-4e6f-8a9b-0c1d2e3f4a5b',
  secret1: 'first-hour-aaio-secret-1',
  secret2: 'first-hour-aaio-secret-2',
  apiKey: 'first-hour-aaio-api-key',
};
const AURPAY_API_KEY = 'first-hour-aurpay-api-key';

const dir = mkdtempSync(join(tmpdir(), 'paymount-first-hour-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly shop: string;
  readonly payments: Payments;
  readonly aaioSim: AaioSimulator;
  readonly aurpaySim: AurpaySimulator;
  /** Everything stops, as a process that nodemon restarts. */
  stop(): Promise<void>;
}

/** One life of the shop process: the simulators on fixed ports, a SQLite store, Express 4. */
async function startRun(
  ports: readonly number[],
  name: string,
  extra: { stateFiles?: boolean; now?: () => Date } = {},
): Promise<Run> {
  const [shopPort = 0, aaioPort, aurpayPort] = ports;
  const shop = `http://127.0.0.1:${shopPort}`;
  const stateFiles = extra.stateFiles ?? true;
  const aaioSim = await startAaioSimulator({
    ...AAIO_MERCHANT,
    port: aaioPort,
    stateFile: stateFiles ? join(dir, `${name}-aaio.json`) : undefined,
    notificationUrl: `${shop}/pay/callback/aaio`,
    successUrl: `${shop}/pay/return`,
    failUrl: `${shop}/pay/return`,
  });
  const aurpaySim = await startAurpaySimulator({
    apiKey: AURPAY_API_KEY,
    port: aurpayPort,
    stateFile: stateFiles ? join(dir, `${name}-aurpay.json`) : undefined,
  });
  const store = sqliteStore({ path: join(dir, `${name}-payments.sqlite`) });
  const payments = createPayments({
    publicUrl: `${shop}/pay`,
    secret: 'first-hour-paymount-secret-0123456789abcdef',
    store,
    providers: {
      aaio: aaio({ ...AAIO_MERCHANT, baseUrl: `http://127.0.0.1:${aaioPort}`, retries: 0 }),
      aurpay: aurpay({ apiKey: AURPAY_API_KEY, baseUrl: `http://127.0.0.1:${aurpayPort}`, retries: 0 }),
    },
    // Each provider's own currencies: AAIO takes RUB, Aurpay prices in fiat such as USD.
    loadOrder: (_orderId, { provider }) =>
      provider === 'aurpay' ? { amount: '15.00', currency: 'USD' } : { amount: '150.00', currency: 'RUB' },
    returnUrls: {
      success: '/orders/{orderId}/thanks',
      pending: '/orders/{orderId}',
      failure: '/orders/{orderId}',
    },
    hookDelivery: { pollIntervalMs: 0 },
    ...(extra.now ? { now: extra.now } : {}),
  });
  const app = express();
  app.use('/pay', paymount(payments));
  app.get('/orders/:id/thanks', (_req, res) => void res.type('text').send('thanks'));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(shopPort, '127.0.0.1', () => resolve(listening));
  });
  return {
    shop,
    payments,
    aaioSim,
    aurpaySim,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await payments.close();
      await store.close();
      await aaioSim.close();
      await aurpaySim.close();
    },
  };
}

async function checkout(shop: string, orderId: string, provider: string): Promise<string> {
  const answer = await fetch(`${shop}/pay/checkout/${orderId}?provider=${provider}`, { redirect: 'manual' });
  expect(answer.status).toBe(303);
  return answer.headers.get('location') ?? '';
}

/** Posts a pay page's own form as the buyer's browser would; resolves with where it sends the buyer. */
async function submit(url: string, fields: Record<string, string>): Promise<string> {
  const answer = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  expect(answer.status).toBe(303);
  return answer.headers.get('location') ?? '';
}

describe('the sandbox under nodemon', () => {
  it('keeps its orders across a restart: the old pay pages still show and still pay', async () => {
    const ports = await freePorts(3);
    const first = await startRun(ports, 'kept');
    const aaioPage = await checkout(first.shop, 'A-1', 'aaio');
    const aurpayPage = await checkout(first.shop, 'B-1', 'aurpay');
    const [aaioPayment] = await first.payments.findByOrder('A-1');
    const [aurpayPayment] = await first.payments.findByOrder('B-1');
    await first.stop();

    const second = await startRun(ports, 'kept');
    try {
      expect(second.aaioSim.merchant).toEqual(AAIO_MERCHANT);
      const form = await fetch(aaioPage);
      expect([form.status, await form.text()]).toEqual([200, expect.stringContaining('150.00')]);
      const back = await submit(aaioPage, { action: 'pay' });
      expect(back).toContain(`${second.shop}/pay/return?order_id=${aaioPayment?.id}`);
      expect((await second.payments.get(aaioPayment?.id ?? ''))?.status).toBe('paid');

      const cashier = await fetch(aurpayPage);
      expect(cashier.status).toBe(200);
      const token = new URL(aurpayPage).searchParams.get('token') ?? '';
      await submit(`${new URL(aurpayPage).origin}/cashier/act`, { token, action: 'pay' });
      expect((await second.payments.get(aurpayPayment?.id ?? ''))?.status).toBe('paid');
      // The shop's checkout link for the paid order now lands on its thanks page.
      expect(await checkout(second.shop, 'A-1', 'aaio')).toBe(`${second.shop}/orders/A-1/thanks`);
    } finally {
      await second.stop();
    }
  });

  it('without a state file forgets them, and a resumed payment whose provider cannot answer is logged', async () => {
    const ports = await freePorts(3);
    let now = Date.now();
    const first = await startRun(ports, 'forgotten', { stateFiles: false, now: () => new Date(now) });
    const page = await checkout(first.shop, 'C-1', 'aaio');
    await first.aaioSim.close();
    now += 16 * 60_000; // past checkout.reuseWindowMs: the payment is checked before it is resumed
    const console = captureConsole();
    try {
      expect(await checkout(first.shop, 'C-1', 'aaio')).toBe(page);
      const line = console.lines.find((l) => l.includes('could not check a pending payment'));
      expect(line).toContain('provider_unavailable');
      expect(line).toContain('stateFile');
    } finally {
      console.restore();
      await first.stop();
    }
    const second = await startRun(ports, 'forgotten', { stateFiles: false });
    try {
      expect((await fetch(page)).status).toBe(404);
    } finally {
      await second.stop();
    }
  });
});
