import type { Payment } from '../domain/payment.js';
import type { PaymentsRequest } from './http.js';

/** What a checkout produced: where to send the buyer, and the payment behind it. */
export interface CheckoutOutcome {
  readonly payment: Payment;
  /** The provider's pay page, or null when the order is already paid. */
  readonly payUrl: string | null;
  /** Where to send the buyer now: the pay page, or the success page of an already paid order. */
  readonly redirectUrl: string;
  readonly alreadyPaid: boolean;
  /** An existing live payment was reused (double click, second tab). */
  readonly reused: boolean;
}

/** What `payments.checkout()` needs. */
export interface CheckoutInput {
  readonly orderId: string;
  /** Provider name; optional when only one is configured or `defaultProvider` is set. */
  readonly provider?: string;
  /** The HTTP request behind the checkout, passed on to `loadOrder`. */
  readonly request?: PaymentsRequest;
}

/** The result of applying a provider event: the payment as stored now, and whether it moved. */
export interface ApplyResult {
  readonly payment: Payment;
  readonly changed: boolean;
}

/** A callback's result: what it did to the payment, and whether it was a repeat already settled. */
export type CallbackResult = ApplyResult & { readonly duplicate: boolean };

/** Who acted: an operator of the shop, from the console, the CLI or the shop's own tools. */
export interface Operator {
  /** A stable id (a user id, an e-mail, a login name). */
  readonly id: string;
  readonly name?: string;
}

/** How an operator resolves an anomaly, for `payments.resolveAnomaly()`. */
export interface AnomalyResolution {
  /**
   * `paid`: the money is accepted as the order's payment (`onPaid` runs). `refunded`: the
   * operator gave the money back outside paymount (the provider's dashboard); the payment
   * is recorded as `refunded` (`onRefunded` runs) and no money moves through paymount.
   */
  readonly as: 'paid' | 'refunded';
  /** Why, and what was checked: required, kept in the journal for the next person. */
  readonly note: string;
  readonly operator: Operator;
  /** Where the operator acted (`console`, `cli`, …), kept in the journal. */
  readonly source?: string;
}

/** What one round of hook delivery did. */
export interface DeliveryReport {
  readonly delivered: number;
  readonly retried: number;
  readonly dead: number;
}

/** What `payments.reconcile()` does. */
export interface ReconcileOptions {
  /** Payments checked per batch. */
  readonly limit?: number;
  /** Every live payment now, whatever its schedule, in batches until none is left. */
  readonly all?: boolean;
  /** With `all`: called after each batch with the totals so far (a progress display). */
  readonly onBatch?: (soFar: ReconcileReport) => void;
}

/** What one reconcile round did. */
export interface ReconcileReport {
  readonly checked: number;
  /** Payments whose status moved, and unfinished refunds that became final (the refund sweep). */
  readonly changed: number;
  readonly errors: number;
}
