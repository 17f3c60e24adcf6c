import { runShop } from '../../shop-kit/src/run-shop.js';
import { createExpressShop } from './app.js';

await runShop(createExpressShop, 'Express');
