import type { RefundAnswer } from '../contracts/provider.js';
import type { RecordedRefundInput, Refund, RefundInput } from '../contracts/refunds.js';
import { PaymentsError, toPaymentsError } from '../domain/errors.js';
import { compareAmounts, formatAmount, remainingAmount, sumAmounts } from '../domain/money.js';
import type { Payment } from '../domain/payment.js';
import { reservedTotal, sameKeyRefund } from '../stores/refund-rules.js';
import { type EngineContext, type ProviderEntry, providerEntry } from './context.js';
import { appendEntries } from './journal.js';
import { callProvider } from './provider-calls.js';
import {
  failRefund,
  keepPending,
  newRefundId,
  refundEntry,
  refundLimit,
  settleRefund,
} from './refund-records.js';

/** How much of a payment is refunded, reserved by unfinished refunds, and still refundable. */
export interface RefundTotals {
  readonly currency: string;
  /** What the payment took in: the most its refunds may add up to. */
  readonly paid: string;
  /** The refunds that succeeded. */
  readonly refunded: string;
  /** The refunds not finished yet (`requested`, `pending`): reserved, not yet back with the buyer. */
  readonly pending: string;
  /** What a new refund may still ask. */
  readonly refundable: string;
}

/** Thrown before anything is sent: a refund that meets one of these certainly did nothing. */
const NOTHING_SENT: ReadonlySet<string> = new Set([
  'refund_unsupported',
  'invalid_request',
  'invalid_amount',
]);
const TEXT_MAX = 500;

async function paymentOf(engine: EngineContext, paymentId: string): Promise<Payment> {
  const payment = await engine.store.get(paymentId);
  if (!payment) throw new PaymentsError('payment_not_found', `There is no payment "${paymentId}".`);
  return payment;
}

/**
 * Only money that arrived can go back: a `paid` payment, or an `anomaly` (its money is real;
 * `paid_twice` is refunded as a rule). Not `wrong_currency`: what arrived is in a currency
 * paymount does not price, so it is refunded where it was paid.
 */
function checkRefundable(payment: Payment): void {
  const holdsMoney = payment.status === 'paid' || payment.status === 'anomaly';
  if (holdsMoney && payment.anomaly !== 'wrong_currency') return;
  const why =
    payment.status === 'refunded'
      ? 'it is refunded in full already'
      : holdsMoney
        ? 'its money arrived in another currency: refund it in the provider dashboard'
        : `it is ${payment.status}, not paid`;
  throw new PaymentsError('refund_not_allowed', `Payment ${payment.id} cannot be refunded: ${why}.`, {
    details: { paymentId: payment.id, status: payment.status },
  });
}

function optionalText(name: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > TEXT_MAX) {
    throw new PaymentsError('invalid_request', `${name} must be a string of 1–${TEXT_MAX} characters.`);
  }
  return value;
}

/** The refund's amount: the one asked, canonical, or (none asked) all that is still refundable. */
function amountOf(engine: EngineContext, payment: Payment, asked: unknown, refunds: readonly Refund[]) {
  if (asked !== undefined) {
    if (typeof asked !== 'string') {
      throw new PaymentsError('invalid_amount', 'A refund amount is a decimal string such as "5.00".');
    }
    return formatAmount(asked, payment.currency, engine.options.currencyScales);
  }
  const rest = remainingAmount(refundLimit(engine, payment), reservedTotal(refunds));
  if (/^[0.]+$/.test(rest)) {
    throw new PaymentsError(
      'refund_exceeds_payment',
      `Nothing of payment ${payment.id} is left to refund: its refunds (finished or not) cover it all.`,
      { details: { paymentId: payment.id, refundable: rest } },
    );
  }
  return formatAmount(rest, payment.currency, engine.options.currencyScales);
}

