import type { AnomalyReason, Payment, PaymentStatus } from '@paymount/core';
import type { Product } from './catalog.js';
import { html, layout, raw, type SafeHtml } from './html.js';
import type { Order } from './order-store.js';

/** A way to pay the buyer can choose at checkout. */
export interface PaymentChoice {
  /** The provider's name in `createPayments({ providers })`, used in `/pay/checkout/:orderId?provider=`. */
  readonly name: string;
  readonly label: string;
  readonly hint: string;
}

/** What a page handler hands to the framework: a status and a full HTML document. */
export interface PageResponse {
  readonly status: number;
  readonly html: string;
}

type Tone = 'paid' | 'waiting' | 'problem' | 'none';

interface StatusText {
  readonly label: string;
  readonly tone: Tone;
  readonly message: string;
  /** The buyer may (still or again) start a payment. */
  readonly canPay: boolean;
}

/** How the buyer sees each payment state; the polling script uses the same texts. */
const STATUS_TEXT: Readonly<Record<PaymentStatus | 'none', StatusText>> = {
  none: {
    label: 'Awaiting payment',
    tone: 'none',
    message: 'Choose how you would like to pay.',
    canPay: true,
  },
  created: {
    label: 'Waiting for payment',
    tone: 'waiting',
    message: 'This page updates by itself as soon as the payment is confirmed.',
    canPay: true,
  },
  pending: {
    label: 'Waiting for payment',
    tone: 'waiting',
    message: 'This page updates by itself as soon as the payment is confirmed.',
    canPay: true,
  },
  paid: {
    label: 'Paid',
    tone: 'paid',
    message: 'Thank you! Your payment arrived and the order is on its way.',
    canPay: false,
  },
  expired: {
    label: 'Payment expired',
    tone: 'problem',
    message: 'The pay page expired before a payment arrived. Nothing was charged; you can pay again below.',
    canPay: true,
  },
  failed: {
    label: 'Payment failed',
    tone: 'problem',
    message: 'The payment did not go through. Nothing was charged; you can try again below.',
    canPay: true,
  },
  anomaly: {
    label: 'Needs attention',
    tone: 'problem',
    message:
      'The amount we received does not match the order total. Our team will contact you to sort it out.',
    canPay: false,
  },
  refunded: { label: 'Refunded', tone: 'none', message: 'This payment was refunded.', canPay: false },
};

/** `2026-05-04T10:20:30.000Z` → `2026-05-04 10:20 UTC`. */
function readableTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function money(amount: string, currency: string): string {
  return `${amount} ${currency}`;
}

function badge(text: StatusText, id?: string): SafeHtml {
  return html`<span class="status status-${text.tone}"${id ? html` id="${id}"` : ''}>${text.label}</span>`;
}

/** The state to show: the shop's own record first (it is the shop's truth), then the latest payment. */
function statusOf(order: Order, payment: Payment | null): PaymentStatus | 'none' {
  if (order.status === 'paid') return 'paid';
  if (order.status === 'needs_attention') return 'anomaly';
  return payment?.status ?? 'none';
}

/** Product list with a buy-now form per product. */
export function homePage(products: readonly Product[]): PageResponse {
  const cards = products.map(
    (product) => html`<div class="card" data-product="${product.id}">
<h3>${product.name}</h3>
<p class="hint">${product.blurb}</p>
<div class="price">${money(product.price, product.currency)}</div>
<form method="post" action="/orders">
<input type="hidden" name="productId" value="${product.id}">
<label>Qty <select name="quantity">${[1, 2, 3].map((n) => html`<option>${n}</option>`)}</select></label>
<button type="submit">Buy now</button>
</form>
</div>`,
  );
  return {
    status: 200,
    html: layout('Products', html`<h1>Products</h1><div class="products">${cards}</div>`),
  };
}

function orderLines(order: Order): SafeHtml {
  return html`<table>
<tr><th>Item</th><th>Qty</th><th>Price</th></tr>
${order.lines.map((line) => html`<tr><td>${line.name}</td><td>${line.quantity}</td><td>${money(line.unitPrice, order.currency)}</td></tr>`)}
<tr><th colspan="2">Total</th><th id="order-total">${money(order.total, order.currency)}</th></tr>
</table>`;
}

function payForm(
  order: Order,
  choices: readonly PaymentChoice[],
  again: boolean,
  preferred: string | undefined,
): SafeHtml {
  const selected = choices.some((choice) => choice.name === preferred) ? preferred : choices[0]?.name;
  // A plain GET form: the browser goes to /pay/checkout/:orderId?provider=…, and paymount
  // answers with a redirect to the provider's pay page. The amount comes from loadOrder, not from here.
  return html`<form id="pay-form" method="get" action="/pay/checkout/${encodeURIComponent(order.id)}">
<fieldset><legend>Pay with</legend>
${choices.map(
  (choice) =>
    html`<label class="choice"><input type="radio" name="provider" value="${choice.name}"${choice.name === selected ? raw(' checked') : ''}> <strong>${choice.label}</strong> <span class="hint">${choice.hint}</span></label>`,
)}
</fieldset>
<button type="submit">${again ? 'Pay again' : 'Pay'} ${money(order.total, order.currency)}</button>
</form>`;
}

