import { PAYMENT_STATUSES } from '@paymount/core';
import { badge } from '../html/components.js';
import { layout } from '../html/layout.js';
import { html, type SafeHtml } from '../html/template.js';
import type { ConsoleCount } from '../options.js';
import { attentionList, readAttention } from './attention.js';
import { link, type PageContext } from './context.js';
import { doneNotice } from './done.js';

const DAY = 86_400_000;

/** Payments by status (rows) and provider (columns), each cell a link to that filtered list. */
function countTable(
  ctx: PageContext,
  id: string,
  caption: string,
  counts: readonly ConsoleCount[],
  since: Date,
) {
  const providers = ctx.payments.providerNames;
  const from = since.toISOString().slice(0, 10);
  const cell = (status: string, provider: string) =>
    counts.filter((c) => c.status === status && c.provider === provider).reduce((sum, c) => sum + c.count, 0);
  const rows = PAYMENT_STATUSES.map((status) => {
    const cells = providers.map((provider) => {
      const n = cell(status, provider);
      return n === 0
        ? html`<td class="num zero">0</td>`
        : html`<td class="num"><a href="${link(ctx, '/payments', { status, provider, from })}">${n}</a></td>`;
    });
    const total = providers.reduce((sum, provider) => sum + cell(status, provider), 0);
    return html`<tr data-status="${status}"><th scope="row">${badge(status)}</th>${cells}<td class="num"><strong>${total}</strong></td></tr>`;
  });
  return html`<table class="counts" id="${id}"><caption>${caption}</caption>
<thead><tr><th scope="col">Status</th>${providers.map((p) => html`<th scope="col" class="num">${p}</th>`)}<th scope="col" class="num">All</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

async function countsSection(ctx: PageContext): Promise<SafeHtml> {
  const counts = ctx.payments.counts.bind(ctx.payments);
  const dayAgo = new Date(ctx.now.getTime() - DAY);
  const weekAgo = new Date(ctx.now.getTime() - 7 * DAY);
  const [day, week] = await Promise.all([
    counts({ since: dayAgo.toISOString() }),
    counts({ since: weekAgo.toISOString() }),
  ]);
  return html`<div class="grid">${countTable(ctx, 'counts-day', 'Created in the last 24 hours', day, dayAgo)}
${countTable(ctx, 'counts-week', 'Created in the last 7 days', week, weekAgo)}</div>`;
}

/** The overview: what needs a person now, and how many payments of each status each provider had. */
export async function overviewPage(ctx: PageContext): Promise<SafeHtml> {
  const [attention, counts] = await Promise.all([readAttention(ctx), countsSection(ctx)]);
  const reconcile = ctx.canAct
    ? html`<div class="actions"><a class="button secondary" href="${link(ctx, '/actions/reconcile')}">Reconcile now…</a></div>`
    : '';
  const body = html`${doneNotice(ctx.query)}<h1>Overview</h1>
${reconcile}
<section class="card" aria-labelledby="attention-h"><h2 id="attention-h">Needs attention</h2>${attentionList(ctx, attention)}</section>
<section aria-labelledby="counts-h"><h2 id="counts-h">Payments by status and provider</h2>${counts}</section>`;
  return layout(ctx, 'overview', 'Overview', body);
}
