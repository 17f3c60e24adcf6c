import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExpressShop } from '../../../examples/express-shop/src/app.js';
import { createKoaShop } from '../../../examples/koa-shop/src/app.js';
import { launchShop, type RunningShop, type ShopAppFactory } from '../../../examples/shop-kit/src/launch.js';

export type ShopName = 'express' | 'koa';

const FACTORIES: Readonly<Record<ShopName, ShopAppFactory>> = {
  express: createExpressShop,
  koa: (shop) => createKoaShop(shop).callback(),
};

/** A storefront with both sandbox simulators, on a free port, with its data in a fresh temp folder. */
export async function startStorefront(name: ShopName): Promise<RunningShop & { stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), `paymount-${name}-shop-`));
  // An empty environment: the tests never pick up real provider credentials.
  const running = await launchShop({ createApp: FACTORIES[name], port: 0, dataDir, env: {} });
  return {
    ...running,
    async stop() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
