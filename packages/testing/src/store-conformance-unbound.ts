import type { Payment, PaymentStore } from '@paymount/core/store';
import { expect, it } from 'vitest';
import { samplePayment } from './store-samples.js';

const MINUTE = 60_000;

/**
 * `findUnbound`: the live payments without a provider reference that a provider's search
 * of its own order list looks for (Aurpay's lost first callbacks).
 */
export function unboundCases(current: () => PaymentStore): void {
  it('finds the live payments of a provider that hold no provider reference, newest first, since a time', async () => {
    const store = current();
    const provider = `sweep-${Math.random().toString(36).slice(2, 8)}`;
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * MINUTE).toISOString();
    const make = async (minutesAgo: number, overrides: Partial<Payment> = {}): Promise<Payment> => {
      const p = samplePayment({ provider, createdAt: at(minutesAgo), updatedAt: at(minutesAgo) });
      await store.createOrReuse(p, 0);
      if (Object.keys(overrides).length === 0) return p;
      const next = { ...p, ...overrides, version: 2 };
      expect(await store.transition({ payment: next, expectedVersion: 1, jobs: [] })).toBe(true);
      return next;
    };
    const old = await make(30);
    const pending = await make(20, { status: 'pending', payUrl: 'https://pay.example/1' });
    const created = await make(10);
    await make(15, { status: 'pending', providerRef: `REF-${provider}` });
    await make(12, { status: 'expired' });
    await store.createOrReuse(samplePayment({ provider: `${provider}-other` }), 0);

    const found = await store.findUnbound(provider, at(25), 10);
    expect(found.map((p) => p.id)).toEqual([created.id, pending.id]);
    expect(found[1]).toEqual(pending);
    expect((await store.findUnbound(provider, at(60), 10)).map((p) => p.id)).toEqual([
      created.id,
      pending.id,
      old.id,
    ]);
    expect((await store.findUnbound(provider, at(60), 2)).map((p) => p.id)).toEqual([created.id, pending.id]);
    expect(await store.findUnbound(provider, at(5), 10)).toEqual([]);
  });
}
