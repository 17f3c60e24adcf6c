import { isLive, type Payment } from '../domain/payment.js';
import type { EngineContext } from './context.js';

type PageKey = 'success' | 'pending' | 'failure' | 'anomaly';

function pageFor(payment: Payment): PageKey {
  if (payment.status === 'paid') return 'success';
  if (payment.status === 'anomaly') return 'anomaly';
  return isLive(payment) ? 'pending' : 'failure';
}

/** The shop page a buyer returning from the pay page should land on, for the payment's state. */
export function returnUrlFor(engine: EngineContext, payment: Payment): string {
  const urls = engine.options.returnUrls;
  const override = urls.byProvider?.[payment.provider] ?? {};
  const key = pageFor(payment);
  // An anomaly page is optional: without one the buyer waits on the pending page.
  const template =
    key === 'anomaly'
      ? (override.anomaly ?? urls.anomaly ?? override.pending ?? urls.pending)
      : (override[key] ?? urls[key]);
  const filled = template
    .replaceAll('{orderId}', encodeURIComponent(payment.orderId))
    .replaceAll('{paymentId}', encodeURIComponent(payment.id));
  return new URL(filled, engine.options.publicUrl).toString();
}
