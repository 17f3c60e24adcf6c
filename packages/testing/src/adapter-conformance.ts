import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createPayments,
  memoryStore,
  type Payment,
  type PaymentProvider,
  type Payments,
} from '@paymount/core';
import type { CallbackInput } from '@paymount/core/provider';
import { testProvider } from '@paymount/core/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** How the shop's app around paymount is set up for one run of the suite. */
export interface ShopAppOptions {
  /**
   * Shop-wide JSON and form body parsers, registered before paymount: `express.json()` +
   * `express.urlencoded()`, `koa-bodyparser`, Fastify content-type parsers on the root instance.
   */
  readonly bodyParser: boolean;
  /**
   * The client address comes from X-Forwarded-For: Express `trust proxy`, Koa `app.proxy`,
   * Fastify `trustProxy`; on a Fetch runtime, the shop passes that address as `info.ip`.
   */
  readonly trustProxy: boolean;
  /** A middleware in front of paymount reads every request body and throws it away (a misconfigured shop). */
  readonly swallowBody: boolean;
  /** The shop's own error handler calls this with every error it receives. */
  readonly onShopError: (error: unknown) => void;
}

/** One way of mounting paymount into a framework, run through the whole suite. */
export interface AdapterCase {
  readonly name: string;
  /** Where paymount's routes are, seen from outside: `''` (root), `'/pay'`, `'/shop/pay'`. */
  readonly mountPath: string;
  /**
   * Behind the shop-wide parsers paymount still sees the exact bytes: the parser keeps the raw
   * text (koa-bodyparser's `rawBody`), or paymount's routes are outside the parsers' reach
   * (Fastify's encapsulation).
   */
  readonly parserKeepsRawBody: boolean;
  /**
   * The framework has shop-wide body parsers that can run in front of paymount, so the suite
   * runs once without and once behind them. Default true; false for Fetch handlers, where a
   * body read before paymount is gone (the swallowed-body case covers that).
   */
  readonly shopWideParsers?: boolean;
  /**
   * The shop's app (as a node:http listener; a promise of one when the framework must
   * start first) with paymount mounted at `mountPath`, plus the shop's own:
   * - `GET /hello` → 200 text `hello from the shop`;
   * - `POST /echo`, after paymount, with its own JSON parser → 200 JSON `{ received: body }`;
   * - `GET /boom` → throws `Error('shop boom')`;
   * - `GET {mountPath}/shop-page`, registered after paymount → 200 text `shop page`;
   * - an error handler that calls `onShopError` and answers 500 JSON `{ handledBy: 'shop' }`;
   * - nothing else: other paths get the framework's default 404.
   */
  readonly makeApp: (
    payments: Payments,
    options: ShopAppOptions,
  ) => http.RequestListener | Promise<http.RequestListener>;
}

const TOKEN = 'adapter-suite-token';
const MAX_BODY = 2048;
const FORWARDED_IP = '203.0.113.9';

interface SeenCallback {
  readonly ip: string | undefined;
  readonly bodyKind: CallbackInput['body']['kind'];
}

interface Harness {
  readonly payments: Payments;
  readonly http: ReturnType<typeof request>;
  readonly seen: SeenCallback[];
  readonly paidHooks: Payment[];
  readonly shopErrors: unknown[];
  close(): Promise<void>;
}

/** The test provider, recording what each callback check received (client address, body shape). */
function recordingProvider(seen: SeenCallback[]): PaymentProvider {
  const base = testProvider({ token: TOKEN });
  return {
    ...base,
    async verifyCallback(input, ctx) {
      seen.push({ ip: input.ip, bodyKind: input.body.kind });
      return base.verifyCallback(input, ctx);
    },
  };
}

