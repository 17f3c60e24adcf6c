import {
  type CallbackInput,
  compareAmounts,
  decimalFromProvider,
  isPaymentId,
  type Logger,
  type Payment,
  PaymentsError,
  type ProviderContext,
  type ProviderEvent,
  safeEqual,
  stringFields,
  type VerifiedCallback,
} from '@paymount/core/provider';
import type { AaioApiClient } from './api-client.js';
import type { NotificationIpCheck } from './ip-allowlist.js';
import type { ResolvedAaioOptions } from './options.js';
import { eventFromInfoPay, fetchInfoPay } from './order-status.js';
import { verifyNotificationSign } from './signature.js';

const REQUIRED = ['merchant_id', 'order_id', 'amount', 'currency', 'status', 'sign'] as const;

/** The fields of a notification that every check reads, exactly as posted. */
interface NotificationFields {
  readonly merchantId: string;
  readonly orderId: string;
  readonly amount: string;
  readonly currency: string;
  readonly status: string;
  readonly sign: string;
  readonly invoiceId: string | null;
}

export interface NotificationDependencies {
  readonly options: ResolvedAaioOptions;
  readonly api: AaioApiClient;
  readonly ipCheck: NotificationIpCheck;
}

/** Posted values as they may appear in a log line: short, whatever was sent. */
const shown = (value: string): string => value.slice(0, 64);

/**
 * Refuses the notification with `error`, whose code and short message AAIO shows in its
 * cabinet, after logging for the merchant why this likely happened (`why`) and the posted
 * values that show it (`fields`, never a secret or the sign).
 */
function refuse(
  logger: Logger,
  error: PaymentsError,
  why: string,
  fields: Record<string, unknown> = {},
): never {
  logger.warn(
    { provider: 'aaio', code: error.code, ...fields },
    `paymount/aaio: notification refused: ${why}`,
  );
  throw error;
}

async function checkSourceAddress(input: CallbackInput, ctx: ProviderContext, ipCheck: NotificationIpCheck) {
  if (await ipCheck.allows(input.ip, ctx.now().getTime(), ctx.logger)) return;
  const ip = input.ip ?? null;
  refuse(
    ctx.logger,
    new PaymentsError('callback_forbidden', 'Notifications are not accepted from this address.', {
      details: { ip },
    }),
    'its source address is not one of AAIO\'s. Behind a proxy the address seen is the proxy\'s unless the adapter trusts it (Express "trust proxy", Koa app.proxy); otherwise AAIO did not send it',
    { ip },
  );
}

/** The posted fields, all required ones present; a body without them is not a payment notification. */
function readFields(input: CallbackInput, logger: Logger): NotificationFields {
  const fields = stringFields(input.body);
  const missing = REQUIRED.filter((name) => !fields[name]);
  if (missing.length > 0) {
    refuse(
      logger,
      new PaymentsError('callback_invalid', `The notification lacks ${missing.join(', ')}.`),
      `it lacks ${missing.join(', ')}: it is not an AAIO payment notification, or a proxy rewrote its body`,
    );
  }
  return {
    merchantId: fields['merchant_id']!,
    orderId: fields['order_id']!,
    amount: fields['amount']!,
    currency: fields['currency']!,
    status: fields['status']!,
    sign: fields['sign']!,
    invoiceId: fields['invoice_id'] ?? null,
  };
}

function checkMerchant(fields: NotificationFields, options: ResolvedAaioOptions, logger: Logger): void {
  if (safeEqual(fields.merchantId.toLowerCase(), options.merchantId.toLowerCase())) return;
  refuse(
    logger,
    new PaymentsError('callback_unauthorized', 'The notification is for another shop.'),
    "it is another shop's notification (its merchant_id is not ours): the same notification URL is set in two AAIO shops, or the merchantId option is not this shop's id",
    { merchantId: shown(fields.merchantId) },
  );
}

/** The posted amount written the other ways a decimal is commonly written ("100", "100.0", "100.00"). */
function otherRenderings(amount: string): string[] {
  const match = /^(\d+)(?:\.(\d*))?$/.exec(amount.trim());
  if (!match) return [];
  const whole = match[1]!;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  const forms = [fraction ? `${whole}.${fraction}` : whole, `${whole}.${fraction.padEnd(1, '0')}`];
  if (fraction.length <= 2) forms.push(`${whole}.${fraction.padEnd(2, '0')}`);
  return [...new Set(forms)].filter((form) => form !== amount);
}

/**
 * Why a sign does not match, as far as the notification tells: the two secrets swapped,
 * the amount signed in another rendering than the one posted, or (indistinguishable from a
 * forgery) a wrong secret #2 or a field changed after signing. Only runs for a refusal.
 */
function signMismatchCause(fields: NotificationFields, options: ResolvedAaioOptions): string {
  if (options.secret1 === options.secret2) {
    return 'secret1 and secret2 are the same key: secret2 must be secret key #2 of the shop settings';
  }
  if (verifyNotificationSign(fields, fields.sign, options.secret1)) {
    return 'it is signed with the key configured as secret1: secret1 and secret2 are swapped (secret2 must be secret key #2 of the shop settings)';
  }
  const rendering = otherRenderings(fields.amount).find((amount) =>
    verifyNotificationSign({ ...fields, amount }, fields.sign, options.secret2),
  );
  if (rendering !== undefined) {
    return `the amount was reformatted: signed as "${rendering}" but posted as "${shown(fields.amount)}"`;
  }
  return 'wrong secret #2 (the secret2 option must be secret key #2 of the shop settings), or the amount was reformatted, or amount, currency or order_id changed after AAIO signed them, as in a forgery';
}