function draftRefund(engine: EngineContext, payment: Payment, fields: Partial<Refund>): Refund {
  const now = engine.now().toISOString();
  return {
    id: newRefundId(),
    paymentId: payment.id,
    provider: payment.provider,
    amount: payment.amount,
    currency: payment.currency,
    status: 'requested',
    source: 'provider',
    providerRef: null,
    providerStatus: null,
    reason: null,
    note: null,
    error: null,
    idempotencyKey: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...fields,
  };
}

/**
 * The refund already made under this key, when there is one; a key used before for
 * another amount is refused rather than taken for a new refund or silently answered
 * with the old one.
 */
function sameKeyAnswer(refunds: readonly Refund[], draft: Refund, asked: unknown): Refund | undefined {
  const same = sameKeyRefund(refunds, draft);
  if (!same || asked === undefined) return same;
  let equal = false;
  try {
    equal = compareAmounts(String(asked), same.amount) === 0;
  } catch {
    // Not an amount at all: refused below as for any other mismatch.
  }
  if (equal) return same;
  throw new PaymentsError(
    'invalid_request',
    `The idempotency key of refund ${same.id} was used for ${same.amount} ${same.currency}, not ${String(asked).slice(0, 40)}: use a new key for another refund.`,
    { details: { refundId: same.id, paymentId: same.paymentId } },
  );
}

/** Stores a new refund, reserving its amount; the one already stored under its key comes back instead. */
async function reserve(engine: EngineContext, payment: Payment, draft: Refund) {
  const result = await engine.store.createRefund(draft, refundLimit(engine, payment));
  if (result.created) await appendEntries(engine, [refundEntry(engine, 'refund.requested', result.refund)]);
  return result;
}

/** An error the caller sees about a refund, naming the refund and where it was left. */
function refundError(error: PaymentsError, refund: Refund, note: string): PaymentsError {
  return new PaymentsError(error.code, `${error.message} ${note}`, {
    cause: error,
    retryable: error.retryable,
    status: error.status,
    details: { ...error.details, refundId: refund.id, refundStatus: refund.status },
  });
}

/** Asks the provider to refund a reserved refund and stores what it said. */
async function askProvider(
  engine: EngineContext,
  entry: ProviderEntry,
  payment: Payment,
  refund: Refund,
  address: string | null,
): Promise<Refund> {
  const refunds = entry.provider.refund!.bind(entry.provider);
  let answer: RefundAnswer;
  try {
    answer = await callProvider(entry, 'refund', () => refunds({ payment, refund, address }, entry.ctx));
  } catch (thrown) {
    const error = toPaymentsError(thrown);
    if (NOTHING_SENT.has(error.code)) {
      const failed = await failRefund(engine, refund, { error: `${error.code}: ${error.message}` });
      throw refundError(error, failed, `The refund ${failed.id} is failed; nothing was sent.`);
    }
    // The provider may have acted (a timeout after sending): the amount stays reserved.
    const kept = await keepPending(engine, refund, {
      error: `${error.code}: ${engine.redact(error.message)}`,
    });
    engine.logger.warn(
      { paymentId: payment.id, refundId: refund.id, code: error.code, err: error },
      'paymount: the provider could not be asked to refund, or did not answer; the refund is kept pending and checked again by the reconciler',
    );
    throw refundError(
      error,
      kept,
      `The refund ${kept.id} is kept pending: the reconciler asks the provider where it stands.`,
    );
  }
  const fields = { providerRef: answer.providerRef ?? null, providerStatus: answer.providerStatus ?? null };
  if (answer.status === 'succeeded') return settleRefund(engine, refund, fields);
  if (answer.status === 'pending') return keepPending(engine, refund, fields);
  const reason = engine.redact(answer.error ?? 'no reason given').slice(0, TEXT_MAX);
  const failed = await failRefund(engine, refund, { ...fields, error: `refused: ${reason}` });
  throw new PaymentsError('provider_error', `${payment.provider} refused the refund: ${reason}`, {
    details: { paymentId: payment.id, refundId: failed.id, refundStatus: failed.status },
  });
}

