import type { AaioSimOrder } from './orders.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

const STATUS_TEXT: Readonly<Record<AaioSimOrder['status'], string>> = {
  in_process: 'Waiting for payment',
  success: 'Paid',
  hold: 'Paid (funds on hold)',
  expired: 'Expired',
};

/** The hosted pay form: plain HTML forms, one per buyer action, so tests and browsers can drive it. */
export function payFormPage(order: AaioSimOrder, formPath: string): string {
  const summary = `<p>Order <code data-testid="order-id">${escapeHtml(order.orderId)}</code></p>
<p>Amount <strong data-testid="amount">${escapeHtml(order.amount)} ${escapeHtml(order.currency)}</strong></p>
${order.desc ? `<p data-testid="desc">${escapeHtml(order.desc)}</p>` : ''}
<p>Status: <span data-testid="status">${STATUS_TEXT[order.status]}</span></p>`;
  if (order.status !== 'in_process') return page('AAIO sandbox payment', summary);
  const button = (action: string, label: string): string =>
    `<form method="post" action="${escapeHtml(formPath)}"><input type="hidden" name="action" value="${action}"><button type="submit" name="button" value="${action}">${label}</button></form>`;
  return page(
    'AAIO sandbox payment',
    `${summary}
${button('pay', 'Pay')}
${button('hold', 'Hold')}
${button('less', 'Pay less')}
${button('expire', 'Let it expire')}`,
  );
}

/** A plain message page (errors, and the end of a payment when the shop set no redirect URL). */
export function messagePage(title: string, message: string): string {
  return page(title, `<p>${escapeHtml(message)}</p>`);
}
