import { runShop } from '../../shop-kit/src/run-shop.js';
import { createKoaShop } from './app.js';

await runShop((shop) => createKoaShop(shop).callback(), 'Koa');
