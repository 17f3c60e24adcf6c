import type { HookJob, JournalEntry, Payment } from '@paymount/core';
import { CONSOLE_DEFAULTS } from '../defaults.js';
import { badge, time } from '../html/components.js';
import { html, type SafeHtml } from '../html/template.js';
import { link, type PageContext, paymentLink } from './context.js';

/** What the overview lists as needing a person. */
export interface Attention {
  readonly anomalies: readonly Payment[];
  readonly overdue: readonly Payment[];
  readonly dead: readonly HookJob[];
  readonly unanswered: readonly JournalEntry[];
  readonly refused: readonly JournalEntry[];
}

const HOUR = 3_600_000;

/** One entry per payment: the newest. */
function perPayment(entries: readonly JournalEntry[]): JournalEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => e.paymentId !== null && !seen.has(e.paymentId) && seen.add(e.paymentId));
}

/** Reads everything the "needs attention" list shows. */
export async function readAttention(ctx: PageContext): Promise<Attention> {
  const { payments, now } = ctx;
  const limit = CONSOLE_DEFAULTS.attentionEntries;
  const at = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const [anomalies, overdue, dead, checks, refused] = await Promise.all([
    payments.list({ status: 'anomaly', limit }).then((p) => p.payments),
    payments
      .list({ status: ['created', 'pending'], createdUntil: at(ctx.overdueAfterMs), limit })
      .then((p) => p.payments),
    payments.listHookJobs({ state: 'dead' }),
    payments.journal({ type: 'provider.checked', since: at(24 * HOUR), limit: 500 }),
    payments.journal({ type: 'callback.refused', since: at(CONSOLE_DEFAULTS.recentRefusalsMs), limit }),
  ]);
  // A reconcile round that asked and got no answer it could use: the provider could not say.
  const unanswered = perPayment(
    checks.entries.filter((e) => e.data['why'] === 'reconcile' && e.data['answer'] === null),
  ).slice(0, limit);
  return { anomalies, overdue, dead, unanswered, refused: refused.entries };
}

function item(ctx: PageContext, tone: string, label: string, paymentId: string | null, rest: SafeHtml) {
  const target = paymentId
    ? html`<a class="mono" href="${paymentLink(ctx, paymentId)}">${paymentId}</a>`
    : '';
  return html`<li data-kind="${tone}">${badge(label, tone)} ${target} ${rest}</li>`;
}

/** The "needs attention" list, most urgent first; an empty one says so. */
export function attentionList(ctx: PageContext, a: Attention): SafeHtml {
  const items: SafeHtml[] = [
    ...a.anomalies.map((p) =>
      item(
        ctx,
        'anomaly',
        'Anomaly',
        p.id,
        html`<strong>${p.anomaly ?? ''}</strong> · order <code>${p.orderId}</code> · ${p.provider}`,
      ),
    ),
    ...a.dead.map((j) =>
      item(
        ctx,
        'dead',
        'Dead hook',
        j.paymentId,
        html`<code>${j.hook}</code> · ${j.lastError ?? ''} · <a href="${link(ctx, '/hooks')}">hooks</a>`,
      ),
    ),
    ...a.overdue.map((p) =>
      item(ctx, 'pending', 'Overdue', p.id, html`${p.status} since ${time(p.createdAt)} · ${p.provider}`),
    ),
    ...a.unanswered.map((e) =>
      item(
        ctx,
        'expired',
        'Unanswered check',
        e.paymentId,
        html`reconcile could not learn its state · ${time(e.at)}`,
      ),
    ),
    ...a.refused.map((e) =>
      item(
        ctx,
        'refused',
        'Refused callback',
        e.paymentId,
        html`<code>${String(e.data['code'] ?? '')}</code> · ${e.provider ?? 'unknown provider'} · ${time(e.at)}`,
      ),
    ),
  ];
  if (items.length === 0) return html`<p class="empty" id="attention-empty">Nothing needs attention.</p>`;
  return html`<ul class="attention" id="attention">${items}</ul>`;
}
