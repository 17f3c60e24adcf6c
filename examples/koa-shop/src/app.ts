import Router from '@koa/router';
import type { PaymountHandler } from '@paymount/core/node';
import { paymount } from '@paymount/koa';
import Koa, { type Context } from 'koa';
import type { Shop, ShopResponse } from '../../shop-kit/src/shop.js';

function send(ctx: Context, answer: ShopResponse): void {
  if ('redirect' in answer) {
    ctx.status = 303;
    ctx.redirect(answer.redirect);
  } else {
    ctx.status = answer.status;
    ctx.type = 'html';
    ctx.body = answer.html;
  }
}

/** Reads a small urlencoded form; the shop needs no body-parser package for two fields. */
async function readForm(ctx: Context): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).byteLength;
    if (size > 10_000) ctx.throw(413);
    chunks.push(chunk as Buffer);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/** The Koa 3 storefront: paymount under `/pay`, the shop's own pages in @koa/router. */
export function createKoaShop(shop: Shop, mounts: Readonly<Record<string, PaymountHandler>> = {}): Koa {
  const app = new Koa();
  app.use(paymount(shop.payments, { prefix: '/pay' }));
  // Other paymount handlers by path (the demo's operator console).
  for (const [prefix, handler] of Object.entries(mounts)) app.use(paymount(handler, { prefix }));

  const router = new Router();
  router.get('/', (ctx) => send(ctx, shop.home()));
  router.post('/orders', async (ctx) => send(ctx, await shop.placeOrder(await readForm(ctx))));
  router.get('/orders', async (ctx) => send(ctx, await shop.orderList()));
  router.get('/orders/:orderId', async (ctx) => send(ctx, await shop.order(ctx.params['orderId'] ?? '')));
  router.get('/orders/:orderId/thanks', async (ctx) =>
    send(ctx, await shop.thanks(ctx.params['orderId'] ?? '')),
  );
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use((ctx) => send(ctx, shop.notFound()));
  return app;
}
