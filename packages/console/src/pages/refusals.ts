import type { JournalEntry } from '@paymount/core';
import { jsonBlock, time } from '../html/components.js';
import { html, type SafeHtml } from '../html/template.js';
import { type PageContext, paymentLink } from './context.js';

/** Refused callbacks from the journal: when, which provider, why, from where, and what they carried. */
export function refusalTable(ctx: PageContext, entries: readonly JournalEntry[]): SafeHtml {
  if (entries.length === 0) return html`<p class="empty">No refused callbacks.</p>`;
  const rows = entries.map((entry) => {
    const d = entry.data;
    const payment = entry.paymentId
      ? html`<a class="mono" href="${paymentLink(ctx, entry.paymentId)}">${entry.paymentId}</a>`
      : html`<span class="muted">no payment of this shop</span>`;
    return html`<tr data-entry="${entry.id}">
<td>${time(entry.at)}</td><td>${entry.provider ?? html`<span class="muted">unknown</span>`}</td><td>${payment}</td>
<td><code>${String(d['code'] ?? '')}</code><br>${String(d['reason'] ?? '')}</td>
<td class="mono">${String(d['ip'] ?? '—')}</td>
<td><details><summary>Fields</summary>${jsonBlock(d['fields'] ?? null)}</details></td></tr>`;
  });
  return html`<table class="refusals"><thead><tr><th scope="col">When</th><th scope="col">Provider</th><th scope="col">Payment</th>
<th scope="col">Why refused</th><th scope="col">From</th><th scope="col">Carried</th></tr></thead><tbody>${rows}</tbody></table>`;
}
