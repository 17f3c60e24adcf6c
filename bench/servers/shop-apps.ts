import { createServer, type Server } from 'node:http';
import Router from '@koa/router';
import type { Payments } from '@paymount/core';
import { paymount as expressPaymount } from '@paymount/express';
import { paymount as koaPaymount } from '@paymount/koa';
import express from 'express5';
import Koa from 'koa3';

/** A shop's own route, identical in both variants, so that only paymount differs. */
const PRODUCTS = JSON.stringify([
  { id: 'tea', name: 'Green tea', price: '4.50' },
  { id: 'cup', name: 'Cup', price: '12.00' },
]);

/**
 * The same small shop on Express or Koa, with paymount mounted at `/pay` in
 * front of its routes, without paymount at all, or with a do-nothing middleware in its place.
 */
export function shopServer(
  framework: 'express' | 'koa',
  payments: Payments | null,
  noopAtPay = false,
): Server {
  if (framework === 'express') {
    const app = express();
    if (payments) app.use('/pay', expressPaymount(payments));
    // The yardstick for "what any middleware mounted at /pay costs": it does nothing.
    else if (noopAtPay) app.use('/pay', (_req, _res, next) => next());
    app.get('/products', (_req, res) => {
      res.type('application/json').send(PRODUCTS);
    });
    return createServer(app);
  }
  const app = new Koa();
  const router = new Router();
  router.get('/products', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = PRODUCTS;
  });
  if (payments) app.use(koaPaymount(payments, { prefix: '/pay' }));
  else if (noopAtPay) app.use((_ctx, next) => next());
  app.use(router.routes());
  return createServer(app.callback());
}
