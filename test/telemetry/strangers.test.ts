import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeShops, startShop } from '../providers/aaio/support.js';
import { registerSdk, type TestSdk } from './sdk.js';

// What a stranger sends never becomes an attribute: a provider name in a path, an order id,
// an e-mail. Labels come from closed sets, so an attacker can neither leak text into a
// dashboard nor grow its series without end.

let sdk: TestSdk;
beforeAll(() => {
  sdk = registerSdk();
});
afterAll(async () => {
  await closeShops();
  await sdk.shutdown();
});

describe('attributes from strangers', () => {
  it('names an unconfigured provider `other`, and keeps no order id or e-mail', async () => {
    const shop = await startShop({ payments: { logger: false } });
    const stranger = 'evil.example@mail.test';
    const callback = await fetch(`${shop.publicUrl}/callback/${encodeURIComponent(stranger)}`, {
      method: 'POST',
      body: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(callback.status).toBe(404);
    const checkout = await fetch(
      `${shop.publicUrl}/checkout/o-stranger-7?provider=${encodeURIComponent(stranger)}`,
      {
        headers: { accept: 'application/json' },
      },
    );
    expect(checkout.status).toBeGreaterThanOrEqual(400);
    const requests = sdk.finishedSpans().filter((s) => s.name === 'paymount.request');
    expect(requests.map((s) => s.attributes['paymount.provider'])).toContain('other');
    const metrics = await sdk.collect();
    const checkouts = metrics.get('paymount.checkouts')?.dataPoints.map((p) => p.attributes);
    expect(checkouts).toContainEqual({
      'paymount.provider': 'other',
      'paymount.outcome': 'failed',
      'error.code': 'unknown_provider',
    });
    const blob = JSON.stringify([
      sdk.finishedSpans().map((s) => [s.name, s.attributes, s.status]),
      [...metrics.values()].map((m) => m.dataPoints.map((p) => p.attributes)),
    ]);
    expect(blob).not.toContain('evil');
    expect(blob).not.toContain('o-stranger-7');
  });
});
