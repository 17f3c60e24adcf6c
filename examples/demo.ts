// `npm run demo`: a storefront on embedded defaults — SQLite in ./.data, the Aurpay and AAIO
// sandbox simulators on 127.0.0.1 — or on real providers when their credentials are set
// (see .env.example). Express by default; `npm run demo -- --koa` or SHOP_FRAMEWORK=koa for Koa.
// The operator console is at /admin/payments, behind a token printed at start.
// paymount's metrics are on /metrics (Prometheus text format) and its health on /healthz.
import { randomBytes } from 'node:crypto';
import { createConsole } from '@paymount/console';
import { createExpressShop } from './express-shop/src/app.js';
import { createKoaShop } from './koa-shop/src/app.js';
import { demoAuthorize, demoSignIn } from './shop-kit/src/console-login.js';
import { prometheusMetrics, withObservability } from './shop-kit/src/observability.js';
import { runShop } from './shop-kit/src/run-shop.js';
import type { Shop } from './shop-kit/src/shop.js';

const koa = process.argv.includes('--koa') || process.env['SHOP_FRAMEWORK']?.toLowerCase() === 'koa';
// Before the shop creates paymount: its instruments are made on the meter registered then.
const metrics = prometheusMetrics();

const CONSOLE_PATH = '/admin/payments';
// A new token each start unless PAYMOUNT_CONSOLE_TOKEN is set; it is the only way in.
const token = process.env['PAYMOUNT_CONSOLE_TOKEN'] || randomBytes(18).toString('base64url');

/** The console and its sign-in page, by mount path, for the shop app. */
function consoleMounts(shop: Shop) {
  const ops = createConsole(shop.payments, {
    authorize: demoAuthorize(token),
    title: 'Demo shop payments',
    signInUrl: '/admin/login',
  });
  return { [CONSOLE_PATH]: ops, '/admin/login': demoSignIn(token, CONSOLE_PATH) };
}

const notes = (url: string) => [
  `console         ${url}${CONSOLE_PATH}/`,
  `                sign in at ${url}/admin/login with the token ${token}`,
  `                (or: curl -H 'Authorization: Bearer ${token}' ${url}${CONSOLE_PATH}/)`,
];

if (koa)
  await runShop(
    withObservability((shop) => createKoaShop(shop, consoleMounts(shop)).callback(), metrics),
    'Koa',
    notes,
  );
else
  await runShop(
    withObservability((shop) => createExpressShop(shop, consoleMounts(shop)), metrics),
    'Express',
    notes,
  );
