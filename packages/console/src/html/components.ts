import type { Payment } from '@paymount/core';
import { html, type SafeHtml } from './template.js';

/** A status pill; the class picks its colour, the text says it (colour is never the only signal). */
export function badge(text: string, tone: string = text): SafeHtml {
  return html`<span class="badge ${tone.replace(/[^a-z_-]/g, '')}">${text}</span>`;
}

/** `2026-12-02 01:02:03` in UTC, in a `<time>` with the exact instant. */
export function time(iso: string | null | undefined): SafeHtml {
  if (!iso) return html`<span class="muted">—</span>`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return html`${iso}`;
  const shown = date.toISOString().replace('T', ' ').slice(0, 19);
  return html`<time datetime="${date.toISOString()}">${shown}</time>`;
}

/** An amount with its currency, or a dash. Amounts are decimal strings and shown as they are. */
export function money(amount: string | null, currency: string | null): SafeHtml {
  if (amount === null) return html`<span class="muted">—</span>`;
  return html`<span class="mono">${amount}</span> ${currency ?? ''}`;
}

/** What the payment's provider last said, or a dash. */
export function providerStatus(payment: Pick<Payment, 'providerStatus'>): SafeHtml {
  return payment.providerStatus
    ? html`<code>${payment.providerStatus}</code>`
    : html`<span class="muted">—</span>`;
}

/** A value as indented JSON, escaped, for callback fields and provider answers. */
export function jsonBlock(value: unknown): SafeHtml {
  return html`<pre>${JSON.stringify(value, null, 2) ?? 'null'}</pre>`;
}

/** A definition list of label → markup pairs. */
export function fieldList(rows: ReadonlyArray<readonly [string, SafeHtml | string | null]>): SafeHtml {
  return html`<dl class="fields">${rows.map(
    ([label, value]) => html`<dt>${label}</dt><dd>${value ?? html`<span class="muted">—</span>`}</dd>`,
  )}</dl>`;
}

/** A notice at the top of a page after an action (`?done=`), in a live region. */
export function notice(text: string | null, kind: 'ok' | 'error' = 'ok'): SafeHtml {
  if (!text) return html``;
  return html`<div class="notice${kind === 'error' ? ' error' : ''}" role="status">${text}</div>`;
}
