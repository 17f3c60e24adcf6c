// The soak's final check: what the simulators say was paid, against what paymount stored
// and what the shop's onPaid recorded.
import type { AaioSimulator, AurpaySimulator } from '@paymount/sandbox';
import type pg from 'pg';
import { onPaidByPayment, readOnPaid } from '../faults/support/shop-process.js';

export interface Verdict {
  /** Payments the buyer paid at the provider (the simulators' truth). */
  readonly paidAtProviders: number;
  /** Of those, paid in paymount with their onPaid done. */
  readonly settled: number;
  /** Paid at the provider, yet not paid in paymount with onPaid done: must be none. */
  readonly lost: readonly string[];
  /** Paid in paymount, but the provider never took the money: must be none. */
  readonly paidWithoutMoney: readonly string[];
  /** Payments whose onPaid ran more than once with its one idempotency key (allowed). */
  readonly hooksTwiceSameKey: number;
  /** Payments whose onPaid ran with different keys (never allowed). */
  readonly hooksTwiceDifferentKeys: number;
}

/** Payment ids the simulators consider paid. */
export function paidAtProviders(aurpay: AurpaySimulator, aaio: AaioSimulator): Set<string> {
  const paid = new Set<string>();
  for (const order of aaio.orders.values()) {
    if (order.status === 'success' || order.status === 'hold') paid.add(order.orderId);
  }
  for (const order of aurpay.orders.values()) {
    if (order.info.status !== 'SUCCESS' && order.info.status !== 'RESOLVED') continue;
    // paymount names its payment in the callback URL it gave Aurpay (`pm`).
    const paymentId = order.callbackUrl ? new URL(order.callbackUrl).searchParams.get('pm') : null;
    if (paymentId) paid.add(paymentId);
  }
  return paid;
}

export async function judge(
  admin: pg.Client,
  schema: string,
  paidThere: ReadonlySet<string>,
  recordFile: string,
): Promise<Verdict> {
  const payments = await admin.query<{ id: string; status: string }>(
    `SELECT id, status FROM "${schema}".payments`,
  );
  const done = await admin.query<{ payment_id: string }>(
    `SELECT payment_id FROM "${schema}".hook_jobs WHERE hook = 'onPaid' AND state = 'done'`,
  );
  const status = new Map(payments.rows.map((row) => [row.id, row.status]));
  const jobDone = new Set(done.rows.map((row) => row.payment_id));
  const calls = onPaidByPayment(readOnPaid(recordFile));
  const lost = [...paidThere].filter((id) => status.get(id) !== 'paid' || !jobDone.has(id) || !calls.has(id));
  const paidWithoutMoney = [...status]
    .filter(([id, s]) => s === 'paid' && !paidThere.has(id))
    .map(([id]) => id);
  const twice = [...calls.values()].filter((c) => c.calls > 1);
  return {
    paidAtProviders: paidThere.size,
    settled: paidThere.size - lost.length,
    lost,
    paidWithoutMoney,
    hooksTwiceSameKey: twice.filter((c) => c.keys === 1).length,
    hooksTwiceDifferentKeys: [...calls.values()].filter((c) => c.keys > 1).length,
  };
}