async function start(testCase: AdapterCase, options: Partial<ShopAppOptions>): Promise<Harness> {
  const seen: SeenCallback[] = [];
  const paidHooks: Payment[] = [];
  const shopErrors: unknown[] = [];
  const payments = createPayments({
    publicUrl: `https://shop.example${testCase.mountPath}`,
    secret: 'adapter-conformance-secret-0123456789abcdef',
    store: memoryStore(),
    providers: { test: recordingProvider(seen) },
    loadOrder: (orderId) => {
      if (orderId.startsWith('missing')) return null;
      if (orderId.startsWith('explode')) throw new Error('shop database is down');
      return { amount: '10.00', currency: 'USD', description: `Order ${orderId}` };
    },
    returnUrls: {
      success: '/orders/{orderId}/thanks',
      pending: '/orders/{orderId}/waiting',
      failure: '/orders/{orderId}/failed',
    },
    hooks: { onPaid: (payment) => void paidHooks.push(payment) },
    hookDelivery: { pollIntervalMs: 0 },
    maxBodyBytes: MAX_BODY,
  });
  const listener = await testCase.makeApp(payments, {
    bodyParser: false,
    trustProxy: false,
    swallowBody: false,
    onShopError: (error) => shopErrors.push(error),
    ...options,
  });
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    payments,
    http: request(`http://127.0.0.1:${port}`),
    seen,
    paidHooks,
    shopErrors,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await payments.close();
    },
  };
}

let orderCounter = 0;
const newOrderId = (prefix = 'order'): string => `${prefix}-${++orderCounter}-${Date.now().toString(36)}`;

/**
 * The behaviour every adapter must have, over real HTTP, with and without global
 * body parsers in front. Run it with `adapterConformance({ name, mountPath, … })`.
 */
