import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PaymentStore } from '@paymount/core';
import { postgresStore } from '@paymount/postgres';
import { sqliteStore } from '@paymount/sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { adminPool, dropSchema, testPgUrl, uniqueSchema } from '../stores/fixtures/store-test-database.js';
import { startRefundShop, WALLET } from './support.js';

// The same refund, partial then full, through the engine on each durable store: the
// records, the payment's move to refunded and one onRefunded per refund survive a reopen.

const dir = mkdtempSync(join(tmpdir(), 'paymount-refunds-'));
const schemas: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const admin = adminPool();
  for (const schema of schemas) await dropSchema(admin, schema);
  await admin.end();
});

const stores: Record<string, () => { open: () => PaymentStore }> = {
  sqlite: () => {
    const path = join(dir, `refunds-${Math.random().toString(36).slice(2)}.sqlite`);
    return { open: () => sqliteStore({ path }) };
  },
  postgres: () => {
    const schema = uniqueSchema('refunds');
    schemas.push(schema);
    return { open: () => postgresStore({ connectionString: testPgUrl(), schema }) };
  },
};

describe.each(Object.keys(stores))('refunds on the %s store', (name) => {
  it('refunds an Aurpay payment in two parts and keeps it across a reopen', async () => {
    const where = stores[name]!();
    const store = where.open();
    const s = await startRefundShop({ store, aurpaySim: { refundDelayMs: 0, refundAnswerShape: 'list' } });
    try {
      const paid = await s.paidAurpay(`S-${name}`, '20.00');
      await s.payments.refund(paid.id, { amount: '5.00', address: WALLET });
      await s.payments.refund(paid.id, { address: WALLET });
      while (s.aurpaySim.refunds().some((r) => r.status === 'PENDING')) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await s.payments.reconcile({ all: true });
      await s.payments.deliverHooks();
      expect(s.hooks.callsOf('onRefunded')).toHaveLength(2);
      await s.close();
      await store.close();
      const reopened = where.open();
      try {
        expect((await reopened.get(paid.id))?.status).toBe('refunded');
        const refunds = await reopened.listRefunds(paid.id);
        expect(refunds.map((r) => [r.amount, r.status])).toEqual([
          ['5.00', 'succeeded'],
          ['15.00', 'succeeded'],
        ]);
      } finally {
        await reopened.close();
      }
    } finally {
      await s.close().catch(() => {});
    }
  });
});
