// An AAIO and an Aurpay payment end to end on Fastify 5 and on Hono: the buyer checks out
// at the shop, pays on the sandbox simulator's pay page, the simulator calls paymount back
// as each provider's docs describe (AAIO's form notification from its listed address,
// Aurpay's JSON callback with the API key), onPaid runs once, and the buyer lands on the
// shop's thanks page.
import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { aaio } from '@paymount/aaio';
import { aurpay } from '@paymount/aurpay';
import { createPayments, memoryStore, type Payments } from '@paymount/core';
import { paymount } from '@paymount/fastify';
import { paymountFetch } from '@paymount/fetch';
import { startAaioSimulator, startAurpaySimulator } from '@paymount/sandbox';
import fastify from 'fastify5';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';

const AAIO_MERCHANT = {
  merchantId: '0e7c1f2a-3b4d-4c5e-8f6a-7b8c9d0e1f2a',
  secret1: 'adapters-e2e-aaio-secret-1',
  secret2: 'adapters-e2e-aaio-secret-2',
  apiKey: 'adapters-e2e-aaio-api-key',
};
const AURPAY_API_KEY = 'adapters-e2e-aurpay-api-key';

/** The shop's framework around paymount at `/pay`, plus its own `/orders/:id/thanks` page. */
type Mount = (payments: Payments) => Promise<RequestListener>;

const onFastify: Mount = async (payments) => {
  let listener: RequestListener | undefined;
  const app = fastify({
    serverFactory: (handler: RequestListener) => {
      listener = handler;
      return http.createServer(handler);
    },
  });
  await app.register(paymount, { payments, prefix: '/pay' });
  app.get('/orders/:id/thanks', async (_request, reply) => reply.type('text/plain').send('thanks'));
  await app.ready();
  return listener as RequestListener;
};

const onHono: Mount = async (payments) => {
  const app = new Hono();
  const pay = paymountFetch(payments, { prefix: '/pay' });
  app.all('/pay/*', async (c, next) => {
    const answer = await pay(c.req.raw, { ip: getConnInfo(c).remote.address, frameworkRequest: c });
    if (answer) return answer;
    await next();
  });
  app.get('/orders/:id/thanks', (c) => c.text('thanks'));
  return getRequestListener(app.fetch);
};

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

/** Follows paymount's return redirect and reads the shop page it leads to. */
async function landing(url: string): Promise<string> {
  const back = await fetch(url, { redirect: 'manual' });
  expect(back.status).toBe(303);
  const page = await fetch(back.headers.get('location') ?? '');
  return `${page.status} ${await page.text()}`;
}

async function startShop(mount: Mount) {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const shop = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const aaioSim = await startAaioSimulator({
    ...AAIO_MERCHANT,
    notificationUrl: `${shop}/pay/callback/aaio`,
    successUrl: `${shop}/pay/return`,
    failUrl: `${shop}/pay/return`,
  });
  const aurpaySim = await startAurpaySimulator({ apiKey: AURPAY_API_KEY });
  const paid: string[] = [];
  const payments = createPayments({
    publicUrl: `${shop}/pay`,
    secret: 'adapters-e2e-paymount-secret-0123456789abcdef',
    store: memoryStore(),
    providers: {
      // The notification must come from AAIO's address: here the simulator's, as the adapter reports it.
      aaio: aaio({ ...AAIO_MERCHANT, baseUrl: aaioSim.url, ipAllowlist: ['127.0.0.1'], retries: 0 }),
      aurpay: aurpay({ apiKey: AURPAY_API_KEY, baseUrl: aurpaySim.url, retries: 0 }),
    },
    loadOrder: (_orderId, { provider }) =>
      provider === 'aurpay' ? { amount: '15.00', currency: 'USD' } : { amount: '150.00', currency: 'RUB' },
    returnUrls: {
      success: '/orders/{orderId}/thanks',
      pending: '/orders/{orderId}',
      failure: '/orders/{orderId}',
    },
    hooks: { onPaid: (payment) => void paid.push(`${payment.orderId}:${payment.provider}`) },
    hookDelivery: { pollIntervalMs: 0 },
  });
  server.on('request', await mount(payments));
  return {
    shop,
    payments,
    paid,
    aaioSim,
    aurpaySim,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await payments.close();
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

for (const [name, mount] of [
  ['Fastify 5', onFastify],
  ['Hono on @hono/node-server', onHono],
] as const) {
  describe(`a payment end to end on ${name}`, () => {
    it('AAIO: pay page, signed notification, onPaid once, back to the thanks page', async () => {
      const run = await startShop(mount);
      try {
        const page = await checkout(run.shop, 'A-1', 'aaio');
        expect((await fetch(page)).status).toBe(200);
        const back = await submit(page, { action: 'pay' });
        const [payment] = await run.payments.findByOrder('A-1');
        expect(back).toContain(`${run.shop}/pay/return?order_id=${payment?.id}`);
        expect(payment?.status).toBe('paid');
        const sent = run.aaioSim.notifications.map((n) => [n.url, n.status, n.body]);
        expect(sent).toEqual([[`${run.shop}/pay/callback/aaio`, 200, 'OK']]);
        expect(await landing(back)).toBe('200 thanks');
        await run.payments.deliverHooks();
        expect(run.paid).toEqual(['A-1:aaio']);
        expect(await checkout(run.shop, 'A-1', 'aaio')).toBe(`${run.shop}/orders/A-1/thanks`);
      } finally {
        await run.stop();
      }
    });

    it("Aurpay: cashier, JSON callback to paymount's signed URL, onPaid once, back to the thanks page", async () => {
      const run = await startShop(mount);
      try {
        const page = await checkout(run.shop, 'B-1', 'aurpay');
        expect((await fetch(page)).status).toBe(200);
        const token = new URL(page).searchParams.get('token') ?? '';
        const back = await submit(`${new URL(page).origin}/cashier/act`, { token, action: 'pay' });
        const [payment] = await run.payments.findByOrder('B-1');
        expect(payment?.status).toBe('paid');
        const [callback, ...more] = run.aurpaySim.callbacks;
        expect([callback?.method, callback?.status, more]).toEqual(['POST', 200, []]);
        expect(callback?.url.startsWith(`${run.shop}/pay/callback/aurpay`)).toBe(true);
        expect(back).toContain(`${run.shop}/pay/return/${payment?.id}`);
        expect(await landing(back)).toBe('200 thanks');
        await run.payments.deliverHooks();
        expect(run.paid).toEqual(['B-1:aurpay']);
      } finally {
        await run.stop();
      }
    });
  });
}
