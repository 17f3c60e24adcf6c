import type { Payment } from '../domain/payment.js';
import type { ProviderEvent } from '../domain/state-machine.js';
import type { Logger } from '../logging/logger.js';
import type { CallbackInput, PaymentsResponse } from './http.js';
import type { Refund } from './refunds.js';

/** What the shop's `loadOrder` tells paymount about an order. Amount and currency are the truth. */
export interface OrderDetails {
  /**
   * The price: a decimal string in the currency's precision ("10.00"), or a JS number that
   * is one exact amount — an integer is whole units (`499` → "499.00"), a fraction is taken
   * when its shortest form fits the currency (`10.5` → "10.50") and refused otherwise
   * (`0.1 + 0.2`). Or give `amountMinor`.
   */
  readonly amount?: string | number;
  /** Integer minor units (1000 = "10.00" USD), as an alternative to `amount`. */
  readonly amountMinor?: number | bigint;
  readonly currency: string;
  readonly description?: string;
  /** Buyer's e-mail, passed to providers that take one. */
  readonly email?: string;
  /** Pay page language, where the provider supports it ("en", "ru"). */
  readonly lang?: string;
  /** Suggested payment method code, where the provider supports it. */
  readonly method?: string;
  /** Provider-specific pass-through fields (AAIO `us_*`), strings only. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The events paymount signs into the callback URLs it publishes. */
export type CallbackEventName = 'paid' | 'timeout' | 'notify';

/** What paymount lends a provider for each call. */
export interface ProviderContext {
  /** The name this provider is configured under (`providers.{name}`), used in routes. */
  readonly name: string;
  readonly logger: Logger;
  /** The callback URL paymount publishes for this payment and event, signed with paymount's secret. */
  callbackUrl(paymentId: string, event: CallbackEventName): string;
  /** The provider-neutral callback URL (no payment id): for providers with one fixed notification URL. */
  readonly plainCallbackUrl: string;
  /**
   * Checks the `pm`, `ev` and `sig` query parameters of a callback URL paymount issued.
   * Returns the payment id and event, or null when absent or forged.
   */
  verifyCallbackUrl(query: URLSearchParams): { paymentId: string; event: CallbackEventName } | null;
  /** Where the buyer comes back to after the pay page. */
  returnUrl(paymentId: string): string;
  /** Loads a payment, for checks that need the stored amount. */
  getPayment(paymentId: string): Promise<Payment | null>;
  now(): Date;
}

export interface CheckoutRequest {
  readonly payment: Payment;
  readonly order: OrderDetails;
}

export interface CheckoutResult {
  /** The provider's pay page; the buyer is sent there with a 303. */
  readonly payUrl: string;
  readonly providerRef?: string | null;
}

/** A callback that passed every check the provider makes. */
export interface VerifiedCallback {
  readonly paymentId: string;
  /** The event the callback claims, as verified (signatures, keys). Used when there is no `confirm`. */
  readonly event: ProviderEvent;
  /**
   * Asks the provider's own API what really happened (the source of truth) and returns
   * that event. The engine calls it only for a callback it has not already settled a
   * payment with, so a duplicate costs no provider call.
   */
  readonly confirm?: () => Promise<ProviderEvent>;
  /**
   * A stable key for this notification, known before confirmation (e.g. the provider's
   * invoice id and claimed status). Once a callback with this key has settled the
   * payment (paid or refunded), a repeat is answered at once. Omit when there is none.
   */
  readonly dedupeKey?: string;
  /** The payment as the provider loaded it during verification, to spare another read. */
  readonly payment?: Payment;
}

/** What the reconciler hands a provider's lost-payment search, once per round. */
export interface LostPaymentSearch {
  /**
   * Every live payment of this provider that holds no provider reference yet and was
   * created within the finder's `lookBackMs`: the payments looked for, all at once, so
   * that an order which could be any of two of them is recognised as such.
   */
  readonly payments: readonly Payment[];
  /** True when this provider reference already belongs to a payment (of any order). */
  isBound(providerRef: string): Promise<boolean>;
  /**
   * Reports a payment the finder cannot match with certainty (two orders fit it, or its
   * order fits other payments too). It stays as it is; the journal records the candidates
   * on the payment (`provider.checked`, `why: 'reconcile'`, no answer), once per distinct
   * set, so the console lists it for a person.
   */
  unsure(paymentId: string, candidates: UnsureMatch): void;
}

/** What a lost-payment search could not tell apart for one payment. */
export interface UnsureMatch {
  /** The provider's orders that fit the payment. */
  readonly providerRefs: readonly string[];
  /** The other payments looked for that those orders fit as well. */
  readonly otherPaymentIds: readonly string[];
}

/** A payment the provider found its own order for, and where that order stands. */
export interface FoundPayment {
  readonly paymentId: string;
  /** As a status check would report it; `providerRef` is the order to bind. */
  readonly event: ProviderEvent & { readonly providerRef: string };
}

/**
 * For a provider whose checkout gives no reference of its own until its first callback
 * (Aurpay's pay-url): finds, in the provider's own order list, the orders of payments
 * whose callback never came. The reconciler calls `find` once per round.
 *
 * @example
 * lostPayments: {
 *   lookBackMs: 86_400_000,
 *   async find({ payments, isBound }, ctx) {
 *     // read the provider's order list once; return only certain, one-to-one matches
 *     return [{ paymentId: payments[0].id, event: { status: 'paid', providerRef: '2025…', amount: '10.00', currency: 'USD' } }];
 *   },
 * }
 */
export interface LostPaymentFinder {
  /** Payments created this long ago (ms) or less are looked for. */
  readonly lookBackMs: number;
  /**
   * Returns the payments it matched with certainty: exactly one order fits the payment
   * and that order fits no other payment looked for, and is bound to none. Anything
   * ambiguous is logged for a person and left out. Throws a `PaymentsError` when the
   * provider cannot be asked (the next round tries again).
   */
  find(search: LostPaymentSearch, ctx: ProviderContext): Promise<readonly FoundPayment[]>;
}

/** What paymount asks a provider to refund: this refund (amount, currency, reason) of this payment. */
export interface RefundRequest {
  readonly payment: Payment;
  readonly refund: Refund;
  /** Where the money goes, when the caller gave it (Aurpay: the buyer's wallet address). */
  readonly address: string | null;
}

/** A provider's word on a refund. */
export interface RefundAnswer {
  /**
   * `succeeded`: the money went back. `pending`: the provider took the refund and will
   * finish it later (paymount asks again with `refundStatus`). `failed`: the provider
   * refused it and certainly did nothing; its amount becomes refundable again.
   */
  readonly status: 'pending' | 'succeeded' | 'failed';
  /** The provider's own id of the refund, when it gives one. */
  readonly providerRef?: string | null;
  /** The provider's raw status word, kept on the refund. */
  readonly providerStatus?: string | null;
  /** For `failed`: why, in the provider's words (no secrets). */
  readonly error?: string | null;
}

/** How a callback ended, for the provider to phrase its reply. */
export type CallbackOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: string; readonly status: number; readonly message: string };

