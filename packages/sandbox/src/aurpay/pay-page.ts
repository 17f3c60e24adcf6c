import type { AurpaySimOrder } from './order-book.js';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The hosted cashier page: the order, and plain forms for Pay, Pay less and Let it expire. */
export function payPageHtml(order: AurpaySimOrder): string {
  const info = order.info;
  const token = escapeHtml(order.token);
  const button = (action: string, label: string): string =>
    `<form method="post" action="/cashier/act"><input type="hidden" name="token" value="${token}">` +
    `<input type="hidden" name="action" value="${action}"><button type="submit" name="do" value="${action}">${label}</button></form>`;
  const open = info.status === 'PENDING' || info.status === 'OVERDUE';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Aurpay sandbox checkout</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto}form{display:inline-block;margin:.25rem}</style>
</head><body>
<h1>Aurpay sandbox</h1>
<p>Order <code data-order-id>${escapeHtml(info.order_id)}</code></p>
<p>Amount: <strong data-amount>${escapeHtml(String(info.vs_price))} ${escapeHtml(String(info.vs_currency))}</strong></p>
<p>Status: <strong data-status>${escapeHtml(info.status)}</strong></p>
${open ? `${button('pay', 'Pay')}${button('less', 'Pay less')}${info.status === 'PENDING' ? button('expire', 'Let it expire') : ''}` : ''}
</body></html>`;
}

/** A page for a finished action when the merchant gave no redirect URL. */
export function donePageHtml(order: AurpaySimOrder): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Aurpay sandbox</title></head>
<body><p>Order ${escapeHtml(order.info.order_id)} is <strong data-status>${escapeHtml(order.info.status)}</strong>.</p></body></html>`;
}
