import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeShops, startShop } from '../providers/aaio/support.js';
import { registerSdk, type TestSdk } from './sdk.js';

// `telemetry: false` keeps paymount out of a shop's traces and metrics even with an SDK
// registered; the payment itself goes on as ever.

let sdk: TestSdk;
beforeAll(() => {
  sdk = registerSdk();
});
afterAll(async () => {
  await closeShops();
  await sdk.shutdown();
});

describe('telemetry: false', () => {
  it('records no paymount span or metric, and pays as ever', async () => {
    const shop = await startShop({ payments: { telemetry: false } });
    const { payment } = await shop.checkout('o-quiet', '10.00');
    await shop.sim.pay(payment.id);
    expect((await shop.payments.get(payment.id))?.status).toBe('paid');
    await shop.payments.deliverHooks();
    expect(sdk.finishedSpans().filter((s) => s.name.startsWith('paymount.'))).toEqual([]);
    const metrics = await sdk.collect();
    expect([...metrics.keys()].filter((name) => name.startsWith('paymount.'))).toEqual([]);
    // health() still knows when the provider last answered.
    expect((await shop.payments.health()).providers['aaio']?.lastSuccessAt).not.toBeNull();
  });
});
