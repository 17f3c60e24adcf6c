import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPayments,
  type JournalEntry,
  memoryStore,
  type PaymentStore,
  type Payments,
} from '@paymount/core';
import { testProvider } from '@paymount/core/testing';
import { postgresStore } from '@paymount/postgres';
import { sqliteStore } from '@paymount/sqlite';
import { type PlainShop, startPlainShop } from '@paymount/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { adminPool, dropSchema, testPgUrl, uniqueSchema } from '../stores/fixtures/store-test-database.js';

// A payment's journal tells its whole story, on every store: the checkout, a forged
// callback refused with its code, the genuine callback, its duplicate, pending → paid,
// a hook that threw twice and then succeeded, a dead hook replayed. A callback for a
// payment nobody knows is in the journal with a null payment id.

const TOKEN = 'journal-test-token';
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const stores: ReadonlyArray<{ name: string; make: () => Promise<PaymentStore> }> = [
  { name: 'memory', make: async () => memoryStore() },
  {
    name: 'SQLite',
    make: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'paymount-journal-'));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      return sqliteStore({ path: join(dir, 'payments.sqlite') });
    },
  },
  {
    name: 'PostgreSQL',
    make: async () => {
      const schema = uniqueSchema('journal');
      cleanups.push(async () => {
        const admin = adminPool();
        await dropSchema(admin, schema);
        await admin.end();
      });
      return postgresStore({ connectionString: testPgUrl(), schema });
    },
  },
];

async function shopOn(store: PaymentStore): Promise<{ shop: PlainShop; payments: Payments }> {
  const shop = await startPlainShop();
  let paidFailures = 2;
  const payments = createPayments({
    publicUrl: shop.publicUrl,
    secret: 'journal-test-secret-0123456789abcdef',
    store,
    providers: { test: testProvider({ token: TOKEN }) },
    loadOrder: async () => ({ amount: '10.00', currency: 'USD' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/failed' },
    hooks: {
      onPaid: () => {
        if (paidFailures-- > 0) throw new Error('the shop database is busy');
      },
      onStatusChange: (payment) => {
        if (payment.status === 'paid' && !replayed) throw new Error('the mailer is down');
      },
    },
    hookDelivery: { pollIntervalMs: 0, baseDelayMs: 0, maxAttempts: 3 },
    logger: false,
  });
  shop.attach(payments);
  return { shop, payments };
}
let replayed = false;

const post = (shop: PlainShop, fields: Record<string, string>, token = TOKEN) =>
  fetch(`${shop.publicUrl}/callback/test`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-token': token },
    body: JSON.stringify(fields),
  });

for (const { name, make } of stores) {
  describe(`the journal on ${name}`, () => {
    it("tells one payment's story in order, and files an unknown payment's callback under null", async () => {
      const store = await make();
      const { shop, payments } = await shopOn(store);
      replayed = false;
      try {
        const checkout = await fetch(`${shop.publicUrl}/checkout/j-1?format=json`);
        const { paymentId } = (await checkout.json()) as { paymentId: string };
        const paid = { paymentId, status: 'paid', amount: '10.00', currency: 'USD' };
        expect((await post(shop, paid, 'forged-token')).status).toBe(401);
        expect((await post(shop, paid)).status).toBe(200);
        expect((await post(shop, paid)).status).toBe(200);
        for (let round = 0; round < 4; round++) await payments.deliverHooks();
        const dead = await payments.listHookJobs({ state: 'dead', paymentId });
        expect(dead.map((job) => job.hook)).toEqual(['onStatusChange']);
        replayed = true;
        expect(await payments.replayHook(dead[0]!.id)).toBe(true);
        await payments.deliverHooks();
        expect((await post(shop, { ...paid, paymentId: 'pm_nobodyknowsthisone' })).status).toBe(404);

        const story = (await payments.history(paymentId)).map(describeEntry);
        // The order that matters, whatever the interleaving of the two hooks' attempts:
        const at = (line: string) => story.indexOf(line);
        for (const line of [
          'checkout.created',
          'callback.refused callback_unauthorized',
          'callback.accepted paid',
          'status.changed pending→paid',
          'hook.failed onPaid→paid #1',
          'hook.failed onPaid→paid #2',
          'hook.delivered onPaid→paid #3',
          'hook.dead onStatusChange→paid',
          'callback.accepted paid (duplicate)',
          'hook.replayed onStatusChange',
          'hook.delivered onStatusChange→paid #1',
        ]) {
          expect(at(line), `${line} in ${story.join(' | ')}`).toBeGreaterThanOrEqual(0);
        }
        expect(at('checkout.created')).toBeLessThan(at('callback.refused callback_unauthorized'));
        expect(at('callback.refused callback_unauthorized')).toBeLessThan(at('callback.accepted paid'));
        expect(at('callback.accepted paid')).toBeLessThan(at('status.changed pending→paid'));
        expect(at('status.changed pending→paid')).toBeLessThan(at('hook.failed onPaid→paid #1'));
        expect(at('hook.failed onPaid→paid #2')).toBeLessThan(at('hook.delivered onPaid→paid #3'));
        expect(at('hook.dead onStatusChange→paid')).toBeLessThan(at('hook.replayed onStatusChange'));
        expect(at('hook.replayed onStatusChange')).toBeLessThan(at('hook.delivered onStatusChange→paid #1'));

        const refused = await payments.journal({ type: 'callback.refused' });
        const orphan = refused.entries.find((e) => e.data['code'] === 'payment_not_found');
        expect(orphan?.paymentId).toBeNull();
        expect(orphan?.provider).toBe('test');
        const forged = refused.entries.find((e) => e.data['code'] === 'callback_unauthorized');
        expect(JSON.stringify(forged)).not.toContain(TOKEN);
      } finally {
        await payments.close();
        await shop.close();
        await store.close();
      }
    });
  });
}

/** One line per entry: its type and what tells entries of that type apart. */
function describeEntry(entry: JournalEntry): string {
  const d = entry.data as Record<string, unknown>;
  switch (entry.type) {
    case 'status.changed':
      return `status.changed ${d['from']}→${d['to']}`;
    case 'callback.refused':
      return `callback.refused ${d['code']}`;
    case 'callback.accepted':
      return `callback.accepted ${d['event']}${d['duplicate'] ? ' (duplicate)' : ''}`;
    case 'hook.failed':
    case 'hook.delivered':
      return `${entry.type} ${d['hook']}→${d['to']} #${d['attempt']}`;
    case 'hook.dead':
      return `${entry.type} ${d['hook']}→${d['to']}`;
    case 'hook.replayed':
      return `${entry.type} ${d['hook']}`;
    default:
      return entry.type;
  }
}
