// A paying AAIO callback's duties written by hand with nothing else: decode the form, check
// the merchant and the SHA-256 sign in constant time, find the payment, ask the shop's
// loadOrder again, compare the amount, write the paid payment with its provider order bound,
// its dedupe key, its onPaid job and the journal's callback.accepted (fields copied, sign
// withheld) and status.changed; and deliver onPaid with its hook.delivered. No validation
// beyond that, no telemetry, no logging, no store interface: a floor, not a design. The
// duty-floor measure and the bench's duty-floor pair hold paymount's engine to it.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Payment } from '@paymount/core';
import { AAIO_SHOP, pendingPayment } from './aaio-fixture.js';

const JOURNAL_KEPT = 10_000;
/** Callbacks per onPaid round, as the engine's hook delivery claims them in batches of 50. */
export const HOOK_ROUND = 50;

interface Job {
  readonly id: string;
  readonly payment: Payment;
  state: 'pending' | 'done';
}

interface Entry {
  readonly id: string;
  readonly at: string;
  readonly type: string;
  readonly paymentId: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The duties by hand over `count` pending payments: `handle` answers AAIO, `deliver` runs a hook round. */
export interface HandDuties {
  handle(body: Uint8Array): Promise<'OK' | 'NO'>;
  deliver(): void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const loadOrder = async (_orderId: string) => ({ amount: '100.00', currency: 'RUB' });
const onPaid = (_payment: Payment, _context: { idempotencyKey: string; attempt: number }): void => {};

function formFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq);
    let value = part.slice(eq + 1);
    if (value.includes('+')) value = value.replaceAll('+', ' ');
    if (value.includes('%')) value = decodeURIComponent(value);
    if (!Object.hasOwn(fields, name)) fields[name] = value;
  }
  return fields;
}

function signMatches(fields: Record<string, string>): boolean {
  const expected = createHash('sha256')
    .update(
      `${fields['merchant_id']}:${fields['amount']}:${fields['currency']}:${AAIO_SHOP.secret2}:${fields['order_id']}`,
    )
    .digest('hex');
  const sign = fields['sign'] ?? '';
  return sign.length === expected.length && timingSafeEqual(Buffer.from(expected), Buffer.from(sign));
}

/** Fresh state with `count` pending payments, the ones the bench's notifications name. */
export function handDuties(count: number): HandDuties {
  const payments = new Map<string, Payment>();
  const bindings = new Map<string, string>();
  const dedupeKeys = new Map<string, string>();
  const jobs = new Map<string, Job>();
  let due: Job[] = [];
  let journal: Entry[] = [];
  let entrySeq = 0;
  for (let i = 0; i < count; i++) {
    const payment = pendingPayment(i);
    payments.set(payment.id, payment);
  }
  const append = (type: string, paymentId: string, at: string, data: Record<string, unknown>): void => {
    journal.push({ id: `j${++entrySeq}`, at, type, paymentId, data });
    if (journal.length > 2 * JOURNAL_KEPT) journal = journal.slice(JOURNAL_KEPT);
  };
  return {
    async handle(body) {
      const fields = formFields(utf8.decode(body));
      if (fields['merchant_id'] !== AAIO_SHOP.merchantId || !signMatches(fields)) return 'NO';
      const payment = payments.get(fields['order_id'] ?? '');
      if (!payment || payment.status !== 'pending') return 'NO';
      const order = await loadOrder(payment.orderId);
      if (order.amount !== payment.amount || fields['amount'] !== payment.amount) return 'NO';
      const at = new Date().toISOString();
      const invoice = fields['invoice_id'] ?? '';
      const paid: Payment = {
        ...payment,
        status: 'paid',
        providerRef: invoice,
        providerStatus: fields['status'] ?? null,
        paidAmount: fields['amount'] ?? null,
        paidCurrency: fields['currency'] ?? null,
        paidAt: at,
        updatedAt: at,
        version: payment.version + 1,
      };
      const kept: Record<string, string> = {};
      for (const name in fields) kept[name] = name === 'sign' ? '[withheld]' : (fields[name] ?? '');
      append('callback.accepted', paid.id, at, { fields: { query: {}, body: kept } });
      append('status.changed', paid.id, at, { from: payment.status, to: paid.status });
      bindings.set(invoice, paid.id);
      dedupeKeys.set(`aaio:${invoice}:${fields['status']}`, paid.id);
      payments.set(paid.id, paid);
      const job: Job = { id: `${paid.id}:paid:onPaid`, payment: paid, state: 'pending' };
      jobs.set(job.id, job);
      due.push(job);
      return 'OK';
    },
    deliver() {
      const round = due;
      due = [];
      for (const job of round) {
        onPaid(job.payment, { idempotencyKey: job.id, attempt: 1 });
        job.state = 'done';
        append('hook.delivered', job.payment.id, new Date().toISOString(), { jobId: job.id, attempt: 1 });
      }
    },
  };
}
