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
  return filled(engine, template, payment.orderId, payment.id).toString();
}

function filled(engine: EngineContext, template: string, orderId: string, paymentId: string): URL {
  const path = template
    .replaceAll('{orderId}', encodeURIComponent(orderId))
    .replaceAll('{paymentId}', encodeURIComponent(paymentId));
  return new URL(path, engine.options.publicUrl);
}

/**
 * The shop's failure page for an order whose checkout failed before any payment could
 * be shown (the `browserErrors: 'redirect'` answer), with the error code in the query.
 */
export function failurePageFor(
  engine: EngineContext,
  orderId: string,
  provider: string | undefined,
  code: string,
): string {
  const urls = engine.options.returnUrls;
  const byProvider = urls.byProvider ?? {};
  const override = provider !== undefined && Object.hasOwn(byProvider, provider) ? byProvider[provider] : {};
  const url = filled(engine, override?.failure ?? urls.failure, orderId, '');
  url.searchParams.set('paymount_error', code);
  return url.toString();
}
