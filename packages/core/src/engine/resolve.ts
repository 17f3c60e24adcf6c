import { LIMITS } from '../config/defaults.js';
import { PaymentsError } from '../domain/errors.js';
import type { Payment } from '../domain/payment.js';
import type { EngineContext } from './context.js';
import { jobsFor, storeTransition } from './transitions.js';

/**
 * An operator's explicit resolution: the money of an `anomaly` payment is accepted as the
 * payment of its order. The payment becomes `paid`, with `onPaid`, whatever the anomaly
 * (the one way a `paid_after_failure`, `paid_twice` or `order_changed` payment is paid).
 * Throws `invalid_request` for a payment that is not an anomaly, and `conflict` while
 * another payment of the order is paid (the store keeps one paid payment per order).
 */
export async function acceptAnomaly(engine: EngineContext, paymentId: string): Promise<Payment> {
  for (let attempt = 0; attempt < LIMITS.transitionAttempts; attempt++) {
    const payment = await engine.store.get(paymentId);
    if (!payment) throw new PaymentsError('payment_not_found', `There is no payment "${paymentId}".`);
    if (payment.status !== 'anomaly') {
      throw new PaymentsError(
        'invalid_request',
        `Payment "${paymentId}" is ${payment.status}, not an anomaly.`,
      );
    }
    const siblings = await engine.store.findByOrder(payment.orderId);
    if (siblings.some((p) => p.id !== payment.id && p.status === 'paid')) {
      throw new PaymentsError('conflict', `Another payment of order "${payment.orderId}" is already paid.`);
    }
    const now = engine.now().toISOString();
    const next: Payment = {
      ...payment,
      status: 'paid',
      anomaly: null,
      paidAt: now,
      updatedAt: now,
      version: payment.version + 1,
    };
    if (await storeTransition(engine, payment, next, jobsFor(engine, payment, next))) {
      engine.logger.info(
        { paymentId, orderId: payment.orderId, anomaly: payment.anomaly },
        'paymount: an anomaly was accepted as paid by an operator',
      );
      return next;
    }
  }
  throw new PaymentsError('conflict', 'The payment kept changing concurrently; try again.');
}