function checkSign(fields: NotificationFields, options: ResolvedAaioOptions, logger: Logger): void {
  if (verifyNotificationSign(fields, fields.sign, options.secret2)) return;
  refuse(
    logger,
    new PaymentsError('callback_unauthorized', 'The notification sign does not match.'),
    `its sign does not match: ${signMismatchCause(fields, options)}`,
    { orderId: shown(fields.orderId), amount: shown(fields.amount), currency: shown(fields.currency) },
  );
}

function checkStatus(fields: NotificationFields, logger: Logger): void {
  if (fields.status === 'success' || fields.status === 'hold') return;
  const status = fields.status.slice(0, 32);
  refuse(
    logger,
    new PaymentsError('callback_invalid', 'The notification has an unknown status.', { details: { status } }),
    'its status is neither success nor hold, the two statuses AAIO notifies',
    { status },
  );
}

function readAmount(fields: NotificationFields, logger: Logger): string {
  const amount = decimalFromProvider(fields.amount);
  if (amount !== null) return amount;
  return refuse(
    logger,
    new PaymentsError('callback_invalid', 'The notification amount is not a decimal number.'),
    'its amount is not a decimal number, although its sign matches',
    { amount: shown(fields.amount) },
  );
}

/** The payment the notification's `order_id` names; AAIO echoes the payment id paymount sent as `order_id`. */
async function findPayment(fields: NotificationFields, ctx: ProviderContext): Promise<Payment> {
  const payment = isPaymentId(fields.orderId) ? await ctx.getPayment(fields.orderId) : null;
  if (payment && payment.provider === ctx.name) return payment;
  return refuse(
    ctx.logger,
    new PaymentsError('payment_not_found', 'The notification names no payment of this shop.'),
    'its order_id is no AAIO payment in this store: an order created outside paymount in the same AAIO shop, or a store other than the one the payment was created in',
    { orderId: shown(fields.orderId) },
  );
}

/** A genuine, signed notification whose money differs from the payment: accepted, and the engine marks an anomaly. */
function warnOnMismatch(payment: Payment, amount: string, currency: string, logger: Logger): void {
  if (compareAmounts(amount, payment.amount) === 0 && currency === payment.currency) return;
  logger.warn(
    { paymentId: payment.id, amount, currency, expected: `${payment.amount} ${payment.currency}` },
    'paymount/aaio: a signed notification does not match the payment; the shop must look',
  );
}

/**
 * Asks AAIO's info-pay about the payment; the engine calls this only for a notification it
 * has not settled yet. An order AAIO does not report paid is refused with a 5xx: AAIO sends
 * a notification once, so the 5xx shows in its cabinet for a resend, and the reconciler
 * keeps asking meanwhile.
 */
function infoPayConfirmation(payment: Payment, invoiceId: string | null, deps: NotificationDependencies) {
  return async (): Promise<ProviderEvent> => {
    const confirmed = eventFromInfoPay(await fetchInfoPay(payment, deps.options, deps.api), payment);
    if (confirmed.status !== 'paid') {
      throw new PaymentsError('provider_error', "AAIO's API does not confirm this payment yet.", {
        details: { paymentId: payment.id, providerStatus: confirmed.providerStatus ?? null },
      });
    }
    return { ...confirmed, providerRef: confirmed.providerRef ?? invoiceId };
  };
}

/**
 * Checks an AAIO payment notification, in the order a forged one is cheapest to refuse:
 * POST only, source address (when configured), required fields, our `merchant_id`, the
 * sign (secret #2 over the raw posted strings, constant time), a known status and amount,
 * a known payment. Then, when `confirmWithInfoPay` is on, AAIO's API has the last word.
 * Each refusal is logged with its likely cause.
 *
 * The amount and currency travel in the event, so the engine compares them with the
 * stored payment as decimals: a genuinely signed underpayment becomes an `anomaly`.
 */
export async function verifyAaioNotification(
  input: CallbackInput,
  ctx: ProviderContext,
  deps: NotificationDependencies,
): Promise<VerifiedCallback> {
  const { options } = deps;
  if (input.method !== 'POST') {
    throw new PaymentsError('method_not_allowed', 'AAIO notifications are POSTed.');
  }
  if (deps.ipCheck.enabled) await checkSourceAddress(input, ctx, deps.ipCheck);
  const fields = readFields(input, ctx.logger);
  checkMerchant(fields, options, ctx.logger);
  checkSign(fields, options, ctx.logger);
  checkStatus(fields, ctx.logger);
  const amount = readAmount(fields, ctx.logger);
  const payment = await findPayment(fields, ctx);
  const { invoiceId, status } = fields;
  const currency = fields.currency.trim().toUpperCase();
  const event: ProviderEvent = {
    status: 'paid',
    amount,
    currency,
    providerStatus: status,
    providerRef: invoiceId,
  };
  warnOnMismatch(payment, amount, currency, ctx.logger);
  return {
    paymentId: payment.id,
    payment,
    event,
    ...(options.confirmWithInfoPay ? { confirm: infoPayConfirmation(payment, invoiceId, deps) } : {}),
    dedupeKey: `${invoiceId ?? fields.orderId}:${status}`,
  };
}
