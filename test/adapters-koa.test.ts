import { once } from 'node:events';
import Router from '@koa/router';
import type { Payments } from '@paymount/core';
import { paymount } from '@paymount/koa';
import type Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import Koa2 from 'koa2';
import Koa3 from 'koa3';
import { adapterConformance, type ShopAppOptions } from './support/adapter-conformance.js';

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
