import { memoryStore, type PaymentStore, PaymentsError } from '@paymount/core';
import { afterEach, describe, expect, it } from 'vitest';
import { closeShops, startShop } from '../providers/aaio/support.js';

// payments.health() for readiness probes: the store's answer (bounded by a timeout), the
// hook backlog, dead hooks, and when each provider's API last answered well.

afterEach(closeShops);

describe('payments.health()', () => {
  it('reports a reachable store, the hook backlog with its age, dead hooks and the last provider success', async () => {
    let clock = Date.parse('2026-05-01T12:00:00Z');
    const shop = await startShop({
      now: () => new Date(clock),
      payments: {
        hooks: {
          onPaid: () => {
            throw new Error('the shop database is down');
          },
        },
        hookDelivery: { pollIntervalMs: 0, maxAttempts: 1 },
        logger: false,
      },
    });
    const before = await shop.payments.health();
    expect(before).toMatchObject({
      ok: true,
      store: { reachable: true, error: null },
      hooks: { pending: 0, dead: 0, oldestPendingAgeMs: null },
      providers: { aaio: { lastSuccessAt: null, sinceLastSuccessMs: null } },
    });
    expect(before.checkedAt).toBe('2026-05-01T12:00:00.000Z');

    const { payment } = await shop.checkout('o-health', '10.00');
    await shop.sim.pay(payment.id);
    clock += 90_000;
    const backlog = await shop.payments.health();
    expect(backlog.hooks).toEqual({ pending: 1, dead: 0, oldestPendingAgeMs: 90_000 });
    const aaio = backlog.providers['aaio'];
    expect(aaio?.lastSuccessAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(aaio?.sinceLastSuccessMs).toBeGreaterThanOrEqual(0);

    await shop.payments.deliverHooks();
    expect((await shop.payments.health()).hooks).toEqual({ pending: 0, dead: 1, oldestPendingAgeMs: null });
  });

  it('reports an unreachable store as not ok, with its error code', async () => {
    const down: PaymentStore = {
      ...memoryStore(),
      countHookJobs: () => Promise.reject(new PaymentsError('store_unavailable', 'The database is down.')),
    };
    const shop = await startShop({ payments: { store: down } });
    expect(await shop.payments.health()).toMatchObject({
      ok: false,
      store: { reachable: false, error: 'store_unavailable' },
      hooks: null,
    });
  });

  it('answers within its timeout when the store hangs', async () => {
    const hanging: PaymentStore = { ...memoryStore(), countHookJobs: () => new Promise(() => {}) };
    const shop = await startShop({ payments: { store: hanging } });
    expect(await shop.payments.health({ timeoutMs: 20 })).toMatchObject({
      ok: false,
      store: { reachable: false, error: 'store_timeout' },
      hooks: null,
    });
  });
});