/**
 * A hosted-checkout provider. A third provider is one new package implementing this.
 * Every method throws a `PaymentsError` (`provider_*` codes for the provider's own
 * failures, `callback_*` codes for a refused callback).
 */
export interface PaymentProvider {
  /** The provider's kind ("aurpay", "aaio"), for logs. */
  readonly kind: string;
  /** Secrets to keep out of logs and errors. */
  readonly secrets: readonly string[];
  /** Optional checks of an order before a payment is created (supported currencies). */
  validateOrder?(order: OrderDetails & { amount: string }, ctx: ProviderContext): Promise<void>;
  /** Creates the provider-side payment; must be safe to call again for the same payment after a failure. */
  createCheckout(request: CheckoutRequest, ctx: ProviderContext): Promise<CheckoutResult>;
  /**
   * Verifies a callback (signatures, keys, source IP, signed URL) and, where the
   * provider allows, confirms it with the provider's API before returning an event.
   */
  verifyCallback(input: CallbackInput, ctx: ProviderContext): Promise<VerifiedCallback>;
  /** Asks the provider where a payment stands; null when the provider cannot say (no reference yet). */
  fetchStatus(payment: Payment, ctx: ProviderContext): Promise<ProviderEvent | null>;
  /** The HTTP answer the provider expects to a callback. */
  callbackReply(outcome: CallbackOutcome): PaymentsResponse;
  /**
   * For providers whose buyer redirect carries their own reference instead of our
   * return URL (AAIO's Success/Fail URLs): the payment id it names, if any.
   */
  paymentIdFromReturn?(query: URLSearchParams): string | null;
  /**
   * The payment id a callback claims to be about, read before any check (so maybe
   * forged): used only to file a refused callback in that payment's journal.
   */
  paymentIdOf?(input: CallbackInput): string | null;
  /**
   * For providers whose checkout returns no reference (Aurpay's pay-url): a search of the
   * provider's own order list for payments whose first callback was lost, run by the
   * reconciler once per round. Absent: such payments wait for their callback.
   */
  readonly lostPayments?: LostPaymentFinder;
  /**
   * Asks the provider to refund `request.refund` of a paid payment. Answers `failed` only
   * when the provider refused and certainly did nothing. Throws `refund_unsupported`,
   * `invalid_request` or `invalid_amount` before sending anything (the refund is then
   * `failed`); any other error means the provider may have acted (a timeout after sending,
   * a 5xx), so the refund stays `pending`, keeps its amount reserved, and is asked about
   * again through `refundStatus`. Absent: `payments.refund()` answers `refund_unsupported`.
   *
   * @example
   * async refund({ payment, refund, address }, ctx) {
   *   const answer = await api.post(`/refunds/${payment.providerRef}`, { amount: refund.amount, address });
   *   return { status: 'pending', providerRef: answer.id };
   * }
   */
  refund?(request: RefundRequest, ctx: ProviderContext): Promise<RefundAnswer>;
  /**
   * Where a refund that is not finished stands (the reconciler's refund sweep asks once a
   * refund has been `pending` for `refunds.checkIntervalMs`). Null when the provider
   * cannot say; throws a `PaymentsError` when it cannot be asked.
   */
  refundStatus?(request: Omit<RefundRequest, 'address'>, ctx: ProviderContext): Promise<RefundAnswer | null>;
  /** Releases connection pools and timers; called by `payments.close()`. */
  close?(): Promise<void>;
}
