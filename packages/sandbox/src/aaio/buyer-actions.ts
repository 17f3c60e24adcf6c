import { type AaioNotificationDelivery, sendNotification } from './notification-sender.js';
import type { AaioSimShopSettings } from './options.js';
import { echoAmount } from './orders.js';
import { aaioSign } from './signature.js';
import type { AaioSimState } from './state.js';

/** What a buyer (or a test acting as one) does on the pay form. */
export interface AaioPayOptions {
  /** Less than the order's amount: "Pay less". Default: the exact amount. */
  amount?: string;
  /** Freezes the funds (`hold`) instead of `success`. */
  hold?: boolean;
  /** Overrides the shop setting for this payment's notification. */
  notify?: AaioSimShopSettings['notify'];
}

/** The fields of a paid order's notification, signed with secret #2 as AAIO documents. */
export function notificationFields(state: AaioSimState, orderId: string): Record<string, string> {
  const order = state.orderOrThrow(orderId);
  if (order.status !== 'success' && order.status !== 'hold') {
    throw new Error(`Order "${orderId}" is not paid; AAIO notifies only paid orders.`);
  }
  const amount = echoAmount(order.paidAmount ?? order.amount, state.settings.amountEcho);
  const fields: Record<string, string> = {
    status: order.status,
    merchant_id: order.merchantId,
    invoice_id: order.invoiceId,
    order_id: order.orderId,
    amount,
    currency: order.currency,
    profit: amount,
    commission: '0',
    commission_client: '0',
    commission_type: '100:0',
    method: order.method || 'cards_ru',
    desc: order.desc,
    email: order.email,
    ...order.usVars,
  };
  fields['sign'] = aaioSign(order.merchantId, amount, order.currency, state.merchant.secret2, order.orderId);
  return fields;
}

/** Sends a paid order's notification once to the shop's notification URL and records it. */
export async function deliverNotification(
  state: AaioSimState,
  orderId: string,
): Promise<AaioNotificationDelivery> {
  const url = state.settings.notificationUrl;
  const fields = notificationFields(state, orderId);
  const delivery: AaioNotificationDelivery = url
    ? await sendNotification({
        url,
        orderId,
        fields,
        encoding: state.settings.notificationEncoding,
        timeoutMs: state.options.notificationTimeoutMs,
      })
    : { orderId, url: '', fields, status: null, body: '', error: 'no notification URL is set' };
  state.notifications.push(delivery);
  return delivery;
}

/** Notifies a payment as many times as `mode` says, now or (with a delay) in the background. */
async function notifyPaid(
  state: AaioSimState,
  orderId: string,
  mode: AaioSimShopSettings['notify'],
): Promise<AaioNotificationDelivery[]> {
  const count = mode === 'never' ? 0 : mode === 'twice' ? 2 : 1;
  const run = async (): Promise<AaioNotificationDelivery[]> => {
    const sent: AaioNotificationDelivery[] = [];
    for (let i = 0; i < count && !state.closed; i++) sent.push(await deliverNotification(state, orderId));
    return sent;
  };
  const delayMs = state.settings.notifyDelayMs;
  if (count > 0 && delayMs > 0) {
    state.track(state.timers.wait(delayMs).then(run));
    return [];
  }
  return run();
}

/** The buyer pays an order still in process; resolves with the notifications sent meanwhile. */
export async function payOrder(
  state: AaioSimState,
  orderId: string,
  options: AaioPayOptions = {},
): Promise<AaioNotificationDelivery[]> {
  const order = state.orderOrThrow(orderId);
  if (order.status !== 'in_process') throw new Error(`Order "${orderId}" is ${order.status}, not payable.`);
  order.status = options.hold ? 'hold' : 'success';
  order.paidAmount = options.amount ?? order.amount;
  order.completedAt = state.now();
  return notifyPaid(state, orderId, options.notify ?? state.settings.notify);
}

/** Lets an order in process expire; AAIO sends no notification for that. */
export function expireOrder(state: AaioSimState, orderId: string): void {
  const order = state.orderOrThrow(orderId);
  if (order.status === 'in_process') order.status = 'expired';
}
