// `npm run demo`: a storefront on embedded defaults — SQLite in ./.data, the Aurpay and AAIO
// sandbox simulators on 127.0.0.1 — or on real providers when their credentials are set
// (see .env.example). Express by default; `npm run demo -- --koa` or SHOP_FRAMEWORK=koa for Koa.
import { createExpressShop } from './express-shop/src/app.js';
import { createKoaShop } from './koa-shop/src/app.js';
import { runShop } from './shop-kit/src/run-shop.js';

const koa = process.argv.includes('--koa') || process.env['SHOP_FRAMEWORK']?.toLowerCase() === 'koa';

if (koa) await runShop((shop) => createKoaShop(shop).callback(), 'Koa');
else await runShop(createExpressShop, 'Express');
