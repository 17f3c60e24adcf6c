import { afterEach, describe, expect, it } from 'vitest';
import { closeShops, startShop } from '../providers/aaio/support.js';
import { registerSdk, type TestSdk } from './sdk.js';

// paymount decides at createPayments what it reports: spans when a tracer provider is
// registered, metrics when a meter provider is, nothing per request when neither is.
// The README asks a shop to register its SDK first; these tests hold paymount to it.

let sdk: TestSdk | undefined;
afterEach(async () => {
  await closeShops();
  await sdk?.shutdown();
  sdk = undefined;
});

const paymountSpans = (s: TestSdk): string[] =>
  s
    .finishedSpans()
    .map((span) => span.name)
    .filter((name) => name.startsWith('paymount.'));
const paymountMetrics = async (s: TestSdk): Promise<string[]> =>
  [...(await s.collect()).keys()].filter((name) => name.startsWith('paymount.'));

/** A checkout paid through the simulator's genuine notification, and its hooks delivered. */
async function payOnce(shop: Awaited<ReturnType<typeof startShop>>, orderId: string): Promise<void> {
  const { payment } = await shop.checkout(orderId, '10.00');
  await shop.sim.pay(payment.id);
  expect((await shop.payments.get(payment.id))?.status).toBe('paid');
  await shop.payments.deliverHooks();
}

describe('what createPayments finds registered', () => {
  it('with no SDK, pays as ever and reports nothing, also to an SDK registered after it', async () => {
    const shop = await startShop();
    await payOnce(shop, 'o-before-sdk');
    sdk = registerSdk();
    await payOnce(shop, 'o-after-sdk');
    expect(paymountSpans(sdk)).toEqual([]);
    expect(await paymountMetrics(sdk)).toEqual([]);
    expect((await shop.payments.health()).providers['aaio']?.lastSuccessAt).not.toBeNull();
  });

  it('with only a tracer provider, records spans and no probe span', async () => {
    sdk = registerSdk({ metrics: false });
    const shop = await startShop();
    await payOnce(shop, 'o-traces-only');
    const names = paymountSpans(sdk);
    expect(names).toEqual(expect.arrayContaining(['paymount.request', 'paymount.hook']));
    expect(names).not.toContain('paymount.probe');
  });

  it('with only a meter provider, records metrics and no span', async () => {
    sdk = registerSdk({ traces: false });
    const shop = await startShop();
    await payOnce(shop, 'o-metrics-only');
    expect(paymountSpans(sdk)).toEqual([]);
    expect(await paymountMetrics(sdk)).toEqual(
      expect.arrayContaining(['paymount.checkouts', 'paymount.callbacks', 'paymount.transitions']),
    );
  });
});
