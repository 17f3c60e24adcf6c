import type { Payments } from '@paymount/core';
import { paymount } from '@paymount/express';
import { adapterConformance, type ShopAppOptions } from '@paymount/testing';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import express4 from 'express4';
import express5 from 'express5';

type ExpressFactory = typeof express5;

/** A small shop: its own parsers, routes and error handler around paymount, mounted by `mount`. */
function shopApp(
  express: ExpressFactory,
  options: ShopAppOptions,
  mountPath: string,
  mount: (app: Express) => void,
): Express {
  const app = express();
  app.set('trust proxy', options.trustProxy);
  if (options.swallowBody) {
    const swallow: RequestHandler = (req, _res, next) => {
      req.on('end', () => next()).resume();
    };
    app.use(swallow);
  }
  if (options.bodyParser) app.use(express.json(), express.urlencoded({ extended: false }));
  mount(app);
  app.get('/hello', (_req, res) => {
    res.type('text').send('hello from the shop');
  });
  app.post('/echo', express.json(), (req, res) => {
    res.json({ received: req.body as unknown });
  });
  app.get('/boom', () => {
    throw new Error('shop boom');
  });
  app.get(`${mountPath}/shop-page`, (_req, res) => {
    res.type('text').send('shop page');
  });
  const shopErrorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
    options.onShopError(error);
    res.status(500).json({ handledBy: 'shop' });
  };
  app.use(shopErrorHandler);
  return app;
}

const mounts: ReadonlyArray<{
  label: string;
  mountPath: string;
  mount: (express: ExpressFactory, app: Express, payments: Payments) => void;
}> = [
  { label: 'at the root', mountPath: '', mount: (_e, app, payments) => app.use(paymount(payments)) },
  {
    label: "under '/pay'",
    mountPath: '/pay',
    mount: (_e, app, payments) => app.use('/pay', paymount(payments)),
  },
  {
    label: "under a path with a parameter, '/stores/:store/pay'",
    mountPath: '/stores/acme/pay',
    mount: (_e, app, payments) => app.use('/stores/:store/pay', paymount(payments)),
  },
  {
    label: "inside an express.Router() at '/shop', under '/pay'",
    mountPath: '/shop/pay',
    mount: (express, app, payments) => {
      const router = express.Router();
      router.use('/pay', paymount(payments));
      app.use('/shop', router);
    },
  },
];

for (const [version, express] of [
  ['Express 4', express4],
  ['Express 5', express5],
] as const) {
  for (const { label, mountPath, mount } of mounts) {
    adapterConformance({
      name: `${version} ${label}`,
      mountPath,
      parserKeepsRawBody: false,
      makeApp: (payments, options) =>
        shopApp(express, options, mountPath, (app) => mount(express, app, payments)),
    });
  }
}
