import {
  type AurpayCallbackTamper,
  type AurpaySimCallback,
  buildCallback,
  deliverCallback,
  tamperCallback,
} from './callbacks.js';
import type { AurpaySimOrder } from './order-book.js';
import type { AurpaySimState } from './state.js';

/** A fresh, not yet answered copy of a built callback, recorded among the simulator's callbacks. */
function recordCopy(state: AurpaySimState, callback: AurpaySimCallback): AurpaySimCallback {
  const copy = { ...callback, status: 0, response: '' };
  state.callbacks.push(copy);
  return copy;
}

/**
 * Builds the order's success or timeout callback to the URL the merchant registered for it
 * (none registered: none sent) and sends it as the `callbacks` fault says: normally, not at
 * all, twice, or held back. Resolves with the callbacks built, once they were answered.
 */
export async function dispatchCallback(
  state: AurpaySimState,
  order: AurpaySimOrder,
  kind: 'success' | 'timeout',
): Promise<AurpaySimCallback[]> {
  const target = kind === 'success' ? order.callbackUrl : order.timeoutCallback;
  if (!target) return [];
  const { options, faults } = state;
  const callback = buildCallback(
    kind,
    target,
    { ...order.info },
    {
      post: order.enablePostCallback,
      appendOrderId: options.appendOrderIdToGetCallbacks,
      now: state.now(),
      signing: {
        apiKey: options.apiKey,
        echoApiKey: options.echoApiKey,
        callbackSecret: options.callbackSecret,
        callbackToken: options.callbackToken,
        signUrl: options.callbackSignatureUrl,
      },
    },
  );
  state.callbacks.push(callback);
  if (faults.callbacks === 'drop') return [callback];
  if (faults.callbacks === 'hold') {
    state.held.push(callback);
    return [callback];
  }
  if (faults.callbackDelayMs > 0) await state.timers.wait(faults.callbackDelayMs);
  await deliverCallback(callback);
  if (faults.callbacks !== 'duplicate') return [callback];
  const again = recordCopy(state, callback);
  await deliverCallback(again);
  return [callback, again];
}

/** Sends the last built callback again, byte for byte; resolves with paymount's HTTP status. */
export async function resendLastCallback(state: AurpaySimState): Promise<number> {
  const last = state.callbacks.at(-1);
  if (!last) throw new Error('The Aurpay simulator has sent no callback yet.');
  return deliverCallback(recordCopy(state, last));
}

/** Sends `copies` copies of a callback at once, tampered with if asked; resolves with the statuses. */
export async function sendCallbackCopies(
  state: AurpaySimState,
  callback: AurpaySimCallback,
  options: { copies?: number; tamper?: AurpayCallbackTamper } = {},
): Promise<number[]> {
  const edited = options.tamper ? tamperCallback(callback, options.tamper) : callback;
  const sent = Array.from({ length: options.copies ?? 1 }, () => recordCopy(state, edited));
  return Promise.all(sent.map((copy) => deliverCallback(copy)));
}

/** Sends the held callbacks one after another, in the order built or reversed. */
export async function releaseHeldCallbacks(
  state: AurpaySimState,
  options: { reverse?: boolean } = {},
): Promise<number[]> {
  const queue = state.held.splice(0, state.held.length);
  if (options.reverse) queue.reverse();
  const statuses: number[] = [];
  for (const callback of queue) statuses.push(await deliverCallback(callback));
  return statuses;
}
