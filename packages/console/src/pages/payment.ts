import type { Payment, RefundTotals } from '@paymount/core';
import { badge, fieldList, money, providerStatus, time } from '../html/components.js';
import { layout } from '../html/layout.js';
import { html, type SafeHtml } from '../html/template.js';
import { shownMetadata, withoutEmails } from '../html/withheld.js';
import { link, type PageContext } from './context.js';
import { doneNotice } from './done.js';
import { hookTable } from './hook-table.js';
import { refundButtons, refundSection } from './refunds.js';
import { timeline } from './timeline.js';

function actionButtons(ctx: PageContext, payment: Payment, totals: RefundTotals): SafeHtml {
  if (!ctx.canAct) return html``;
  const id = payment.id;
  const resolve =
    payment.status === 'anomaly'
      ? html`<a class="button" href="${link(ctx, '/actions/resolve', { payment: id, as: 'paid' })}">Accept as paid…</a>
<a class="button secondary" href="${link(ctx, '/actions/resolve', { payment: id, as: 'refunded' })}">Record refunded by hand…</a>`
      : '';
  return html`<div class="actions" aria-label="Actions">
<a class="button secondary" href="${link(ctx, '/actions/refresh', { payment: id })}">Check with the provider now…</a>
${resolve}${refundButtons(ctx, payment, totals)}</div>`;
}

function metadata(payment: Payment): SafeHtml | null {
  const entries = Object.entries(payment.metadata);
  if (entries.length === 0) return null;
  return html`<ul class="plain">${entries.map(([k, v]) => html`<li><code>${k}</code>: ${shownMetadata(k, v)}</li>`)}</ul>`;
}

function fields(payment: Payment): SafeHtml {
  return fieldList([
    [
      'Status',
      html`${badge(payment.status)}${payment.anomaly ? html` <strong>${payment.anomaly}</strong>` : ''}`,
    ],
    ['Order', html`<code id="order-id">${payment.orderId}</code>`],
    [
      'Description',
      payment.description === null
        ? null
        : html`<span id="description">${withoutEmails(payment.description)}</span>`,
    ],
    ['Amount', money(payment.amount, payment.currency)],
    ['Paid', money(payment.paidAmount, payment.paidCurrency)],
    ['Provider', payment.provider],
    ['Provider status', providerStatus(payment)],
    ['Provider reference', payment.providerRef === null ? null : html`<code>${payment.providerRef}</code>`],
    ['Created', time(payment.createdAt)],
    ['Updated', time(payment.updatedAt)],
    ['Paid at', time(payment.paidAt)],
    ['Metadata', metadata(payment)],
  ]);
}

/** One payment: its fields, its refunds, its journal as a timeline, and its hook jobs. */
export async function paymentPage(ctx: PageContext, payment: Payment): Promise<SafeHtml> {
  const [entries, jobs, refunds, totals] = await Promise.all([
    ctx.payments.history(payment.id),
    ctx.payments.listHookJobs({ paymentId: payment.id }),
    ctx.payments.refunds(payment.id),
    ctx.payments.refundTotals(payment.id),
  ]);
  const body = html`${doneNotice(ctx.query)}
<h1>Payment <span class="mono">${payment.id}</span></h1>
${actionButtons(ctx, payment, totals)}
<section class="card" aria-labelledby="fields-h"><h2 id="fields-h" class="sr-only">Fields</h2>${fields(payment)}</section>
${refundSection(ctx, payment, refunds, totals)}
<section aria-labelledby="timeline-h"><h2 id="timeline-h">Timeline</h2>${timeline(entries)}</section>
<section aria-labelledby="hooks-h"><h2 id="hooks-h">Hook jobs</h2>${hookTable(ctx, jobs, false)}</section>`;
  return layout(ctx, 'payments', `Payment ${payment.id}`, body);
}
