// `npx tsx bench/duty-floor.ts`: what a paying AAIO callback's duties cost when written by
// hand with nothing else, next to paymount's engine doing them, in one process, the two
// alternating in batches of 2 000 (CPU per callback, medians of the batches). The duties
// are the ones the callback pairs hold paymount to: decode the form, check the merchant and
// the SHA-256 sign in constant time, find the payment, ask the shop's loadOrder again,
// compare the amount, write the paid payment with its provider order bound, its dedupe key,
// its onPaid job and the journal's callback.accepted (fields copied, sign withheld) and
// status.changed, then deliver onPaid in rounds of 50 with its hook.delivered. No
// validation beyond that, no telemetry, no logging, no store interface: a floor, not a
// design. The engine cannot go below it; how far above it sits is the room there is.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Payment } from '@paymount/core';
import { benchEngine, cpuPerCall, median, notificationBodies, sendNotification } from './engine-fixture.js';
import { AAIO_SHOP, pendingPayment } from './servers/aaio-fixture.js';

const CALLBACKS = 60_000;
const BATCH = 2_000;
const HOOK_ROUND = 50;
const JOURNAL_KEPT = 10_000;

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

const payments = new Map<string, Payment>();
const bindings = new Map<string, string>();
const dedupeKeys = new Map<string, string>();
const jobs = new Map<string, Job>();
let due: Job[] = [];
let journal: Entry[] = [];
let entrySeq = 0;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const loadOrder = async (_orderId: string) => ({ amount: '100.00', currency: 'RUB' });
const onPaid = (_payment: Payment, _context: { idempotencyKey: string; attempt: number }): void => {};

function append(type: string, paymentId: string, at: string, data: Record<string, unknown>): void {
  journal.push({ id: `j${++entrySeq}`, at, type, paymentId, data });
  if (journal.length > 2 * JOURNAL_KEPT) journal = journal.slice(JOURNAL_KEPT);
}

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

/** One paying callback's duties; the answer AAIO gets. */
async function handByHand(body: Uint8Array): Promise<'OK' | 'NO'> {
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
}

function deliverByHand(): void {
  const round = due;
  due = [];
  for (const job of round) {
    onPaid(job.payment, { idempotencyKey: job.id, attempt: 1 });
    job.state = 'done';
    append('hook.delivered', job.payment.id, new Date().toISOString(), { jobId: job.id, attempt: 1 });
  }
}

for (let i = 0; i < CALLBACKS; i++) {
  const payment = pendingPayment(i);
  payments.set(payment.id, payment);
}
const engine = await benchEngine(CALLBACKS);
const bodies = notificationBodies(CALLBACKS);
const floor: number[] = [];
const paymount: number[] = [];
for (let start = 0; start < CALLBACKS; start += BATCH) {
  const byHand = () =>
    cpuPerCall(start, start + BATCH, async (i) => {
      if ((await handByHand(bodies[i]!)) !== 'OK')
        throw new Error('duty-floor: the hand-written callback refused');
      if (i % HOOK_ROUND === HOOK_ROUND - 1) deliverByHand();
    });
  const byEngine = () =>
    cpuPerCall(start, start + BATCH, async (i) => {
      await sendNotification(engine, bodies[i]!);
      if (i % HOOK_ROUND === HOOK_ROUND - 1) await engine.deliverHooks();
    });
  // Alternating which goes first, so neither always meets the other's garbage.
  if ((start / BATCH) % 2 === 0) {
    floor.push(await byHand());
    paymount.push(await byEngine());
  } else {
    paymount.push(await byEngine());
    floor.push(await byHand());
  }
}
await engine.close();
const rounded = (us: number): number => Math.round(us * 10) / 10;
const result = { usByHand: rounded(median(floor)), usEngine: rounded(median(paymount)) };
process.stdout.write(
  `${JSON.stringify({ ...result, engineOverFloor: rounded(result.usEngine / result.usByHand) })}\n`,
);
