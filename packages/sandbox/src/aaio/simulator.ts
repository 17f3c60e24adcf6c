import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, closeServer, listen } from '../shared/server.js';
import {
  type AaioPayOptions,
  deliverNotification,
  expireOrder,
  notificationFields,
  payOrder,
} from './buyer-actions.js';
import { sendJson } from './http.js';
import { handleApi } from './merchant-api.js';
import type { AaioNotificationDelivery } from './notification-sender.js';
import {
  AAIO_SIM_DEFAULTS,
  type AaioFault,
  type AaioSimMerchant,
  type AaioSimShopSettings,
  type AaioSimulatorOptions,
  resolveAaioSimOptions,
} from './options.js';
import type { AaioSimOrder } from './orders.js';
import { orderForPayUrl, PAY_FORM_PREFIX, serveLegacyPay, servePayForm } from './pay-form.js';
import { AaioApiError, AaioSimState, readAaioState } from './state.js';

/** A running AAIO simulator. */
export interface AaioSimulator {
  /** Base URL to give the provider as `baseUrl` (http://127.0.0.1:PORT). */
  readonly url: string;
  readonly merchant: AaioSimMerchant;
  /** The shop's cabinet settings; assign to change them. */
  readonly settings: AaioSimShopSettings;
  /** Orders by the merchant's `order_id`. */
  readonly orders: ReadonlyMap<string, AaioSimOrder>;
  /** Every notification sent, in order. */
  readonly notifications: readonly AaioNotificationDelivery[];
  /** Every API call received (`POST /merchant/get_pay_url`, `POST /api/info-pay`, …). */
  readonly apiCalls: readonly { readonly method: string; readonly path: string }[];
  /** The order behind a pay-form URL the simulator issued. */
  orderForPayUrl(url: string): AaioSimOrder | null;
  /**
   * Pays an order as a buyer would (exact amount unless `amount`; `hold` freezes the funds)
   * and sends the notification per the settings (or `notify` for this call). Resolves with
   * the deliveries made before it returned (none when delayed).
   */
  pay(orderId: string, options?: AaioPayOptions): Promise<AaioNotificationDelivery[]>;
  /** Lets an order expire (no notification: AAIO sends none for expiry). */
  expire(orderId: string): void;
  /** Resends a paid order's notification, as the merchant can from AAIO's cabinet. */
  resendNotification(orderId: string): Promise<AaioNotificationDelivery>;
  /** The fields of a paid order's notification, signed; for tests that post it themselves. */
  notificationFields(orderId: string): Record<string, string>;
  /** Makes the API misbehave from now on, or behave again with null. */
  setFault(fault: AaioFault | null): void;
  /** Resolves when every delayed notification has been sent. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Routes a request to the pay form, the legacy pay link or the merchant API. */
function route(state: AaioSimState, req: IncomingMessage, res: ServerResponse): Promise<void> | void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname;
  if (path.startsWith(PAY_FORM_PREFIX))
    return servePayForm(state, req, res, path.slice(PAY_FORM_PREFIX.length));
  if (path === '/merchant/pay' && req.method === 'GET') return serveLegacyPay(state, res, url.searchParams);
  return handleApi(state, req, res, url);
}

/** Answers what a route threw: AAIO's JSON error for its own errors, a bare 500 for a bug. */
function answerError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const known =
    error instanceof AaioApiError
      ? error
      : error instanceof BodyTooLargeError
        ? new AaioApiError(413, error.message)
        : null;
  if (known)
    sendJson(res, known.status, { type: known.type, code: String(known.status), message: known.message });
  else sendJson(res, 500, { type: 'error', code: '500', message: 'Internal error' });
}

/**
 * Starts a simulated AAIO on 127.0.0.1: payment creation (`get_pay_url`, legacy
 * `/merchant/pay`), a hosted pay form, the `/api/*` calls checked for `X-Api-Key`,
 * and notifications signed as AAIO documents, sent once to the shop's notification
 * URL. Prints nothing; close it with `close()`.
 */
export async function startAaioSimulator(options: AaioSimulatorOptions = {}): Promise<AaioSimulator> {
  const saved = readAaioState(options.stateFile);
  const state = new AaioSimState(resolveAaioSimOptions(options, saved?.merchant ?? null), saved);
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    Promise.resolve()
      .then(() => route(state, req, res))
      .catch((error: unknown) => answerError(res, error))
      .finally(() => state.save());
  };
  const { server, url } = await listen(handle, AAIO_SIM_DEFAULTS.host, state.options.port);
  state.baseUrl = url;
  return {
    url,
    merchant: state.merchant,
    settings: state.settings,
    orders: state.orders,
    notifications: state.notifications,
    apiCalls: state.apiCalls,
    orderForPayUrl: (payUrl) => orderForPayUrl(state, payUrl),
    pay: async (orderId, payOptions) => {
      const sent = await payOrder(state, orderId, payOptions);
      state.save();
      return sent;
    },
    expire: (orderId) => {
      expireOrder(state, orderId);
      state.save();
    },
    resendNotification: (orderId) => deliverNotification(state, orderId),
    notificationFields: (orderId) => notificationFields(state, orderId),
    setFault: (fault) => state.setFault(fault),
    idle: () => state.idle(),
    async close() {
      state.closed = true;
      state.timers.cancelAll();
      await closeServer(server);
    },
  };
}
