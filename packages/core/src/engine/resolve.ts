import { LIMITS } from '../config/defaults.js';
import type { AnomalyResolution } from '../contracts/actions.js';
import type { JournalEntry } from '../contracts/journal.js';
import { PaymentsError } from '../domain/errors.js';
import type { Payment } from '../domain/payment.js';
import type { EngineContext } from './context.js';
import { journalEntry, statusChanged } from './journal.js';
import { jobsFor, storeTransition } from './transitions.js';

/** The payment an anomaly resolved as `as` becomes. */
function resolved(engine: EngineContext, payment: Payment, as: AnomalyResolution['as']): Payment {
  const now = engine.now().toISOString();
  const common = { updatedAt: now, version: payment.version + 1 };
  // Paid clears the anomaly (the money is the order's now); refunded keeps it, as the reason it was given back.
  if (as === 'paid') return { ...payment, ...common, status: 'paid', anomaly: null, paidAt: now };
  return { ...payment, ...common, status: 'refunded' };
}

/** The anomaly to resolve, or the refusal: unknown, not an anomaly, or (to pay) an order already paid. */
async function resolvable(
  engine: EngineContext,
  paymentId: string,
  as: AnomalyResolution['as'],
): Promise<Payment> {
  const payment = await engine.store.get(paymentId);
  if (!payment) throw new PaymentsError('payment_not_found', `There is no payment "${paymentId}".`);
  if (payment.status !== 'anomaly') {
    throw new PaymentsError(
      'invalid_request',
      `Payment "${paymentId}" is ${payment.status}, not an anomaly.`,
    );
  }
  if (as === 'paid') {
    const siblings = await engine.store.findByOrder(payment.orderId);
    if (siblings.some((p) => p.id !== payment.id && p.status === 'paid')) {
      throw new PaymentsError(
        'conflict',
        `Another payment of order "${payment.orderId}" is already paid: refund this one instead.`,
      );
    }
  }
  return payment;
}

/**
 * Moves an anomaly to `paid` or `refunded` in one store step with its hook jobs, its
 * `status.changed` entry and `extra` (the operator's entry, made for the payment read).
 */
async function resolveAs(
  engine: EngineContext,
  paymentId: string,
  as: AnomalyResolution['as'],
  extra: (payment: Payment) => readonly JournalEntry[],
): Promise<Payment> {
  for (let attempt = 0; attempt < LIMITS.transitionAttempts; attempt++) {
    const payment = await resolvable(engine, paymentId, as);
    const next = resolved(engine, payment, as);
    const journal = [...extra(payment), statusChanged(engine, payment, next)];
    // A lost race (or the store refusing a second paid payment) reads again and decides again.
    if (await storeTransition(engine, payment, next, jobsFor(engine, payment, next), journal)) {
      engine.logger.info(
        { paymentId, orderId: payment.orderId, anomaly: payment.anomaly, to: next.status },
        `paymount: an anomaly was resolved as ${next.status} by an operator`,
      );
      return next;
    }
  }
  throw new PaymentsError('conflict', 'The payment kept changing concurrently; try again.');
}

/**
 * An operator's explicit resolution: the money of an `anomaly` payment is accepted as the
 * payment of its order. The payment becomes `paid`, with `onPaid`, whatever the anomaly
 * (the one way a `paid_after_failure`, `paid_twice` or `order_changed` payment is paid).
 * Throws `invalid_request` for a payment that is not an anomaly, and `conflict` while
 * another payment of the order is paid (the store keeps one paid payment per order).
 */
export function acceptAnomaly(engine: EngineContext, paymentId: string): Promise<Payment> {
  return resolveAs(engine, paymentId, 'paid', () => []);
}

function checkedResolution(resolution: AnomalyResolution): { note: string; operatorId: string } {
  if (resolution?.as !== 'paid' && resolution?.as !== 'refunded') {
    throw new PaymentsError('invalid_request', '"as" must be "paid" or "refunded".');
  }
  const note = typeof resolution.note === 'string' ? resolution.note.trim() : '';
  if (note === '')
    throw new PaymentsError('invalid_request', 'A note is required: say why, for the next person.');
  if (note.length > LIMITS.operatorNoteMaxChars) {
    throw new PaymentsError(
      'invalid_request',
      `The note is longer than ${LIMITS.operatorNoteMaxChars} characters.`,
    );
  }
  const operatorId = typeof resolution.operator?.id === 'string' ? resolution.operator.id.trim() : '';
  if (operatorId === '')
    throw new PaymentsError('invalid_request', '"operator.id" is required: who resolves it.');
  return { note, operatorId };
}

/**
 * An operator resolves an anomaly: `as: 'paid'` accepts its money as the order's payment
 * (as {@link acceptAnomaly}), `as: 'refunded'` records that the money was given back by
 * hand (`refunded`, with `onRefunded`). Either writes an `operator.action` entry (who,
 * what, the note) in the same store step as the change. Refused with `invalid_request`
 * for a payment that is not an anomaly or a resolution without a note or operator,
 * `payment_not_found` for an unknown id, and `conflict` when paying while another payment
 * of the order is paid.
 */
export async function resolveAnomaly(
  engine: EngineContext,
  paymentId: string,
  resolution: AnomalyResolution,
): Promise<Payment> {
  const { note, operatorId } = checkedResolution(resolution);
  const entry = (payment: Payment): JournalEntry[] => [
    journalEntry(engine, {
      type: 'operator.action',
      paymentId: payment.id,
      provider: payment.provider,
      data: {
        who: operatorId,
        name: resolution.operator.name ?? null,
        what: resolution.as === 'paid' ? 'anomaly.accept' : 'anomaly.refunded',
        note: engine.redact(note),
        source: resolution.source ?? null,
        anomaly: payment.anomaly,
      },
    }),
  ];
  return resolveAs(engine, paymentId, resolution.as, entry);
}