export function adapterConformance(testCase: AdapterCase): void {
  const m = testCase.mountPath;

  async function checkout(h: Harness, orderId = newOrderId()): Promise<string> {
    const res = await h.http.get(`${m}/checkout/${orderId}`).set('accept', 'application/json').expect(200);
    return (res.body as { paymentId: string }).paymentId;
  }

  function callback(
    h: Harness,
    fields: Record<string, string>,
    options: { token?: string; form?: boolean; forwardedFor?: string } = {},
  ) {
    let req = h.http.post(`${m}/callback/test`).set('x-test-token', options.token ?? TOKEN);
    if (options.forwardedFor) req = req.set('x-forwarded-for', options.forwardedFor);
    return options.form ? req.type('form').send(new URLSearchParams(fields).toString()) : req.send(fields);
  }

  const paid = (paymentId: string) => ({ paymentId, status: 'paid', amount: '10.00', currency: 'USD' });
  const statusOf = async (h: Harness, id: string) => (await h.payments.get(id))?.status;

  describe(`adapter conformance: ${testCase.name}`, () => {
    for (const bodyParser of testCase.shopWideParsers === false ? [false] : [false, true]) {
      describe(bodyParser ? 'behind global body parsers' : 'without body parsers', () => {
        let h: Harness;
        beforeAll(async () => {
          h = await start(testCase, { bodyParser });
        });
        afterAll(async () => {
          await h.close();
        });

        it('checkout redirects 303 to the pay page', async () => {
          const res = await h.http.get(`${m}/checkout/${newOrderId()}?provider=test`).expect(303);
          expect(res.headers['location']).toMatch(/^https:\/\/pay\.example\.test\/pm_/);
        });

        it('checkout answers JSON when the request asks for it, and a form POST redirects', async () => {
          const res = await h.http
            .get(`${m}/checkout/${newOrderId()}`)
            .set('accept', 'application/json')
            .expect(200)
            .expect('content-type', /application\/json/);
          const body = res.body as { paymentId: string; payUrl: string; status: string };
          expect(body.payUrl).toBe(`https://pay.example.test/${body.paymentId}`);
          expect(body.status).toBe('pending');
          const posted = await h.http
            .post(`${m}/checkout/${newOrderId()}`)
            .type('form')
            .send('provider=test&note=ignored')
            .expect(303);
          expect(posted.headers['location']).toMatch(/^https:\/\/pay\.example\.test\/pm_/);
        });

        it('checkout of a paid order redirects to the success page without a new payment', async () => {
          const orderId = newOrderId();
          const id = await checkout(h, orderId);
          await callback(h, paid(id)).expect(200);
          const res = await h.http.get(`${m}/checkout/${orderId}`).expect(303);
          expect(res.headers['location']).toBe(`https://shop.example/orders/${orderId}/thanks`);
          expect(await h.payments.findByOrder(orderId)).toHaveLength(1);
        });

        it('checkout of an unknown order is a 404 order_not_found JSON', async () => {
          const res = await h.http.get(`${m}/checkout/${newOrderId('missing')}`).expect(404);
          expect(res.body).toMatchObject({ error: { code: 'order_not_found' } });
        });

        for (const form of [false, true]) {
          it(`accepts a ${form ? 'url-encoded' : 'JSON'} callback: provider's reply, paid, one onPaid`, async () => {
            const id = await checkout(h);
            const before = h.seen.length;
            const res = await callback(h, paid(id), { form }).expect(200);
            expect(res.text).toBe('OK');
            expect(res.headers['content-length']).toBe('2');
            const kept = !bodyParser || testCase.parserKeepsRawBody;
            expect(h.seen[before]?.bodyKind).toBe(kept ? (form ? 'form' : 'json') : 'parsed');
            expect(await statusOf(h, id)).toBe('paid');
            await callback(h, paid(id), { form }).expect(200); // the provider retries: still one hook
            await h.payments.deliverHooks();
            expect(h.paidHooks.filter((p) => p.id === id)).toHaveLength(1);
          });
        }

        it('refuses a callback with a wrong token: 401 JSON and nothing changes', async () => {
          const id = await checkout(h);
          const res = await callback(h, paid(id), { token: 'forged' }).expect(401);
          expect(res.body).toMatchObject({ error: { code: 'callback_unauthorized' } });
          await h.payments.deliverHooks();
          expect(await statusOf(h, id)).toBe('pending');
          expect(h.paidHooks.some((p) => p.id === id)).toBe(false);
        });

        it('return redirects 303 to the shop page for the payment state', async () => {
          const order = (suffix: string) => newOrderId(`ret${suffix}`);
          const [waiting, thanks, failed] = [order('w'), order('t'), order('f')];
          const waitingId = await checkout(h, waiting);
          const thanksId = await checkout(h, thanks);
          const failedId = await checkout(h, failed);
          await callback(h, paid(thanksId)).expect(200);
          await callback(h, { paymentId: failedId, status: 'failed' }, { form: true }).expect(200);
          const location = async (id: string) =>
            (await h.http.get(`${m}/return/${id}`).expect(303)).headers['location'];
          expect(await location(waitingId)).toBe(`https://shop.example/orders/${waiting}/waiting`);
          expect(await location(thanksId)).toBe(`https://shop.example/orders/${thanks}/thanks`);
          expect(await location(failedId)).toBe(`https://shop.example/orders/${failed}/failed`);
        });

        it('status answers JSON, and 404 payment_not_found for an unknown payment', async () => {
          const id = await checkout(h);
          const res = await h.http
            .get(`${m}/status/${id}`)
            .expect(200)
            .expect('content-type', /json/)
            .expect('cache-control', 'no-store');
          expect(res.body).toMatchObject({
            paymentId: id,
            status: 'pending',
            amount: '10.00',
            currency: 'USD',
          });
          const unknown = await h.http.get(`${m}/status/pm_doesnotexist000000000000`).expect(404);
          expect(unknown.body).toMatchObject({ error: { code: 'payment_not_found' } });
        });

        it('answers HEAD and OPTIONS, and 405 with Allow for a wrong method', async () => {
          const id = await checkout(h);
          const head = await h.http.head(`${m}/status/${id}`).expect(200);
          expect(head.text ?? '').toBe('');
          const options = await h.http.options(`${m}/checkout/${newOrderId()}`).expect(204);
          expect(options.headers['allow']).toBe('GET, POST, OPTIONS');
          const del = await h.http.delete(`${m}/status/${id}`).expect(405);
          expect(del.headers['allow']).toBe('GET, HEAD, OPTIONS');
          expect(del.body).toMatchObject({ error: { code: 'method_not_allowed' } });
          const put = await h.http.put(`${m}/callback/test`).send({ a: 1 }).expect(405);
          expect(put.headers['allow']).toBe('GET, POST, OPTIONS');
        });

        it('answers 413 JSON to an oversized callback and changes nothing', async () => {
          const id = await checkout(h);
          const before = h.seen.length;
          const res = await callback(h, { ...paid(id), padding: 'x'.repeat(MAX_BODY * 4) }).expect(413);
          expect(res.body).toMatchObject({ error: { code: 'payload_too_large' } });
          expect(h.seen.length).toBe(before);
          expect(await statusOf(h, id)).toBe('pending');
        });

        it("leaves requests that are not paymount's to the shop, body unread", async () => {
          await h.http.get('/hello').expect(200, 'hello from the shop');
          await h.http
            .post('/echo')
            .send({ hello: 'shop' })
            .expect(200, { received: { hello: 'shop' } });
          await h.http.get(`${m}/shop-page`).expect(200, 'shop page');
          for (const path of [`${m}/unknown`, `${m}/checkout/`, `${m}/status/a/b`]) {
            // The framework's own 404 (JSON on Fastify), never paymount's `{ error: { code } }`.
            const res = await h.http.get(path).expect(404);
            expect((res.body as { error?: { code?: unknown } }).error?.code).toBeUndefined();
          }
          expect(h.shopErrors).toEqual([]);
        });

        it("keeps the shop's error handler for the shop's errors only", async () => {
          const before = h.shopErrors.length;
          await h.http.get('/boom').expect(500, { handledBy: 'shop' });
          expect(h.shopErrors.length).toBe(before + 1);
          expect((h.shopErrors.at(-1) as Error).message).toBe('shop boom');
          const broken = await h.http.get(`${m}/checkout/${newOrderId('explode')}`).expect(500);
          expect(broken.body).toMatchObject({ error: { code: 'internal_error' } });
          expect(broken.text).not.toContain('database');
          await callback(h, paid('pm_nosuchpayment'), { token: 'forged' }).expect(401);
          expect(h.shopErrors.length).toBe(before + 1);
        });
      });
    }

    for (const trustProxy of [false, true]) {
      it(`gives providers the client address ${trustProxy ? 'from X-Forwarded-For with' : 'of the socket without'} trust proxy`, async () => {
        const h = await start(testCase, { trustProxy });
        try {
          const id = await checkout(h);
          await callback(h, paid(id), { forwardedFor: FORWARDED_IP }).expect(200);
          const ip = h.seen.at(-1)?.ip;
          if (trustProxy) expect(ip).toBe(FORWARDED_IP);
          else expect(ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
        } finally {
          await h.close();
        }
      });
    }

    it('answers raw_body_unavailable when something in front ate the body and left nothing', async () => {
      const h = await start(testCase, { swallowBody: true });
      try {
        const id = await checkout(h);
        const res = await callback(h, paid(id)).expect(500);
        expect(res.body).toMatchObject({ error: { code: 'raw_body_unavailable' } });
        expect((res.body as { error: { message: string } }).error.message).toContain(
          'mount paymount before any body parser',
        );
        expect(h.seen).toEqual([]);
        expect(await statusOf(h, id)).toBe('pending');
        expect(h.shopErrors).toEqual([]);
      } finally {
        await h.close();
      }
    });
  });
}
