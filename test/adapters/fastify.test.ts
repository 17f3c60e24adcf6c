import http, { type RequestListener } from 'node:http';
import type { Payments } from '@paymount/core';
import { paymount } from '@paymount/fastify';
import { adapterConformance, type ShopAppOptions } from '@paymount/testing';
import fastify4 from 'fastify4';
import type { FastifyInstance } from 'fastify5';
import fastify5 from 'fastify5';
import { describe, expect, it } from 'vitest';
import { serveOnce, shopPayments, TOKEN } from './support/shop-payments.js';

// Both majors take the plugin through the same calls; the shop is written against Fastify 5's types.
type Factory = (options: object) => FastifyInstance;
const factories = [
  ['Fastify 4', fastify4 as unknown as Factory],
  ['Fastify 5', fastify5 as unknown as Factory],
] as const;

/** Security headers on every answer, set shop-wide the way @fastify/helmet does (an onRequest hook). */
const SHOP_HEADERS = { 'x-frame-options': 'SAMEORIGIN', 'strict-transport-security': 'max-age=15552000' };

const quiet: ShopAppOptions = {
  bodyParser: false,
  trustProxy: false,
  swallowBody: false,
  onShopError: () => {},
};

/** A small shop around paymount: its own parsers, hooks, routes and error handler, mounted by `mount`. */
async function shopApp(
  Fastify: Factory,
  options: ShopAppOptions,
  mountPath: string,
  mount: (app: FastifyInstance) => void,
): Promise<RequestListener> {
  let listener: RequestListener | undefined;
  const app = Fastify({
    trustProxy: options.trustProxy,
    // The listener Fastify would serve, for the suite's own server.
    serverFactory: (handler: RequestListener) => {
      listener = handler;
      return http.createServer(handler);
    },
  });
  app.setErrorHandler((error, _request, reply) => {
    options.onShopError(error);
    void reply.code(500).send({ handledBy: 'shop' });
  });
  app.addHook('onRequest', async (_request, reply) => {
    void reply.headers(SHOP_HEADERS);
  });
  if (options.swallowBody) {
    app.addHook('onRequest', (request, _reply, done) => {
      request.raw.on('end', () => done()).resume();
    });
  }
  // Fastify parses JSON shop-wide by itself; a shop that wants forms adds a parser of its own.
  if (options.bodyParser) {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
  }
  mount(app);
  app.get('/hello', async (_request, reply) => reply.type('text/plain').send('hello from the shop'));
  app.post('/echo', async (request) => ({ received: request.body }));
  app.get('/boom', async () => {
    throw new Error('shop boom');
  });
  app.get(`${mountPath}/shop-page`, async (_request, reply) => reply.type('text/plain').send('shop page'));
  await app.ready();
  if (!listener) throw new Error('Fastify did not call serverFactory');
  return listener;
}

const mounts: ReadonlyArray<{
  label: string;
  mountPath: string;
  mount: (app: FastifyInstance, p: Payments) => void;
}> = [
  {
    label: 'at the root',
    mountPath: '',
    mount: (app, payments) => void app.register(paymount, { payments }),
  },
  {
    label: "with prefix '/pay'",
    mountPath: '/pay',
    mount: (app, payments) => void app.register(paymount, { payments, prefix: '/pay' }),
  },
  {
    label: "inside a plugin with prefix '/shop', with prefix '/pay'",
    mountPath: '/shop/pay',
    mount: (app, payments) =>
      void app.register(
        async (shop) => {
          await shop.register(paymount, { payments, prefix: '/pay' });
        },
        { prefix: '/shop' },
      ),
  },
  {
    label: "with a prefix holding a parameter, '/stores/:store/pay'",
    mountPath: '/stores/acme/pay',
    mount: (app, payments) => void app.register(paymount, { payments, prefix: '/stores/:store/pay' }),
  },
];

