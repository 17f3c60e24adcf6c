// `npm run demo`: a storefront on embedded defaults — SQLite in ./.data, the Aurpay and AAIO
// sandbox simulators on 127.0.0.1 — or on real providers when their credentials are set
// (see .env.example). Express by default; `npm run demo -- --koa` or SHOP_FRAMEWORK=koa for Koa.
// paymount's metrics are on /metrics (Prometheus text format) and its health on /healthz.
import { createExpressShop } from './express-shop/src/app.js';
import { createKoaShop } from './koa-shop/src/app.js';
import { prometheusMetrics, withObservability } from './shop-kit/src/observability.js';
import { runShop } from './shop-kit/src/run-shop.js';

const koa = process.argv.includes('--koa') || process.env['SHOP_FRAMEWORK']?.toLowerCase() === 'koa';
// Before the shop creates paymount: its instruments are made on the meter registered then.
const metrics = prometheusMetrics();

if (koa)
  await runShop(
    withObservability((shop) => createKoaShop(shop).callback(), metrics),
    'Koa',
  );
else await runShop(withObservability(createExpressShop, metrics), 'Express');
