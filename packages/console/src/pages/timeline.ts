import type { JournalEntry } from '@paymount/core';
import { badge, jsonBlock, time } from '../html/components.js';
import { html, type SafeHtml } from '../html/template.js';

/** A journal value as short text: strings as they are, the rest as JSON. */
function text(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function carried(fields: unknown): SafeHtml {
  if (fields === undefined || fields === null) return html``;
  return html`<details><summary>What the callback carried</summary>${jsonBlock(fields)}
<p class="muted">Secrets, e-mail addresses and fields named like credentials were removed before it was kept.</p></details>`;
}

type Described = { readonly tone: string; readonly label: string; readonly body: SafeHtml };

function callbackEntry(entry: JournalEntry): Described {
  const d = entry.data;
  const from = html`<span class="muted">from ${text(d['ip'])}</span>`;
  if (entry.type === 'callback.refused') {
    return {
      tone: 'refused',
      label: 'Callback refused',
      body: html`<p><span class="why">Why: <code>${text(d['code'])}</code></span> — ${text(d['reason'])} ${from}</p>${carried(d['fields'])}`,
    };
  }
  const repeat = d['duplicate'] === true ? html` <span class="badge">repeat</span>` : '';
  return {
    tone: 'accepted',
    label: 'Callback accepted',
    body: html`<p>Claimed <strong>${text(d['event'])}</strong> (provider status <code>${text(d['providerStatus'])}</code>)${repeat} ${from}</p>${carried(d['fields'])}`,
  };
}

function answer(value: unknown): SafeHtml {
  if (value === null || typeof value !== 'object') return html`the provider could not say`;
  const a = value as Record<string, unknown>;
  const paid =
    a['amount'] === null || a['amount'] === undefined
      ? ''
      : html`, <span class="mono">${text(a['amount'])}</span> ${text(a['currency'])}`;
  return html`<strong>${text(a['status'])}</strong> (provider status <code>${text(a['providerStatus'])}</code>)${paid}`;
}

/** A lost-payment search's candidates it could not tell apart, for the person who decides. */
function unsureMatch(value: unknown): SafeHtml {
  if (value === null || typeof value !== 'object') return html``;
  const u = value as Record<string, unknown>;
  const ids = (list: unknown): string[] => (Array.isArray(list) ? list.map(text) : []);
  const others = ids(u['otherPaymentIds']);
  const shared = others.length > 0 ? html`; they also fit <code>${others.join(', ')}</code>` : '';
  return html`<p class="why">Its order list could not tell which order is this payment's: it fits
<code>${ids(u['providerRefs']).join(', ')}</code>${shared}. Nothing was bound; look in the provider's dashboard.</p>`;
}

function hookEntry(entry: JournalEntry): Described {
  const d = entry.data;
  const job = html`<code>${text(d['hook'])}</code> for ${text(d['from'])} → ${text(d['to'])}`;
  switch (entry.type) {
    case 'hook.delivered':
      return {
        tone: 'delivered',
        label: 'Hook delivered',
        body: html`<p>${job}, attempt ${text(d['attempt'])}</p>`,
      };
    case 'hook.failed':
      return {
        tone: 'failed',
        label: 'Hook failed',
        body: html`<p>${job}, attempt ${text(d['attempt'])}: <span class="why">${text(d['error'])}</span></p>`,
      };
    case 'hook.dead':
      return {
        tone: 'dead',
        label: 'Hook dead-lettered',
        body: html`<p>${job}, after ${text(d['attempts'])} ${d['attempts'] === 1 ? 'attempt' : 'attempts'}</p>`,
      };
    default:
      return {
        tone: 'pending',
        label: 'Hook replayed',
        body: html`<p><code>${text(d['hook'])}</code> is due again</p>`,
      };
  }
}

const REFUND_LABELS: Readonly<Record<string, readonly [string, string]>> = {
  'refund.requested': ['requested', 'Refund requested'],
  'refund.succeeded': ['succeeded', 'Refund succeeded'],
  'refund.failed': ['failed', 'Refund failed'],
};

function refundEntry(entry: JournalEntry, [tone, label]: readonly [string, string]): Described {
  const d = entry.data;
  const ref = d['providerRef'] ? html`, reference <code>${text(d['providerRef'])}</code>` : '';
  const why = d['error'] ?? d['reason'] ?? d['note'];
  const said = why ? html` — <span class="why">${text(why)}</span>` : '';
  const where = d['source'] === 'recorded' ? ' (made elsewhere, recorded)' : '';
  return {
    tone,
    label,
    body: html`<p><code>${text(d['refundId'])}</code>: <span class="mono">${text(d['amount'])}</span> ${text(d['currency'])}${where}${ref}${said}</p>`,
  };
}

/** What one journal entry says, in words an operator reads. */
export function describeEntry(entry: JournalEntry): Described {
  const d = entry.data;
  switch (entry.type) {
    case 'checkout.created':
    case 'checkout.reused':
      return {
        tone: 'created',
        label: entry.type === 'checkout.created' ? 'Checkout created' : 'Checkout reused',
        body: html`<p>Order <code>${text(d['orderId'])}</code>, <span class="mono">${text(d['amount'])}</span> ${text(d['currency'])}</p>`,
      };
    case 'checkout.failed':
      return {
        tone: 'failed',
        label: 'Checkout failed',
        body: html`<p><span class="why">Why: <code>${text(d['code'])}</code></span> — ${text(d['message'])}</p>`,
      };
    case 'callback.accepted':
    case 'callback.refused':
      return callbackEntry(entry);
    case 'provider.checked':
      return {
        tone: 'checked',
        label: 'Asked the provider',
        body: html`<p>Because of <strong>${text(d['why'])}</strong>; it answered ${answer(d['answer'])}</p>${unsureMatch(d['unsure'])}`,
      };
    case 'status.changed': {
      const anomaly = d['anomaly'] ? html`, anomaly <strong>${text(d['anomaly'])}</strong>` : '';
      const said = d['providerStatus']
        ? html`; provider status <code>${text(d['providerStatus'])}</code>`
        : '';
      const paid = d['paidAmount']
        ? html`; paid <span class="mono">${text(d['paidAmount'])}</span> ${d['paidCurrency'] ? text(d['paidCurrency']) : ''}`
        : '';
      return {
        tone: text(d['to']),
        label: 'Status changed',
        body: html`<p>${badge(text(d['from']))} → ${badge(text(d['to']))}${anomaly}${said}${paid}</p>`,
      };
    }
    case 'operator.action':
      return {
        tone: 'operator',
        label: 'Operator action',
        body: html`<p><strong>${text(d['who'])}</strong>: <code>${text(d['what'])}</code>${d['note'] ? html` — “${text(d['note'])}”` : ''}</p>`,
      };
    default: {
      const refund = REFUND_LABELS[entry.type];
      return refund ? refundEntry(entry, refund) : hookEntry(entry);
    }
  }
}

/** A payment's journal as a timeline, oldest first. */
export function timeline(entries: readonly JournalEntry[]): SafeHtml {
  if (entries.length === 0) return html`<p class="empty">Nothing is journaled for this payment yet.</p>`;
  const items = entries.map((entry) => {
    const { tone, label, body } = describeEntry(entry);
    return html`<li class="${tone.replace(/[^a-z_-]/g, '')}" data-type="${entry.type}">
<div class="entry-head">${badge(label, tone)} ${time(entry.at)} <code class="muted">${entry.type}</code></div>
<div class="entry-body">${body}</div></li>`;
  });
  return html`<ol class="timeline" id="timeline" aria-label="Journal, oldest first">${items}</ol>`;
}
