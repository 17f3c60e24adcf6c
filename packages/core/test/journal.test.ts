import { describe, expect, it } from 'vitest';
import { createPayments, memoryStore, type PaymentsOptions } from '../src/index.js';
import { testProvider } from '../src/testing.js';

const SECRET = 'journal-unit-secret-0123456789abcdef';
const TOKEN = 'journal-unit-provider-token';

function options(store = memoryStore()): PaymentsOptions {
  return {
    publicUrl: 'https://shop.example/pay',
    secret: SECRET,
    store,
    providers: { test: testProvider({ token: TOKEN }) },
    loadOrder: async () => ({ amount: '10.00', currency: 'USD', email: 'buyer@example.test' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/failed' },
    hookDelivery: { pollIntervalMs: 0 },
    logger: false,
  };
}

describe('the journal', () => {
  it('keeps what a callback carried without secrets, e-mail addresses or credential fields', async () => {
    const payments = createPayments(options());
    try {
      const { payment } = await payments.checkout({ orderId: 'j-unit-1' });
      await payments.handle({
        method: 'POST',
        path: '/callback/test',
        headers: { 'content-type': 'application/json', 'x-test-token': 'wrong' },
        body: JSON.stringify({
          paymentId: payment.id,
          status: 'paid',
          sign: 'abcdef0123456789',
          note: `leaked ${SECRET} and ${TOKEN}`,
          payer: 'someone@example.test',
          long: 'x'.repeat(10_000),
        }),
      });
      const [refused] = (await payments.journal({ type: 'callback.refused' })).entries;
      const text = JSON.stringify(refused);
      expect(refused?.paymentId).toBe(payment.id);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('abcdef0123456789');
      expect(text).not.toContain('someone@example.test');
      expect(text.length).toBeLessThan(6_000);
      const fields = (refused!.data['fields'] as { body: Record<string, unknown> }).body;
      expect(fields['sign']).toBe('[withheld]');
      expect(fields['status']).toBe('paid');
      const history = JSON.stringify(await payments.history(payment.id));
      expect(history).not.toContain('buyer@example.test');
    } finally {
      await payments.close();
    }
  });

  it('keeps fields named like Object.prototype members as the fields they are', async () => {
    const payments = createPayments(options());
    try {
      const { payment } = await payments.checkout({ orderId: 'j-unit-proto' });
      await payments.handle({
        method: 'POST',
        path: '/callback/test',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-test-token': 'wrong' },
        body: `paymentId=${payment.id}&status=paid&__proto__=polluted&constructor=kept&toString=too`,
      });
      const [refused] = (await payments.journal({ type: 'callback.refused' })).entries;
      const fields = (refused!.data['fields'] as { body: Record<string, unknown> }).body;
      expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
      expect(Object.entries(fields)).toEqual(
        expect.arrayContaining([
          ['__proto__', 'polluted'],
          ['constructor', 'kept'],
          ['toString', 'too'],
        ]),
      );
    } finally {
      await payments.close();
    }
  });

  it('in the memory store keeps the newest entries only, as many as it was told', async () => {
    const payments = createPayments(options(memoryStore({ journalEntries: 5 })));
    try {
      for (let i = 0; i < 4; i++) await payments.checkout({ orderId: `j-cap-${i}` });
      const page = await payments.journal({ limit: 50 });
      expect(page.entries).toHaveLength(5);
      expect(page.entries[0]?.type).toBe('status.changed');
      expect(page.entries.every((e) => e.data['orderId'] !== 'j-cap-0')).toBe(true);
    } finally {
      await payments.close();
    }
  });

  it('prunes entries older than journal.retainDays', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const payments = createPayments({ ...options(), journal: { retainDays: 30 }, now: () => now });
    try {
      await payments.checkout({ orderId: 'j-old' });
      now = new Date('2026-03-01T00:00:00Z');
      await payments.checkout({ orderId: 'j-new' });
      expect(await payments.pruneJournal()).toBe(2);
      const left = (await payments.journal()).entries.map((e) => e.data['orderId'] ?? e.type);
      expect(left).not.toContain('j-old');
    } finally {
      await payments.close();
    }
  });
});