for (const [version, Fastify] of factories) {
  for (const { label, mountPath, mount } of mounts) {
    adapterConformance({
      name: `${version} ${label}`,
      mountPath,
      // The shop-wide parsers never reach paymount's encapsulated routes: it reads the bytes itself.
      parserKeepsRawBody: true,
      makeApp: (payments, options) => shopApp(Fastify, options, mountPath, (app) => mount(app, payments)),
    });
  }

  describe(`@paymount/fastify inside a ${version} shop`, () => {
    it("gives loadOrder Fastify's request, with what a shop-wide session plugin put on it", async () => {
      const payments = shopPayments({
        loadOrder: (_orderId, { reason, request }) => {
          const req = request?.frameworkRequest as { session?: { user?: string } } | undefined;
          return reason === 'checkout' && req?.session?.user !== 'ada'
            ? null
            : { amount: '10.00', currency: 'USD' };
        },
      });
      // A session plugin as @fastify/session is one: not encapsulated (fastify-plugin's skip-override).
      const session = Object.assign(
        async (app: FastifyInstance) => {
          app.decorateRequest('session', null);
          app.addHook('onRequest', async (request) => {
            const user = /user=(\w+)/.exec(request.headers.cookie ?? '')?.[1];
            (request as { session?: unknown }).session = { user };
          });
        },
        { [Symbol.for('skip-override')]: true },
      );
      const listener = await shopApp(Fastify, quiet, '/pay', (app) => {
        void app.register(session);
        void app.register(paymount, { payments, prefix: '/pay' });
      });
      await serveOnce(listener, async (agent) => {
        const json = { accept: 'application/json' };
        await agent.get('/pay/checkout/o-1').set(json).set('cookie', 'user=ada').expect(200);
        await agent.get('/pay/checkout/o-2').set(json).set('cookie', 'user=eve').expect(404);
      });
      await payments.close();
    });

    it("hands a buyer's error to the shop's setErrorHandler with browserErrors 'framework'", async () => {
      const payments = shopPayments({ browserErrors: 'framework', loadOrder: () => null });
      const shopErrors: unknown[] = [];
      const options = { ...quiet, onShopError: (error: unknown) => void shopErrors.push(error) };
      const listener = await shopApp(Fastify, options, '/pay', (app) => {
        void app.register(paymount, { payments, prefix: '/pay' });
      });
      await serveOnce(listener, async (agent) => {
        await agent.get('/pay/checkout/o-1').set('accept', 'text/html').expect(500, { handledBy: 'shop' });
      });
      expect(shopErrors).toEqual([expect.objectContaining({ code: 'order_not_found', status: 404 })]);
      await payments.close();
    });

    it('answers 413 to a chunked callback that grows past the limit, without a content-length', async () => {
      const payments = shopPayments();
      const listener = await shopApp(Fastify, quiet, '/pay', (app) => {
        void app.register(paymount, { payments, prefix: '/pay' });
      });
      await serveOnce(listener, async (agent, base) => {
        const checkout = await agent.get('/pay/checkout/o-1').set('accept', 'application/json').expect(200);
        const { paymentId } = checkout.body as { paymentId: string };
        const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = http.request(`${base}/pay/callback/test`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-test-token': TOKEN,
              'transfer-encoding': 'chunked',
            },
          });
          req.on('response', (res) => {
            let text = '';
            res.setEncoding('utf8').on('data', (chunk: string) => {
              text += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          });
          req.on('error', reject);
          req.write(`{"paymentId":"${paymentId}","status":"paid","padding":"`);
          req.end(`${'x'.repeat(4096)}"}`);
        });
        expect(answer.status).toBe(413);
        expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'payload_too_large' } });
        expect((await payments.get(paymentId))?.status).toBe('pending');
      });
      await payments.close();
    });

    it("keeps the shop's hooks and its own JSON parser: its headers on paymount's answers, its parser on its routes only", async () => {
      const payments = shopPayments();
      const seen: unknown[] = [];
      const listener = await shopApp(Fastify, quiet, '/pay', (app) => {
        // The shop replaces Fastify's JSON parser shop-wide with its own: paymount's routes never see it.
        app.removeContentTypeParser('application/json');
        app.addContentTypeParser('application/json', { parseAs: 'string' }, (_r, body, done) =>
          done(null, { shopParsed: String(body) }),
        );
        app.post('/notes', async (request) => {
          seen.push(request.body);
          return { ok: true };
        });
        void app.register(paymount, { payments, prefix: '/pay' });
      });
      await serveOnce(listener, async (agent) => {
        const checkout = await agent.get('/pay/checkout/o-1').set('accept', 'application/json').expect(200);
        expect(checkout.headers).toMatchObject({ ...SHOP_HEADERS, 'cache-control': 'no-store' });
        const { paymentId } = checkout.body as { paymentId: string };
        const body = JSON.stringify({ paymentId, status: 'paid', amount: '10.00', currency: 'USD' });
        await agent
          .post('/pay/callback/test')
          .set('x-test-token', TOKEN)
          .set('content-type', 'application/json')
          .send(body)
          .expect(200, 'OK');
        expect((await payments.get(paymentId))?.status).toBe('paid');
        await agent.post('/notes').set('content-type', 'application/json').send('{"a":1}').expect(200);
        expect(seen).toEqual([{ shopParsed: '{"a":1}' }]);
      });
      await payments.close();
    });
  });
}

describe("@paymount/fastify on each major's own types", () => {
  it('registers on Fastify 4 and 5 as written in the README, and answers through inject()', async () => {
    const payments = shopPayments();
    const four = fastify4();
    await four.register(paymount, { payments, prefix: '/pay' });
    const five = fastify5();
    await five.register(paymount, { payments, prefix: '/pay' });
    for (const app of [four, five]) {
      const answer = await app.inject({ method: 'GET', url: '/pay/status/pm_doesnotexist000000000000' });
      expect([answer.statusCode, answer.json()]).toEqual([
        404,
        { error: expect.objectContaining({ code: 'payment_not_found' }) },
      ]);
      await app.close();
    }
    await payments.close();
  });
});
