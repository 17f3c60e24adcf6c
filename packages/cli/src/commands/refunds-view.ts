import type { Refund, RefundTotals } from '@paymount/core';
import { cell, fields, table, time } from '../format.js';

/** One refund in one line: what a refund command prints. */
export function refundLine(refund: Refund): string {
  const ref = refund.providerRef ? ` (ref ${cell(refund.providerRef)})` : '';
  return `${refund.id}: ${refund.amount} ${refund.currency} ${refund.status}${ref}`;
}

/** A payment's refunds and totals, as `show` prints them. */
export function refundLines(refunds: readonly Refund[], totals: RefundTotals): string[] {
  const lines = fields([
    ['paid', `${totals.paid} ${totals.currency}`],
    ['refunded', `${totals.refunded} ${totals.currency}`],
    ['reserved', `${totals.pending} ${totals.currency}`],
    ['refundable', `${totals.refundable} ${totals.currency}`],
  ]);
  if (refunds.length === 0) return lines;
  const rows = refunds.map((r) => [
    r.id,
    `${r.amount} ${r.currency}`,
    r.status,
    r.source,
    cell(r.providerRef, 40),
    time(r.createdAt),
    cell(r.error ?? r.reason ?? r.note, 60),
  ]);
  return [...lines, ...table(['REFUND', 'AMOUNT', 'STATUS', 'SOURCE', 'REFERENCE', 'CREATED', 'WHY'], rows)];
}