/** Polls paymount's status route and updates the badge and message in place, without a reload. */
function statusWatcher(payment: Payment): SafeHtml {
  const texts = JSON.stringify(STATUS_TEXT).replace(/</g, '\\u003c');
  const script = `
(() => {
  const texts = ${texts};
  const badge = document.getElementById('order-status');
  const message = document.getElementById('status-message');
  const form = document.getElementById('pay-form');
  const url = '/pay/status/' + ${JSON.stringify(encodeURIComponent(payment.id))};
  async function poll() {
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
      const { status } = await response.json();
      const text = texts[status];
      if (text) {
        badge.textContent = text.label;
        badge.className = 'status status-' + text.tone;
        message.textContent = text.message;
        if (form) form.hidden = !text.canPay;
        if (status !== 'pending' && status !== 'created') return;
      }
    } catch {}
    setTimeout(poll, 1500);
  }
  setTimeout(poll, 1000);
})();`;
  return html`<script>${raw(script)}</script>`;
}

const ANOMALY_TEXT: Readonly<Record<AnomalyReason, string>> = {
  underpaid: 'Less than the order total arrived.',
  partial: 'Only part of the payment arrived.',
  overpaid: 'More than the order total arrived.',
  wrong_currency: 'The payment arrived in another currency.',
  paid_twice: 'The order was paid twice.',
  paid_after_failure: 'A payment arrived after the attempt had failed.',
  order_changed: 'The order changed before its payment arrived.',
};

/** What went wrong with a payment that needs the shop's attention, with the amounts when the provider told them. */
function anomalyText(payment: Payment): string {
  const reason = payment.anomaly ? ANOMALY_TEXT[payment.anomaly] : 'The payment does not match the order.';
  if (!payment.paidAmount) return reason;
  const received = money(payment.paidAmount, payment.paidCurrency ?? payment.currency);
  return `${reason} We received ${received} of ${money(payment.amount, payment.currency)}.`;
}

/** The order: lines, status, and the way to pay it. */
export function orderPage(
  order: Order,
  payment: Payment | null,
  choices: readonly PaymentChoice[],
): PageResponse {
  const status = statusOf(order, payment);
  const text = STATUS_TEXT[status];
  const detail =
    status === 'anomaly' && payment ? html` <span id="anomaly-detail">${anomalyText(payment)}</span>` : '';
  const live =
    payment !== null && (payment.status === 'pending' || payment.status === 'created') && status !== 'paid';
  const body = html`<h1>Order ${order.id}</h1>
<p>Status: ${badge(text, 'order-status')}</p>
<p class="notice"><span id="status-message">${text.message}</span>${detail}</p>
${orderLines(order)}
${text.canPay ? payForm(order, choices, status === 'expired' || status === 'failed', payment?.provider) : ''}
${status === 'paid' ? html`<p><a class="button" href="/orders/${encodeURIComponent(order.id)}/thanks">View receipt</a></p>` : ''}
${live ? statusWatcher(payment) : ''}`;
  return { status: 200, html: layout(`Order ${order.id}`, body) };
}

/** Where a paid buyer lands. Also safe to show early: it says what it knows. */
export function thanksPage(order: Order, payment: Payment | null): PageResponse {
  const status = statusOf(order, payment);
  const text = STATUS_TEXT[status];
  const body = html`<h1>${status === 'paid' ? 'Thank you for your order!' : `Order ${order.id}`}</h1>
<p>Order <a href="/orders/${encodeURIComponent(order.id)}">${order.id}</a>: ${badge(text, 'order-status')}</p>
<p class="notice"><span id="status-message">${text.message}</span></p>
${orderLines(order)}
${order.paidAt ? html`<p class="hint">Paid ${readableTime(order.paidAt)} via ${order.provider ?? 'unknown'}.</p>` : ''}
<p><a href="/">Continue shopping</a></p>
${payment && (payment.status === 'pending' || payment.status === 'created') ? statusWatcher(payment) : ''}`;
  return { status: 200, html: layout('Thank you', body) };
}

/** Every order with its payment state, newest first. */
export function ordersPage(rows: ReadonlyArray<{ order: Order; payment: Payment | null }>): PageResponse {
  const body = html`<h1>Orders</h1>
${
  rows.length === 0
    ? html`<p>No orders yet. <a href="/">Buy something</a>.</p>`
    : html`<table>
<tr><th>Order</th><th>Placed</th><th>Total</th><th>Provider</th><th>Status</th></tr>
${rows.map(({ order, payment }) => {
  const text = STATUS_TEXT[statusOf(order, payment)];
  return html`<tr data-order="${order.id}"><td><a href="/orders/${encodeURIComponent(order.id)}">${order.id}</a></td><td>${readableTime(order.createdAt)}</td><td>${money(order.total, order.currency)}</td><td>${payment?.provider ?? '—'}</td><td>${badge(text)}</td></tr>`;
})}
</table>`
}`;
  return { status: 200, html: layout('Orders', body) };
}

/** A page for a missing order or product. */
export function notFoundPage(what: string): PageResponse {
  return {
    status: 404,
    html: layout(
      'Not found',
      html`<h1>Not found</h1><p>${what}</p><p><a href="/">Back to the products</a></p>`,
    ),
  };
}
