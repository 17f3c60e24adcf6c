import { PAYMENT_STATUSES, type Payment } from '@paymount/core';
import { badge, money, providerStatus, time } from '../html/components.js';
import { layout } from '../html/layout.js';
import { html, type SafeHtml } from '../html/template.js';
import { link, type PageContext, paymentLink } from './context.js';
import { type ListFilters, listQuery, readFilters } from './filters.js';

/** Rows of payments, newest first, each linking to its page. */
export function paymentTable(ctx: PageContext, payments: readonly Payment[], caption: string): SafeHtml {
  if (payments.length === 0) return html`<p class="empty">No payments match.</p>`;
  const rows = payments.map(
    (p) => html`<tr data-payment="${p.id}">
<td><a class="mono" href="${paymentLink(ctx, p.id)}">${p.id}</a></td>
<td class="mono">${p.orderId}</td>
<td>${badge(p.status)}${p.anomaly ? html` <span class="muted">${p.anomaly}</span>` : ''}</td>
<td>${p.provider}</td>
<td class="num">${money(p.amount, p.currency)}</td>
<td class="num">${money(p.paidAmount, p.paidCurrency)}</td>
<td>${providerStatus(p)}</td>
<td>${time(p.createdAt)}</td>
</tr>`,
  );
  return html`<table id="payments-table"><caption class="sr-only">${caption}</caption>
<thead><tr><th scope="col">Payment</th><th scope="col">Order</th><th scope="col">Status</th><th scope="col">Provider</th>
<th scope="col" class="num">Amount</th><th scope="col" class="num">Paid</th><th scope="col">Provider status</th><th scope="col">Created</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function options(values: readonly string[], selected: string, anyLabel: string): SafeHtml {
  return html`<option value="">${anyLabel}</option>${values.map(
    (value) => html`<option value="${value}"${value === selected ? html` selected` : ''}>${value}</option>`,
  )}`;
}

function filterForm(ctx: PageContext, f: ListFilters): SafeHtml {
  return html`<form class="filters" method="get" action="${link(ctx, '/payments')}" role="search" aria-label="Filter payments">
<label>Search <input type="search" name="q" value="${f.search}" placeholder="order, payment id or provider ref" size="30"></label>
<label>Status <select name="status">${options(PAYMENT_STATUSES, f.status, 'Any status')}</select></label>
<label>Provider <select name="provider">${options(ctx.payments.providerNames, f.provider, 'Any provider')}</select></label>
<label>Created from <input type="date" name="from" value="${f.from}"></label>
<label>Created to <input type="date" name="to" value="${f.to}"></label>
<button type="submit">Filter</button>
<a class="button secondary" href="${link(ctx, '/payments')}">Clear</a>
</form>`;
}

/** The payments page: filters, search and cursor paging over `payments.list()`. */
export async function paymentsPage(ctx: PageContext): Promise<SafeHtml> {
  const filters = readFilters(ctx.query, ctx.payments.providerNames);
  const page = await ctx.payments.list(listQuery(filters, ctx.pageSize));
  const kept = {
    q: filters.search,
    status: filters.status,
    provider: filters.provider,
    from: filters.from,
    to: filters.to,
  };
  const next = page.nextCursor
    ? html`<a class="button secondary" rel="next" href="${link(ctx, '/payments', { ...kept, cursor: page.nextCursor })}">Next page</a>`
    : '';
  const first = filters.cursor
    ? html`<a class="button secondary" href="${link(ctx, '/payments', kept)}">First page</a>`
    : '';
  const results = html`${paymentTable(ctx, page.payments, 'Payments, newest first')}
<nav class="pager" aria-label="Pages">${first}${next}</nav>`;
  return layout(
    ctx,
    'payments',
    'Payments',
    html`<h1>Payments</h1><p class="sub">Newest first. Search finds an exact order id, payment id or provider reference.</p>
${filterForm(ctx, filters)}
${results}`,
  );
}
