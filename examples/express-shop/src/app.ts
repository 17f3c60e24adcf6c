import type { PaymountHandler } from '@paymount/core/node';
import { paymount } from '@paymount/express';
import express, { type Response } from 'express';
import type { Shop, ShopResponse } from '../../shop-kit/src/shop.js';

function send(res: Response, answer: ShopResponse): void {
  if ('redirect' in answer) res.redirect(303, answer.redirect);
  else res.status(answer.status).type('html').send(answer.html);
}

/** Other paymount handlers to mount, by path (the demo's operator console). */
export type ShopMounts = Readonly<Record<string, PaymountHandler>>;

/** The Express 5 storefront: paymount under `/pay`, the shop's own pages around it. */
export function createExpressShop(shop: Shop, mounts: ShopMounts = {}): express.Express {
  const app = express();
  // Before any body parser, so provider callbacks are verified on the exact bytes sent.
  app.use('/pay', paymount(shop.payments));
  for (const [path, handler] of Object.entries(mounts)) app.use(path, paymount(handler));

  app.get('/', (_req, res) => send(res, shop.home()));
  app.post('/orders', express.urlencoded({ extended: false }), async (req, res) =>
    send(res, await shop.placeOrder(req.body ?? {})),
  );
  app.get('/orders', async (_req, res) => send(res, await shop.orderList()));
  app.get('/orders/:orderId', async (req, res) => send(res, await shop.order(req.params.orderId)));
  app.get('/orders/:orderId/thanks', async (req, res) => send(res, await shop.thanks(req.params.orderId)));
  app.use((_req, res) => send(res, shop.notFound()));
  return app;
}
