import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeServer, listen, readBody } from '../shared/server.js';
import { expireOrder, payOrder } from './buyer-actions.js';
import { releaseHeldCallbacks, resendLastCallback, sendCallbackCopies } from './callback-dispatch.js';
import type { AurpayCallbackTamper, AurpaySimCallback } from './callbacks.js';
import { serveCashier } from './cashier.js';
import { send } from './http.js';
import { handleApi } from './merchant-api.js';
import {
  type AurpaySimulatorFaults,
  type AurpaySimulatorOptions,
  resolveAurpaySimOptions,
} from './options.js';
import type { AurpaySimOrder, AurpaySimRefund, AurpaySimStatus } from './order-book.js';
import { finishRefund } from './refunds.js';
import { type AurpaySimRequest, AurpaySimState, readAurpayState } from './state.js';

export interface AurpaySimulator {
  /** Base URL of the simulator: use it as the provider's `baseUrl`. */
  readonly url: string;
  /** Every order by Aurpay order id. */
  readonly orders: ReadonlyMap<string, AurpaySimOrder>;
  /** Every merchant API request received, oldest first. */
  readonly requests: readonly AurpaySimRequest[];
  /** Every callback built, oldest first, with paymount's answer. */
  readonly callbacks: readonly AurpaySimCallback[];
  readonly faults: AurpaySimulatorFaults;
  /** An order by Aurpay order id or pay page token (a `pay_url` works too). */
  order(ref: string): AurpaySimOrder | undefined;
  /**
   * The buyer pays: `SUCCESS`, or `PARTIAL` when `amount` (fiat) is below the price. Sends
   * the success callback unless `callback: false`; resolves once it was answered.
   */
  pay(ref: string, options?: { amount?: string; callback?: boolean }): Promise<AurpaySimCallback[]>;
  /** The order times out (`OVERDUE`); sends the timeout callback unless `callback: false`. */
  expire(ref: string, options?: { callback?: boolean }): Promise<AurpaySimCallback[]>;
  /** Sets an order's status without any callback (e.g. `RESOLVED` by the merchant, `REFUNDED`). */
  setStatus(ref: string, status: AurpaySimStatus): void;
  /** Every refund asked of the simulator, oldest first. */
  readonly refunds: () => AurpaySimRefund[];
  /** Finishes a pending refund as Aurpay's back office would (also from `/cashier/refunds`). */
  finishRefund(refundId: string, outcome?: 'SUCCESS' | 'FAILED'): void;
  /** Sends the last built callback again, byte for byte; resolves with paymount's HTTP status. */
  resendLastCallback(): Promise<number>;
  /**
   * Sends a built callback again, `copies` times at once (default 1), optionally tampered
   * with; resolves with paymount's HTTP statuses. The copies are recorded in `callbacks`.
   */
  sendCallback(
    callback: AurpaySimCallback,
    options?: { copies?: number; tamper?: AurpayCallbackTamper },
  ): Promise<number[]>;
  /** Callbacks queued by the `hold` fault, oldest first. */
  readonly held: readonly AurpaySimCallback[];
  /** Sends the held callbacks one after another, in the order built or reversed; resolves with the statuses. */
  releaseHeld(options?: { reverse?: boolean }): Promise<number[]>;
  close(): Promise<void>;
}

/** Saves the state once a control call that changed an order has finished. */
async function saving<T>(state: AurpaySimState, work: Promise<T>): Promise<T> {
  const result = await work;
  state.save();
  return result;
}

/** Records and serves merchant API calls (`/api/*`) and serves the cashier pages. */
async function route(state: AurpaySimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', state.baseUrl);
  const raw = await readBody(req);
  const method = req.method ?? 'GET';
  if (url.pathname.startsWith('/api/')) {
    state.requests.push({ method, path: url.pathname + url.search, headers: req.headers, body: raw });
    await handleApi(state, req, res, url, raw);
    return;
  }
  if (!(await serveCashier(state, method, url, res, raw))) send(res, 404, 'text/plain', 'Not found');
}

/**
 * Starts a simulated Aurpay merchant API with a hosted pay page on a real HTTP server.
 * Prints nothing. Pay pages are served at `/cashier/choose?token=…` (Aurpay's own is a
 * `#/cashier/…` hash route, which a server cannot see).
 */
export async function startAurpaySimulator(options: AurpaySimulatorOptions = {}): Promise<AurpaySimulator> {
  const saved = readAurpayState(options.stateFile);
  const state = new AurpaySimState(resolveAurpaySimOptions(options, saved), saved);
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    route(state, req, res)
      .then(() => state.save())
      .catch(() => {
        if (!res.headersSent) send(res, 500, 'text/plain', 'simulator error');
        else res.end();
      });
  };
  const { server, url } = await listen(handle, state.options.host, state.options.port);
  state.baseUrl = url;
  return {
    url,
    orders: state.book.orders,
    requests: state.requests,
    callbacks: state.callbacks,
    faults: state.faults,
    order: (ref) => {
      try {
        return state.findOrThrow(ref);
      } catch {
        return undefined;
      }
    },
    pay: (ref, payOptions) => saving(state, payOrder(state, ref, payOptions)),
    expire: (ref, expireOptions) => saving(state, expireOrder(state, ref, expireOptions)),
    setStatus: (ref, status) => {
      state.touch(state.findOrThrow(ref), status);
      state.save();
    },
    refunds: () => [...state.book.orders.values()].flatMap((o) => o.refunds ?? []),
    finishRefund: (refundId, outcome = 'SUCCESS') => finishRefund(state, refundId, outcome),
    resendLastCallback: () => resendLastCallback(state),
    sendCallback: (callback, sendOptions) => sendCallbackCopies(state, callback, sendOptions),
    held: state.held,
    releaseHeld: (releaseOptions) => releaseHeldCallbacks(state, releaseOptions),
    async close() {
      state.timers.cancelAll();
      await closeServer(server);
    },
  };
}
