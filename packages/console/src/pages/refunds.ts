import type { Payment, Refund, RefundTotals } from '@paymount/core';
import { badge, fieldList, money, time } from '../html/components.js';
import { html, type SafeHtml } from '../html/template.js';
import { link, type PageContext } from './context.js';

/** The refund actions of a payment: through the provider when it can, and recording one made elsewhere. */
export function refundButtons(ctx: PageContext, payment: Payment, totals: RefundTotals): SafeHtml {
  if (!ctx.canAct || payment.status !== 'paid' || /^[0.]+$/.test(totals.refundable)) return html``;
  const id = payment.id;
  const record = html`<a class="button secondary" href="${link(ctx, '/actions/record', { payment: id })}">Record a refund made elsewhere…</a>`;
  if (ctx.refundsByHand.includes(payment.provider)) return record;
  return html`<a class="button" href="${link(ctx, '/actions/refund', { payment: id })}">Refund…</a>
${record}`;
}

function refundRow(refund: Refund): SafeHtml {
  const why = refund.error ?? refund.reason ?? refund.note;
  return html`<tr data-refund="${refund.id}">
<td class="mono">${refund.id}</td>
<td class="num">${money(refund.amount, refund.currency)}</td>
<td>${badge(refund.status)}</td>
<td>${refund.source === 'recorded' ? 'recorded' : 'provider'}</td>
<td>${refund.providerRef === null ? html`<span class="muted">—</span>` : html`<code>${refund.providerRef}</code>`}</td>
<td>${why === null ? html`<span class="muted">—</span>` : why}</td>
<td>${time(refund.createdAt)}</td>
<td>${time(refund.updatedAt)}</td></tr>`;
}

/** A payment's refund totals and every refund, oldest first. */
export function refundSection(
  ctx: PageContext,
  payment: Payment,
  refunds: readonly Refund[],
  totals: RefundTotals,
): SafeHtml {
  const byHand = ctx.refundsByHand.includes(payment.provider)
    ? html`<p class="muted" id="refunds-by-hand">${payment.provider} has no refund API: refund the buyer in its cabinet, then record the refund here.</p>`
    : '';
  const c = totals.currency;
  const sums = fieldList([
    ['Paid', money(totals.paid, c)],
    ['Refunded', html`<span id="refunded-total">${money(totals.refunded, c)}</span>`],
    ['Reserved', money(totals.pending, c)],
    ['Refundable', html`<span id="refundable-total">${money(totals.refundable, c)}</span>`],
  ]);
  const table =
    refunds.length === 0
      ? html`<p class="empty">No refunds.</p>`
      : html`<table class="refunds"><thead><tr><th scope="col">Refund</th><th scope="col" class="num">Amount</th>
<th scope="col">Status</th><th scope="col">Source</th><th scope="col">Reference</th><th scope="col">Reason or error</th>
<th scope="col">Created</th><th scope="col">Updated</th></tr></thead>
<tbody>${refunds.map(refundRow)}</tbody></table>`;
  return html`<section aria-labelledby="refunds-h"><h2 id="refunds-h">Refunds</h2>${byHand}
<div class="card">${sums}</div>
${table}</section>`;
}
