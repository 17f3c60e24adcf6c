import { randomBytes } from 'node:crypto';

/** Where a payment stands. See the state machine in `state-machine.ts`. */
export type PaymentStatus = 'created' | 'pending' | 'paid' | 'expired' | 'failed' | 'anomaly' | 'refunded';

export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
  'created',
  'pending',
  'paid',
  'expired',
  'failed',
  'anomaly',
  'refunded',
];

/** Why a payment needs a person: the money (or some of it) is real but does not match the order. */
export type AnomalyReason =
  | 'underpaid'
  | 'overpaid'
  | 'wrong_currency'
  | 'paid_twice'
  | 'partial'
  | 'paid_after_failure'
  /** The shop's `loadOrder` answered, just before the payment was to be paid, with another amount or currency, or no order. */
  | 'order_changed';

/** One attempt to pay one order through one provider. */
export interface Payment {
  /** paymount's id, `pm_` + 24 lowercase letters and digits; also the reference we give providers. */
  readonly id: string;
  readonly orderId: string;
  /** The name the provider is configured under in `providers`. */
  readonly provider: string;
  /** Canonical decimal string in the currency's precision, from the shop's `loadOrder`. */
  readonly amount: string;
  readonly currency: string;
  readonly status: PaymentStatus;
  /** The provider's own id for this payment, once known. */
  readonly providerRef: string | null;
  readonly payUrl: string | null;
  /** The provider's raw status as last seen (`SUCCESS`, `hold`, …), for display and support. */
  readonly providerStatus: string | null;
  /** What the provider says was paid, as it said it (decimal string), once known. */
  readonly paidAmount: string | null;
  readonly paidCurrency: string | null;
  readonly anomaly: AnomalyReason | null;
  readonly description: string | null;
  /** Extra fields from `loadOrder` passed to the provider (email, lang, method, custom fields). */
  readonly metadata: Readonly<Record<string, string>>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly paidAt: string | null;
  /** Incremented by every stored change: the compare-and-set token of the store. */
  readonly version: number;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

const ID_LENGTH = 24;
// Entropy is drawn in blocks: one synchronous randomBytes call per id showed up in checkout profiles.
let entropy = Buffer.alloc(0);
let entropyAt = 0;

/** A new payment id: 24 random characters (~124 bits), unguessable, and within every provider's id charset. */
export function newPaymentId(): string {
  if (entropyAt + ID_LENGTH > entropy.length) {
    entropy = randomBytes(ID_LENGTH * 128);
    entropyAt = 0;
  }
  let id = 'pm_';
  for (let i = 0; i < ID_LENGTH; i++) id += ID_ALPHABET[(entropy[entropyAt + i] as number) % 36];
  // Each block of entropy is used once, then wiped, so no id can be derived from another.
  entropy.fill(0, entropyAt, entropyAt + ID_LENGTH);
  entropyAt += ID_LENGTH;
  return id;
}

const PAYMENT_ID_PATTERN = /^pm_[a-z0-9]{24}$/;

/** True when the string has the shape of a paymount payment id. */
export function isPaymentId(value: unknown): value is string {
  return typeof value === 'string' && PAYMENT_ID_PATTERN.test(value);
}

const ORDER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:\-[\]|]{0,63}$/;

/** Shop order ids: 1–64 characters of letters, digits and `. _ : - [ ] |`. */
export function isOrderId(value: unknown): value is string {
  return typeof value === 'string' && ORDER_ID_PATTERN.test(value);
}

/** A live payment can still be paid through its pay page and is reused by a repeated checkout. */
export function isLive(payment: Pick<Payment, 'status'>): boolean {
  return payment.status === 'created' || payment.status === 'pending';
}

/**
 * The statuses the reconciler may still ask a provider about: the live ones, and the
 * ones a provider can still turn into `paid` (a late payment after `expired`, a
 * resolution of an `anomaly`). Stores filter their check queue by this list.
 */
export const CHECKABLE_STATUSES: readonly PaymentStatus[] = ['created', 'pending', 'expired', 'anomaly'];

/** A payment whose money has arrived and matched the order. */
export function isSettled(payment: Pick<Payment, 'status'>): boolean {
  return payment.status === 'paid' || payment.status === 'refunded';
}
