import { once } from 'node:events';
import type { RequestListener } from 'node:http';
import Router from '@koa/router';
import type { Payments } from '@paymount/core';
import { paymount as expressPaymount } from '@paymount/express';
import { paymount as koaPaymount } from '@paymount/koa';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import express4 from 'express4';
import express5 from 'express5';
import type Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import koa2 from 'koa2';
import koa3 from 'koa3';

/** How the shop around paymount is built; everything is off unless asked for. */
export interface ShopSetup {
  /**
   * A global body parser in front of paymount, as a shop that ignored the README has it:
   * `json` (express.json() / koa-bodyparser), `loose-json` (also bare strings, numbers,
   * null), `text` (express.text() / koa-bodyparser's text type).
   */
  readonly parser?: 'json' | 'loose-json' | 'text';
  /** A middleware in front of paymount reads every body and throws it away. */
  readonly swallowBody?: boolean;
  /** Express `strict routing` (Koa's router is left as it is). */
  readonly strictRouting?: boolean;
  /**
   * The shop's own guards, in front of paymount as the README shows: a login guard on
   * `/pay/checkout/:orderId` (401 without a session) and an address guard on
   * `/pay/callback/aaio` (403 unless `x-gateway: aaio`).
   */
  readonly guards?: boolean;
  /** Called with the framework's request (Express `req`, Koa `ctx`) of every request. */
  readonly onRequest?: (frameworkRequest: unknown) => void;
}

export interface ShopFramework {
  readonly name: 'Express 4' | 'Express 5' | 'Koa 2' | 'Koa 3';
  readonly kind: 'express' | 'koa';
  /** The shop: session cookie `user=NAME`, the setup's extras, paymount under `/pay`, 404 for the rest. */
  listener(payments: Payments, setup?: ShopSetup): RequestListener;
}

/** The signed-in user a cookie `user=NAME` gives, as a session middleware would. */
function cookieUser(cookie: string | undefined): string | undefined {
  const match = /(?:^|;\s*)user=([A-Za-z0-9_-]+)/.exec(cookie ?? '');
  return match?.[1];
}

/** The session user from the framework request paymount hands `loadOrder` (Express `req.user`, Koa `ctx.state.user`). */
export function sessionUser(frameworkRequest: unknown): string | undefined {
  const raw = frameworkRequest as { user?: unknown; state?: { user?: unknown } } | undefined;
  const user = raw?.user ?? raw?.state?.user;
  return typeof user === 'string' ? user : undefined;
}

function expressShop(express: typeof express5, payments: Payments, setup: ShopSetup): Express {
  const app = express();
  if (setup.strictRouting) app.set('strict routing', true);
  const session: RequestHandler = (req, _res, next) => {
    (req as { user?: string }).user = cookieUser(req.headers.cookie);
    setup.onRequest?.(req);
    next();
  };
  app.use(session);
  if (setup.swallowBody) app.use((req, _res, next) => void req.on('end', () => next()).resume());
  if (setup.parser === 'json') app.use(express.json());
  if (setup.parser === 'loose-json') app.use(express.json({ strict: false }));
  if (setup.parser === 'text') app.use(express.text({ type: '*/*' }));
  if (setup.guards) {
    app.all('/pay/checkout/:orderId', (req, res, next) => {
      if ((req as { user?: string }).user) next();
      else res.status(401).type('text').send('shop: please sign in');
    });
    app.post('/pay/callback/aaio', (req, res, next) => {
      if (req.headers['x-gateway'] === 'aaio') next();
      else res.status(403).type('text').send('shop: not from the gateway');
    });
  }
  app.use('/pay', expressPaymount(payments));
  // The shop's own error handler: a parser's refusal keeps its status, quietly.
  const shopErrors: ErrorRequestHandler = (error: { status?: number }, _req, res, _next) => {
    res
      .status(error.status ?? 500)
      .type('text')
      .send('shop error');
  };
  app.use(shopErrors);
  return app;
}

function koaShop(KoaClass: typeof koa3, payments: Payments, setup: ShopSetup): Koa {
  const app = new KoaClass();
  // The shop's own error handling: a parser's refusal keeps its status, quietly.
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      ctx.status = (error as { status?: number }).status ?? 500;
      ctx.body = 'shop error';
    }
  });
  app.use(async (ctx, next) => {
    ctx.state['user'] = cookieUser(ctx.get('cookie') || undefined);
    setup.onRequest?.(ctx);
    await next();
  });
  if (setup.swallowBody) {
    app.use(async (ctx, next) => {
      const ended = once(ctx.req, 'end');
      ctx.req.resume();
      await ended;
      await next();
    });
  }
  if (setup.parser === 'json') app.use(bodyParser());
  if (setup.parser === 'loose-json') app.use(bodyParser({ strict: false } as never));
  if (setup.parser === 'text') app.use(bodyParser({ enableTypes: ['json', 'form', 'text'] }));
  if (setup.guards) {
    const router = new Router();
    router.all('/pay/checkout/:orderId', async (ctx, next) => {
      if (ctx.state['user']) return next();
      ctx.status = 401;
      ctx.body = 'shop: please sign in';
    });
    router.post('/pay/callback/aaio', async (ctx, next) => {
      if (ctx.get('x-gateway') === 'aaio') return next();
      ctx.status = 403;
      ctx.body = 'shop: not from the gateway';
    });
    app.use(router.routes());
  }
  app.use(koaPaymount(payments, { prefix: '/pay' }));
  return app;
}

/** Express 4 and 5, Koa 2 and 3: the four frameworks every hardening test runs on. */
export const FRAMEWORKS: readonly ShopFramework[] = [
  { name: 'Express 4', kind: 'express', listener: (p, s = {}) => expressShop(express4, p, s) },
  { name: 'Express 5', kind: 'express', listener: (p, s = {}) => expressShop(express5, p, s) },
  { name: 'Koa 2', kind: 'koa', listener: (p, s = {}) => koaShop(koa2, p, s).callback() },
  { name: 'Koa 3', kind: 'koa', listener: (p, s = {}) => koaShop(koa3, p, s).callback() },
];
