import type { HookJob, JournalEntry, Payment } from '@paymount/core';
import { CliError, EXIT } from '../exit-codes.js';
import { cell, fields, table, time } from '../format.js';
import { type Command, printJson } from './command.js';
import { amountText, statusText } from './list.js';
import { refundLines } from './refunds-view.js';

/** The payment a command names, or exit 3. */
export async function paymentNamed(context: Parameters<Command['run']>[0], id: string): Promise<Payment> {
  const payment = await context.payments.get(id);
  if (!payment) throw new CliError(EXIT.notFound, `There is no payment ${cell(id)}.`);
  return payment;
}

/** What an entry says, in one line: the fields a person looks for first. */
function summary(entry: JournalEntry): string {
  const d = entry.data as Record<string, unknown>;
  switch (entry.type) {
    case 'status.changed':
      return `${d['from']} → ${d['to']}${d['anomaly'] ? ` (${d['anomaly']})` : ''}`;
    case 'callback.refused':
      return `${d['code']}: ${d['reason']}`;
    case 'callback.accepted':
      return `${d['event']}${d['duplicate'] ? ' (duplicate)' : ''}`;
    case 'provider.checked': {
      const answer = d['answer'] as Record<string, unknown> | null;
      return `${d['why']}: ${answer ? `${answer['status']}${answer['providerStatus'] ? ` / ${answer['providerStatus']}` : ''}` : 'no answer'}`;
    }
    case 'refund.requested':
    case 'refund.succeeded':
    case 'refund.failed':
      return `${d['refundId']}: ${d['amount']} ${d['currency']}${d['error'] ? ` — ${d['error']}` : ''}`;
    case 'operator.action':
      return `${d['who']}: ${d['what']}${d['note'] ? ` — ${d['note']}` : ''}`;
    default:
      return d['hook'] ? `${d['hook']}${d['error'] ? `: ${d['error']}` : ''}` : JSON.stringify(d);
  }
}

function paymentLines(p: Payment): string[] {
  return fields([
    ['payment', p.id],
    ['order', cell(p.orderId)],
    ['provider', cell(p.provider)],
    ['status', statusText(p)],
    ['amount', cell(amountText(p))],
    ['provider ref', cell(p.providerRef)],
    ['provider status', cell(p.providerStatus)],
    ['description', cell(p.description)],
    ['created', time(p.createdAt)],
    ['updated', time(p.updatedAt)],
    ['paid', time(p.paidAt)],
  ]);
}

function jobRows(jobs: readonly HookJob[]): string[][] {
  return jobs.map((j) => [j.id, j.hook, j.state, String(j.attempts), cell(j.lastError, 60)]);
}

export const show: Command = {
  name: 'show',
  summary: 'a payment, its journal, its hook jobs and its refunds',
  usage: '<paymentId> [--json]',
  args: ['paymentId'],
  async run(context) {
    const payment = await paymentNamed(context, context.args['paymentId']!);
    const [journal, hookJobs, refunds, refundTotals] = await Promise.all([
      context.payments.history(payment.id),
      context.payments.listHookJobs({ paymentId: payment.id }),
      context.payments.refunds(payment.id),
      context.payments.refundTotals(payment.id),
    ]);
    if (context.json) {
      printJson(context, { payment, journal, hookJobs, refunds, refundTotals });
      return;
    }
    const out = (line: string) => context.output.out(line);
    for (const line of paymentLines(payment)) out(line);
    out('');
    out(`Journal (${journal.length}):`);
    const entries = journal.map((e) => [time(e.at), e.type, cell(summary(e), 100)]);
    for (const line of table(['AT', 'TYPE', 'WHAT'], entries)) out(`  ${line}`);
    out('');
    out(`Hook jobs (${hookJobs.length}):`);
    if (hookJobs.length > 0)
      for (const line of table(['JOB', 'HOOK', 'STATE', 'ATTEMPTS', 'LAST ERROR'], jobRows(hookJobs)))
        out(`  ${line}`);
    out('');
    out(`Refunds (${refunds.length}):`);
    for (const line of refundLines(refunds, refundTotals)) out(`  ${line}`);
  },
};
