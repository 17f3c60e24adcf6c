import { compareAmounts } from './money.js';
import type { AnomalyReason, Payment, PaymentStatus } from './payment.js';

/**
 * The forward-only transitions. The graph has no cycles, so a payment reaches
 * each status at most once; that is what makes `paymentId:status:hook` a
 * sufficient idempotency key for hooks.
 *
 * Two deliberate additions to design.md: `created` may jump straight to a final
 * status (a provider can call back before our own `pending` write lands), and
 * `failed → anomaly` (money arriving after a failure is real and must not vanish).
 */
const NEXT: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  created: ['pending', 'paid', 'expired', 'failed', 'anomaly'],
  pending: ['paid', 'expired', 'failed', 'anomaly'],
  expired: ['paid', 'anomaly'],
  failed: ['anomaly'],
  anomaly: ['paid', 'refunded'],
  paid: ['refunded'],
  refunded: [],
};

/** True when the state machine allows moving from `from` to `to`. */
export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return NEXT[from].includes(to);
}

/** What a provider says about a payment, normalised. */
export interface ProviderEvent {
  /** `partial`: some money arrived, less than asked, and the provider will not wait for more. */
  readonly status: 'pending' | 'paid' | 'partial' | 'expired' | 'failed' | 'refunded';
  /** The amount paid in the payment's (fiat) currency, as the provider states it; decimal string. */
  readonly amount?: string | null;
  readonly currency?: string | null;
  readonly providerRef?: string | null;
  /** The provider's raw status word, kept on the payment (`hold`, `SUCCESS`, …). */
  readonly providerStatus?: string | null;
  /**
   * The provider says a person resolved this payment on its side (Aurpay's `RESOLVED`):
   * the one provider event that may move an anomaly that is not about the amount (see
   * {@link isStickyAnomaly}) on to `paid`.
   */
  readonly resolved?: boolean;
}

export interface TransitionDecision {
  readonly to: PaymentStatus;
  readonly anomaly: AnomalyReason | null;
}

export interface DecideOptions {
  /** What an overpayment becomes: a paid payment, or an anomaly for a person to look at. */
  readonly overpayment: 'paid' | 'anomaly';
  /** Another payment of the same order is already paid. */
  readonly orderPaidElsewhere: boolean;
}

function paymentMismatch(
  payment: Payment,
  event: ProviderEvent,
  options: DecideOptions,
): AnomalyReason | null {
  if (event.currency && event.currency.toUpperCase() !== payment.currency) return 'wrong_currency';
  if (event.amount) {
    const order = compareAmounts(event.amount, payment.amount);
    if (order < 0) return 'underpaid';
    if (order > 0 && options.overpayment === 'anomaly') return 'overpaid';
  }
  if (options.orderPaidElsewhere) return 'paid_twice';
  return null;
}

/**
 * Anomalies that are not about the amount: the money matched, but the payment should not
 * have been paid (its checkout was superseded or cancelled, the order was already paid, or
 * the order changed). A repeat of the event that made one (a resent notification, a status
 * check) must not turn it into `paid`; only an explicit resolution does.
 */
const STICKY_ANOMALIES: ReadonlySet<AnomalyReason> = new Set([
  'paid_after_failure',
  'paid_twice',
  'order_changed',
]);

/** True for an anomaly that only an explicit resolution moves on to `paid`. */
export function isStickyAnomaly(payment: Pick<Payment, 'status' | 'anomaly'>): boolean {
  return payment.status === 'anomaly' && payment.anomaly !== null && STICKY_ANOMALIES.has(payment.anomaly);
}

/**
 * Decides where an event moves a payment, or null when it changes nothing
 * (duplicates, late or out-of-order events, a repeat on a sticky anomaly). Pure: the
 * engine stores the result.
 */
export function decideTransition(
  payment: Payment,
  event: ProviderEvent,
  options: DecideOptions,
): TransitionDecision | null {
  const from = payment.status;
  let decision: TransitionDecision | null = null;
  switch (event.status) {
    case 'pending':
      return null;
    case 'paid': {
      if (isStickyAnomaly(payment) && event.resolved !== true) return null;
      const mismatch = paymentMismatch(payment, event, options);
      if (mismatch) decision = { to: 'anomaly', anomaly: mismatch };
      else if (from === 'failed') decision = { to: 'anomaly', anomaly: 'paid_after_failure' };
      else decision = { to: 'paid', anomaly: null };
      break;
    }
    case 'partial':
      decision = { to: 'anomaly', anomaly: 'partial' };
      break;
    case 'expired':
      decision = { to: 'expired', anomaly: null };
      break;
    case 'failed':
      decision = { to: 'failed', anomaly: null };
      break;
    case 'refunded':
      decision = { to: 'refunded', anomaly: null };
      break;
  }
  if (!decision || from === decision.to || !canTransition(from, decision.to)) return null;
  return decision;
}

/** The shop hooks, by the status a transition reaches. `onStatusChange` runs for every transition. */
const HOOK_FOR_STATUS: Readonly<Partial<Record<PaymentStatus, HookName>>> = {
  paid: 'onPaid',
  expired: 'onExpired',
  failed: 'onFailed',
  anomaly: 'onAnomaly',
  refunded: 'onRefunded',
};

export type HookName = 'onPaid' | 'onExpired' | 'onFailed' | 'onAnomaly' | 'onRefunded' | 'onStatusChange';

export const HOOK_NAMES: readonly HookName[] = [
  'onPaid',
  'onExpired',
  'onFailed',
  'onAnomaly',
  'onRefunded',
  'onStatusChange',
];

/** The hooks a transition to `to` triggers, restricted to the ones the shop configured. */
export function hooksFor(to: PaymentStatus, configured: ReadonlySet<HookName>): HookName[] {
  const hooks: HookName[] = [];
  const specific = HOOK_FOR_STATUS[to];
  if (specific && configured.has(specific)) hooks.push(specific);
  if (configured.has('onStatusChange')) hooks.push('onStatusChange');
  return hooks;
}