/**
 * Refunds a paid payment, all of what remains refundable or `input.amount` of it, through
 * its provider. The amount is reserved before the provider is asked, so concurrent
 * refunds never exceed what the payment took in; the same `idempotencyKey` gives back
 * the refund it made. Resolves to the refund, `succeeded` or `pending`.
 */
export async function refundPayment(
  engine: EngineContext,
  paymentId: string,
  input: RefundInput = {},
): Promise<Refund> {
  const payment = await paymentOf(engine, paymentId);
  const key = optionalText('idempotencyKey', input.idempotencyKey);
  const draftFields = {
    reason: optionalText('reason', input.reason),
    idempotencyKey: key,
  };
  const existing = await engine.store.listRefunds(payment.id);
  const same = sameKeyAnswer(existing, draftRefund(engine, payment, draftFields), input.amount);
  if (same) return same;
  const entry = providerEntry(engine, payment.provider);
  if (!entry.provider.refund) {
    throw new PaymentsError(
      'refund_unsupported',
      `The ${payment.provider} provider cannot refund through paymount: refund where the money is, then payments.recordRefund().`,
      { details: { paymentId: payment.id, provider: payment.provider } },
    );
  }
  checkRefundable(payment);
  const amount = amountOf(engine, payment, input.amount, existing);
  const { refund, created } = await reserve(
    engine,
    payment,
    draftRefund(engine, payment, { ...draftFields, amount }),
  );
  if (!created) return refund;
  return askProvider(engine, entry, payment, refund, optionalText('address', input.address));
}

/**
 * Records a refund made outside paymount (the provider's dashboard, a bank transfer), for
 * any provider: it is `succeeded` at once, with `onRefunded`, and counts toward the
 * payment's refunded total. The same `reference` on the same payment records it once.
 */
export async function recordRefund(
  engine: EngineContext,
  paymentId: string,
  input: RecordedRefundInput,
): Promise<Refund> {
  const payment = await paymentOf(engine, paymentId);
  if (typeof input?.amount !== 'string') {
    throw new PaymentsError(
      'invalid_amount',
      'A recorded refund needs its amount, a decimal string such as "5.00".',
    );
  }
  const reference = optionalText('reference', input.reference);
  const fields: Partial<Refund> = {
    source: 'recorded',
    providerRef: reference,
    note: optionalText('note', input.note),
    idempotencyKey: reference === null ? null : `reference:${reference}`,
  };
  const existing = await engine.store.listRefunds(payment.id);
  const same = sameKeyAnswer(existing, draftRefund(engine, payment, fields), input.amount);
  if (same) return same;
  checkRefundable(payment);
  const amount = amountOf(engine, payment, input.amount, existing);
  const { refund } = await reserve(engine, payment, draftRefund(engine, payment, { ...fields, amount }));
  return settleRefund(engine, refund);
}

/** A payment's refund totals, computed from its refund records (the one source of truth). */
export async function refundTotals(engine: EngineContext, paymentId: string): Promise<RefundTotals> {
  const payment = await paymentOf(engine, paymentId);
  const refunds = await engine.store.listRefunds(payment.id);
  const paid = refundLimit(engine, payment);
  const sum = (statuses: readonly string[]): string =>
    sumAmounts(refunds.filter((r) => statuses.includes(r.status)).map((r) => r.amount));
  const scale = (value: string): string =>
    /^[0.]+$/.test(value)
      ? formatZero(paid)
      : formatAmount(value, payment.currency, engine.options.currencyScales);
  return {
    currency: payment.currency,
    paid,
    refunded: scale(sum(['succeeded'])),
    pending: scale(sum(['requested', 'pending'])),
    refundable: scale(remainingAmount(paid, reservedTotal(refunds))),
  };
}

/** Zero written with the decimals of `like` ("25.00" → "0.00"). */
function formatZero(like: string): string {
  const dot = like.indexOf('.');
  return dot < 0 ? '0' : `0.${'0'.repeat(like.length - dot - 1)}`;
}
