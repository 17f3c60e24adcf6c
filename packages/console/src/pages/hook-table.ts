import type { HookJob } from '@paymount/core';
import { badge, time } from '../html/components.js';
import { html, type SafeHtml } from '../html/template.js';
import { link, type PageContext, paymentLink } from './context.js';

function epoch(ms: number): SafeHtml {
  return time(new Date(ms).toISOString());
}

/** Hook jobs with state, attempts, last error and (for a dead one) its replay button. */
export function hookTable(ctx: PageContext, jobs: readonly HookJob[], withPayment: boolean): SafeHtml {
  if (jobs.length === 0) return html`<p class="empty">No hook jobs.</p>`;
  const rows = jobs.map((job) => {
    const replay =
      ctx.canAct && job.state === 'dead'
        ? html`<a class="button secondary" href="${link(ctx, '/actions/replay', { job: job.id })}">Replay…</a>`
        : '';
    const payment = withPayment
      ? html`<td><a class="mono" href="${paymentLink(ctx, job.paymentId)}">${job.paymentId}</a></td>`
      : '';
    return html`<tr data-job="${job.id}">
${payment}<td><code>${job.hook}</code></td>
<td>${job.from} → ${job.to}</td>
<td>${badge(job.state)}</td>
<td class="num">${job.attempts}</td>
<td>${job.lastError ?? html`<span class="muted">—</span>`}</td>
<td>${job.state === 'pending' ? epoch(job.nextAttemptAt) : html`<span class="muted">—</span>`}</td>
<td>${replay}</td></tr>`;
  });
  return html`<table class="hooks"><thead><tr>${withPayment ? html`<th scope="col">Payment</th>` : ''}
<th scope="col">Hook</th><th scope="col">Transition</th><th scope="col">State</th><th scope="col" class="num">Attempts</th>
<th scope="col">Last error</th><th scope="col">Next attempt</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>${rows}</tbody></table>`;
}
