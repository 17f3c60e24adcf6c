import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import { createPayments, memoryStore, type Payments } from '@paymount/core';
import { testProvider } from '@paymount/core/testing';
import { paymount } from '@paymount/koa';
import { adapterConformance, type ShopAppOptions } from '@paymount/testing';
import type Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import Koa2 from 'koa2';
import Koa3 from 'koa3';
import request from 'supertest';
import { describe, expect, it } from 'vitest';

type KoaClass = typeof Koa3;

/** A small shop: its own error handler, parsers and routes around paymount, mounted by `mount`. */
function shopApp(Koa: KoaClass, options: ShopAppOptions, mountPath: string, mount: (app: Koa) => void): Koa {
  const app = new Koa();
  app.proxy = options.trustProxy;
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      options.onShopError(error);
      ctx.status = 500;
      ctx.body = { handledBy: 'shop' };
    }
  });
  if (options.swallowBody) {
    app.use(async (ctx, next) => {
      const ended = once(ctx.req, 'end');
      ctx.req.resume();
      await ended;
      await next();
    });
  }
  if (options.bodyParser) app.use(bodyParser());
  mount(app);
  const echoParser = bodyParser();
  app.use(async (ctx, next) => {
    const route = `${ctx.method} ${ctx.path}`;
    if (route === 'GET /hello') ctx.body = 'hello from the shop';
    else if (route === 'GET /boom') throw new Error('shop boom');
    else if (route === `GET ${mountPath}/shop-page`) ctx.body = 'shop page';
    else if (route === 'POST /echo') {
      await echoParser(ctx, async () => {});
      ctx.body = { received: (ctx.request as { body?: unknown }).body };
    } else await next();
  });
  return app;
}

const mounts: ReadonlyArray<{
  label: string;
  mountPath: string;
  mount: (app: Koa, payments: Payments) => void;
}> = [
  { label: 'at the root', mountPath: '', mount: (app, payments) => app.use(paymount(payments)) },
  {
    label: "with prefix '/pay'",
    mountPath: '/pay',
    mount: (app, payments) => app.use(paymount(payments, { prefix: '/pay' })),
  },
  {
    label: "in @koa/router (prefix '/shop') as router.all('/pay/{*rest}')",
    mountPath: '/shop/pay',
    mount: (app, payments) => {
      const router = new Router({ prefix: '/shop' });
      router.all('/pay/{*rest}', paymount(payments));
      app.use(router.routes());
    },
  },
  {
    label: "in @koa/router as router.all('/{*rest}') at the root",
    mountPath: '',
    mount: (app, payments) => {
      const router = new Router();
      router.all('/{*rest}', paymount(payments));
      app.use(router.routes());
    },
  },
  {
    label: "in @koa/router under a route parameter, '/stores/:store/{*rest}' with prefix '/pay'",
    mountPath: '/stores/acme/pay',
    mount: (app, payments) => {
      const router = new Router();
      router.all('/stores/:store/{*rest}', paymount(payments, { prefix: '/pay' }));
      app.use(router.routes());
    },
  },
];

for (const [version, Koa] of [
  ['Koa 2', Koa2],
  ['Koa 3', Koa3],
] as const) {
  for (const { label, mountPath, mount } of mounts) {
    adapterConformance({
      name: `${version} ${label}`,
      mountPath,
      parserKeepsRawBody: true,
      makeApp: (payments, options) =>
        shopApp(Koa, options, mountPath, (app) => mount(app, payments)).callback(),
    });
  }
}

describe("@paymount/koa with @koa/router's router.use('/pay', …)", () => {
  it('takes its mount from the use() path, but sees only requests one of the routes matched', async () => {
    const payments = createPayments({
      publicUrl: 'https://shop.example/pay',
      secret: 'koa-router-use-secret-0123456789abcdef',
      store: memoryStore(),
      providers: { test: testProvider() },
      loadOrder: () => ({ amount: '5.00', currency: 'EUR' }),
      returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
      hookDelivery: { pollIntervalMs: 0 },
    });
    const router = new Router();
    router.use('/pay', paymount(payments));
    router.get('/pay/{*rest}', (ctx) => {
      ctx.status = 404;
      ctx.body = 'shop: no such page';
    });
    const app = new Koa3();
    app.use(router.routes());
    const server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = request(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const res = await agent.get('/pay/checkout/o-7').set('accept', 'application/json').expect(200);
      expect(res.body).toMatchObject({ status: 'pending' });
      await agent.get('/pay/elsewhere').expect(404, 'shop: no such page');
      // No POST route matches, so @koa/router never runs the use() middleware: hence router.all() in the README.
      await agent.post('/pay/callback/test').send({}).expect(404, 'Not Found');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await payments.close();
    }
  });
});

describe('@paymount/koa under older @koa/router path syntax', () => {
  // @koa/router 12 writes the wildcard as `:rest*` or `(.*)`; only 15 is installed here, so the
  // context is shaped the way router 12 leaves it: the running layer in `matched`, its pattern in `routerPath`.
  for (const pattern of ['/pay/:rest*', '/pay/(.*)', '/stores/:store/pay/:rest*']) {
    it(`finds the mount of router.all('${pattern}')`, async () => {
      const payments = createPayments({
        publicUrl: 'https://shop.example/pay',
        secret: 'koa-router12-secret-koa-router12-secret',
        store: memoryStore(),
        providers: { test: testProvider() },
        loadOrder: () => ({ amount: '5.00', currency: 'EUR' }),
        returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
        hookDelivery: { pollIntervalMs: 0 },
      });
      const middleware = paymount(payments);
      const prefix = pattern.startsWith('/stores') ? '/stores/7/pay' : '/pay';
      const headers: Record<string, string> = {};
      const ctx = {
        req: new http.IncomingMessage(null as never),
        method: 'GET',
        path: `${prefix}/checkout/o-9`,
        querystring: '',
        ip: '127.0.0.1',
        request: {},
        status: 404,
        body: undefined as unknown,
        set: (name: string, value: string) => {
          headers[name] = value;
        },
        routerPath: pattern,
        matched: [{ path: pattern, stack: [middleware] }],
      };
      let passedOn = false;
      await middleware(ctx, async () => {
        passedOn = true;
      });
      expect(passedOn).toBe(false);
      expect(ctx.status).toBe(303);
      expect(headers['location']).toMatch(/^https:\/\/pay\.example\.test\/pm_/);
      await payments.close();
    });
  }
});
