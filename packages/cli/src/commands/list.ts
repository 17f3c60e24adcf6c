import { PAYMENT_STATUSES, type Payment, type PaymentListQuery, type PaymentStatus } from '@paymount/core';
import { usageError } from '../exit-codes.js';
import { cell, table, time } from '../format.js';
import { type Command, printJson } from './command.js';

const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: an ISO 8601 date or time, or a span back from now (`30m`, `24h`, `7d`). */
export function sinceOf(value: string, now = Date.now()): string {
  const span = /^(\d+)([mhd])$/.exec(value.trim());
  if (span) return new Date(now - Number(span[1]) * UNITS[span[2]!]!).toISOString();
  const at = Date.parse(value);
  if (Number.isNaN(at))
    throw usageError(`--since must be a date (2026-12-01), a time, or a span (30m, 24h, 7d): ${value}`);
  return new Date(at).toISOString();
}

function statusesOf(values: readonly string[] | undefined): PaymentStatus[] | undefined {
  if (!values || values.length === 0) return undefined;
  const statuses = values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const status of statuses) {
    if (!PAYMENT_STATUSES.includes(status as PaymentStatus)) {
      throw usageError(`--status must be one of ${PAYMENT_STATUSES.join(', ')}: ${status}`);
    }
  }
  return statuses as PaymentStatus[];
}

function limitOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1)
    throw usageError(`--limit must be a whole number from 1: ${value}`);
  return limit;
}

/** A payment's status as one word, with its anomaly. */
export const statusText = (p: Payment): string => (p.anomaly ? `${p.status} (${p.anomaly})` : p.status);

/** A payment's amount and what arrived, when that differs. */
export const amountText = (p: Payment): string => {
  const asked = `${p.amount} ${p.currency}`;
  if (p.paidAmount === null) return asked;
  const paid = `${p.paidAmount} ${p.paidCurrency ?? ''}`.trim();
  return paid === asked ? asked : `${asked} (paid ${paid})`;
};

export const list: Command = {
  name: 'list',
  summary: 'payments, newest first',
  usage: '[--status S[,S]] [--provider P] [--order ID] [--since 24h|DATE] [--limit N] [--cursor C] [--json]',
  options: {
    status: { type: 'string', multiple: true },
    provider: { type: 'string' },
    order: { type: 'string' },
    since: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
  },
  async run(context) {
    const { values } = context;
    const order = values['order'] as string | undefined;
    const status = statusesOf(values['status'] as string[] | undefined);
    const query: PaymentListQuery = {
      ...(status ? { status } : {}),
      ...(values['provider'] ? { provider: values['provider'] as string } : {}),
      ...(order ? { search: order } : {}),
      ...(values['since'] ? { createdSince: sinceOf(values['since'] as string) } : {}),
      ...(values['cursor'] ? { cursor: values['cursor'] as string } : {}),
    };
    const limit = limitOf(values['limit'] as string | undefined);
    const page = await context.payments.list(limit === undefined ? query : { ...query, limit });
    // The search also matches payment ids and provider references: --order means the order id.
    const payments = order ? page.payments.filter((p) => p.orderId === order) : page.payments;
    if (context.json) {
      printJson(context, { payments, nextCursor: page.nextCursor });
      return;
    }
    if (payments.length === 0) {
      context.output.err('No payments match.');
      return;
    }
    const rows = payments.map((p) => [
      p.id,
      cell(p.orderId, 40),
      cell(p.provider, 20),
      statusText(p),
      cell(amountText(p), 48),
      time(p.createdAt),
    ]);
    for (const line of table(['PAYMENT', 'ORDER', 'PROVIDER', 'STATUS', 'AMOUNT', 'CREATED'], rows))
      context.output.out(line);
    if (page.nextCursor) context.output.err(`More: add --cursor ${page.nextCursor}`);
  },
};
