import { CONSOLE_DEFAULTS } from '../defaults.js';
import { layout } from '../html/layout.js';
import { html, type SafeHtml } from '../html/template.js';
import { link, type PageContext } from './context.js';
import { doneNotice } from './done.js';
import { hookTable } from './hook-table.js';
import { refusalTable } from './refusals.js';

/** Dead-lettered hook jobs (with replay) and the journal's refused callbacks, a page at a time. */
export async function hooksPage(ctx: PageContext): Promise<SafeHtml> {
  const cursor = ctx.query.get('cursor') ?? undefined;
  const [dead, refused] = await Promise.all([
    ctx.payments.listHookJobs({ state: 'dead' }),
    ctx.payments.journal({ type: 'callback.refused', limit: ctx.pageSize, ...(cursor ? { cursor } : {}) }),
  ]);
  const shown = dead.slice(0, CONSOLE_DEFAULTS.hookRows);
  const more = refused.nextCursor
    ? html`<nav class="pager" aria-label="Pages"><a class="button secondary" rel="next" href="${link(ctx, '/hooks', { cursor: refused.nextCursor })}">Older refusals</a></nav>`
    : '';
  const body = html`${doneNotice(ctx.query)}<h1>Hooks and callbacks</h1>
<section aria-labelledby="dead-h"><h2 id="dead-h">Dead hook jobs (${dead.length})</h2>
<p class="sub">A dead job's hook failed every attempt. Fix the cause in the shop, then replay it: it runs again with the same idempotency key.</p>
<div id="dead-hooks">${hookTable(ctx, shown, true)}</div></section>
<section aria-labelledby="refused-h"><h2 id="refused-h">Refused callbacks</h2>
<p class="sub">Callbacks that failed a provider's checks, newest first. A genuine one refused here means a setting to fix (a secret, an allowlist).</p>
<div id="refused-callbacks">${refusalTable(ctx, refused.entries)}</div>${more}</section>`;
  return layout(ctx, 'hooks', 'Hooks and callbacks', body);
}
