import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AaioNotificationDelivery, sendNotification } from './notification-sender.js';
import { type AaioSimOrder, type AmountEcho, echoAmount, halfAmount, jsonNumber } from './orders.js';
import { messagePage, payFormPage } from './pay-form-page.js';
import { aaioSign } from './signature.js';

/** Permissions an AAIO API key can carry, by the call they open. */
export type AaioApiPermission = 'info-pay' | 'methods-pay' | 'balance';

/** How the simulated API misbehaves (for reliability tests). */
export interface AaioFault {
  /**
   * `down`: HTTP 503 with an HTML body; `garbage`: HTTP 200 with a body that is not JSON;
   * `slow`: answers after `delayMs`; `rate-limit`: HTTP 429 with `Retry-After`.
   */
  readonly mode: 'down' | 'garbage' | 'slow' | 'rate-limit';
  /** Only the next N API calls misbehave; default: until cleared. */
  readonly times?: number;
  /** For `slow`. Default 15 000 ms. */
  readonly delayMs?: number;
  /** For `rate-limit`. Default 1 second. */
  readonly retryAfterSeconds?: number;
  /** For `down`. Default 503. */
  readonly status?: number;
}

/** The shop's settings in AAIO's cabinet, changeable while the simulator runs. */
export interface AaioSimShopSettings {
  /** Where notifications are POSTed; null: none are sent. */
  notificationUrl: string | null;
  /** Where the buyer is redirected after paying; null: the simulator shows a plain page. */
  successUrl: string | null;
  /** Where the buyer is redirected after a failed or expired payment. */
  failUrl: string | null;
  /** Body encoding of notifications (AAIO's exact Content-Type is UNKNOWN). Default `urlencoded`. */
  notificationEncoding: 'urlencoded' | 'multipart';
  /** How many notifications a payment sends: AAIO sends `once`. `twice` and `never` are faults. */
  notify: 'once' | 'twice' | 'never';
  /** Sends notifications this late, in the background (the buyer's return wins the race). Default 0. */
  notifyDelayMs: number;
  /** Amount format in notifications (UNKNOWN in the docs). Default `as-sent`. */
  amountEcho: AmountEcho;
  /** `info-pay` amounts as JSON numbers (as AAIO's sample) or strings. Default `number`. */
  infoPayAmounts: 'number' | 'string';
}

export interface AaioSimulatorOptions extends Partial<AaioSimShopSettings> {
  /** Default 0 (a free port). The simulator binds 127.0.0.1 only. */
  readonly port?: number;
  /** Default: a random UUID. */
  readonly merchantId?: string;
  /** Defaults: random. Read them back from `simulator.merchant`. */
  readonly secret1?: string;
  readonly secret2?: string;
  readonly apiKey?: string;
  /** What the API key may do. Default: all. */
  readonly apiKeyPermissions?: readonly AaioApiPermission[];
  /** What `GET /api/public/ips` lists. Default `['127.0.0.1']` (where the simulator sends from). */
  readonly notificationIps?: readonly string[];
  /** Order lifetime before `expired` (UNKNOWN at AAIO). Default 24 hours. */
  readonly orderLifetimeMs?: number;
  readonly currencies?: readonly string[];
  /** How long the merchant has to answer a notification. Default 10 000 ms. */
  readonly notificationTimeoutMs?: number;
  readonly fault?: AaioFault | null;
  /** The simulator's clock (order expiry). Default: real time. */
  readonly now?: () => Date;
}

/** A running AAIO simulator. */
export interface AaioSimulator {
  /** Base URL to give the provider as `baseUrl` (http://127.0.0.1:PORT). */
  readonly url: string;
  readonly merchant: {
    readonly merchantId: string;
    readonly secret1: string;
    readonly secret2: string;
    readonly apiKey: string;
  };
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
  pay(
    orderId: string,
    options?: { amount?: string; hold?: boolean; notify?: AaioSimShopSettings['notify'] },
  ): Promise<AaioNotificationDelivery[]>;
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

const ORDER_ID = /^[A-Za-z0-9:\-_[\]|]{1,64}$/;
const AMOUNT = /^\d{1,15}(?:\.\d{1,8})?$/;
const MERCHANT_FIELDS = ['merchant_id', 'amount', 'currency', 'order_id', 'sign'] as const;

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: 'error' | 'fail' = 'error',
  ) {
    super(message);
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > 1_000_000) throw new ApiError(413, 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function firstFields(params: URLSearchParams): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of params) if (!(key in fields)) fields[key] = value;
  return fields;
}

function formatDate(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Starts a simulated AAIO on 127.0.0.1: payment creation (`get_pay_url`, legacy
 * `/merchant/pay`), a hosted pay form, the `/api/*` calls checked for `X-Api-Key`,
 * and notifications signed as AAIO documents, sent once to the shop's notification
 * URL. Prints nothing; close it with `close()`.
 */
export async function startAaioSimulator(options: AaioSimulatorOptions = {}): Promise<AaioSimulator> {
  const merchant = {
    merchantId: options.merchantId ?? randomUUID(),
    secret1: options.secret1 ?? randomBytes(16).toString('hex'),
    secret2: options.secret2 ?? randomBytes(16).toString('hex'),
    apiKey: options.apiKey ?? randomBytes(24).toString('hex'),
  };
  const settings: AaioSimShopSettings = {
    notificationUrl: options.notificationUrl ?? null,
    successUrl: options.successUrl ?? null,
    failUrl: options.failUrl ?? null,
    notificationEncoding: options.notificationEncoding ?? 'urlencoded',
    notify: options.notify ?? 'once',
    notifyDelayMs: options.notifyDelayMs ?? 0,
    amountEcho: options.amountEcho ?? 'as-sent',
    infoPayAmounts: options.infoPayAmounts ?? 'number',
  };
  const permissions = new Set<AaioApiPermission>(
    options.apiKeyPermissions ?? ['info-pay', 'methods-pay', 'balance'],
  );
  const currencies = new Set(options.currencies ?? ['RUB', 'UAH', 'EUR', 'USD']);
  const ips = options.notificationIps ?? ['127.0.0.1'];
  const lifetimeMs = options.orderLifetimeMs ?? 86_400_000;
  const notificationTimeoutMs = options.notificationTimeoutMs ?? 10_000;
  const now = options.now ?? (() => new Date());
  const orders = new Map<string, AaioSimOrder>();
  const byInvoice = new Map<string, AaioSimOrder>();
  const notifications: AaioNotificationDelivery[] = [];
  const apiCalls: { method: string; path: string }[] = [];
  const background = new Set<Promise<unknown>>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  let closed = false;
  let fault: AaioFault | null = options.fault ?? null;
  let faultLeft = fault?.times ?? Number.POSITIVE_INFINITY;
  let baseUrl = '';

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.set(timer, resolve);
    });

  const track = <T>(promise: Promise<T>): Promise<T> => {
    background.add(promise);
    void promise.finally(() => background.delete(promise)).catch(() => {});
    return promise;
  };

  /** Expiry is lazy: an order past its lifetime reads as expired. */
  const current = (order: AaioSimOrder): AaioSimOrder => {
    if (order.status === 'in_process' && now().getTime() > order.expiresAt.getTime())
      order.status = 'expired';
    return order;
  };

  const orderOrThrow = (orderId: string): AaioSimOrder => {
    const order = orders.get(orderId);
    if (!order) throw new Error(`The AAIO simulator has no order "${orderId}".`);
    return current(order);
  };

  const payFormUrl = (order: AaioSimOrder): string => `${baseUrl}/form/${order.invoiceId}`;

  function createOrder(fields: Record<string, string>): AaioSimOrder {
    const missing = MERCHANT_FIELDS.filter((name) => !fields[name]);
    if (missing.length > 0) throw new ApiError(400, `Missing parameters: ${missing.join(', ')}`);
    const {
      merchant_id: merchantId,
      amount,
      currency,
      order_id: orderId,
      sign,
    } = fields as Record<(typeof MERCHANT_FIELDS)[number], string>;
    if (merchantId !== merchant.merchantId) throw new ApiError(400, 'Shop not found');
    if (!AMOUNT.test(amount)) throw new ApiError(400, 'Invalid amount');
    if (!currencies.has(currency)) throw new ApiError(400, 'Invalid currency');
    if (!ORDER_ID.test(orderId)) throw new ApiError(400, 'Invalid order_id');
    const desc = fields['desc'] ?? '';
    if (desc.length > 512) throw new ApiError(400, 'Invalid desc');
    const lang = fields['lang'] ?? '';
    if (lang !== '' && lang !== 'ru' && lang !== 'en') throw new ApiError(400, 'Invalid lang');
    const expected = aaioSign(merchantId, amount, currency, merchant.secret1, orderId);
    if (!sameText(expected, sign)) throw new ApiError(400, 'Invalid sign');
    const existing = orders.get(orderId);
    if (existing) {
      // A repeat of the same creation names the same order; anything else is a clash.
      if (existing.amount !== amount || existing.currency !== currency) {
        throw new ApiError(400, 'order_id already used with other parameters');
      }
      return existing;
    }
    const created = now();
    const usVars: Record<string, string> = {};
    for (const [key, value] of Object.entries(fields)) if (key.startsWith('us_')) usVars[key] = value;
    const order: AaioSimOrder = {
      invoiceId: randomUUID(),
      orderId,
      merchantId,
      amount,
      currency,
      desc,
      email: fields['email'] ?? '',
      lang,
      method: fields['method'] ?? '',
      usVars,
      status: 'in_process',
      paidAmount: null,
      createdAt: created,
      expiresAt: new Date(created.getTime() + lifetimeMs),
      completedAt: null,
    };
    orders.set(orderId, order);
    byInvoice.set(order.invoiceId, order);
    return order;
  }

  function notificationFields(orderId: string): Record<string, string> {
    const order = orderOrThrow(orderId);
    if (order.status !== 'success' && order.status !== 'hold') {
      throw new Error(`Order "${orderId}" is not paid; AAIO notifies only paid orders.`);
    }
    const amount = echoAmount(order.paidAmount ?? order.amount, settings.amountEcho);
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
    fields['sign'] = aaioSign(order.merchantId, amount, order.currency, merchant.secret2, order.orderId);
    return fields;
  }

  async function deliver(orderId: string): Promise<AaioNotificationDelivery> {
    const url = settings.notificationUrl;
    const fields = notificationFields(orderId);
    const delivery: AaioNotificationDelivery = url
      ? await sendNotification({
          url,
          orderId,
          fields,
          encoding: settings.notificationEncoding,
          timeoutMs: notificationTimeoutMs,
        })
      : { orderId, url: '', fields, status: null, body: '', error: 'no notification URL is set' };
    notifications.push(delivery);
    return delivery;
  }

  async function notifyPaid(
    orderId: string,
    mode: AaioSimShopSettings['notify'],
  ): Promise<AaioNotificationDelivery[]> {
    const count = mode === 'never' ? 0 : mode === 'twice' ? 2 : 1;
    const run = async (): Promise<AaioNotificationDelivery[]> => {
      const sent: AaioNotificationDelivery[] = [];
      for (let i = 0; i < count && !closed; i++) sent.push(await deliver(orderId));
      return sent;
    };
    if (count > 0 && settings.notifyDelayMs > 0) {
      track(wait(settings.notifyDelayMs).then(run));
      return [];
    }
    return run();
  }

  async function pay(
    orderId: string,
    payOptions: { amount?: string; hold?: boolean; notify?: AaioSimShopSettings['notify'] } = {},
  ): Promise<AaioNotificationDelivery[]> {
    const order = orderOrThrow(orderId);
    if (order.status !== 'in_process') throw new Error(`Order "${orderId}" is ${order.status}, not payable.`);
    order.status = payOptions.hold ? 'hold' : 'success';
    order.paidAmount = payOptions.amount ?? order.amount;
    order.completedAt = now();
    return notifyPaid(orderId, payOptions.notify ?? settings.notify);
  }

  function expire(orderId: string): void {
    const order = orderOrThrow(orderId);
    if (order.status === 'in_process') order.status = 'expired';
  }

  function takeFault(): AaioFault | null {
    if (!fault) return null;
    const taken = fault;
    faultLeft--;
    if (faultLeft <= 0) fault = null;
    return taken;
  }

  function checkApiHeaders(req: IncomingMessage, needsKey: AaioApiPermission | null): void {
    const accept = req.headers.accept ?? '';
    if (!accept.includes('application/json')) throw new ApiError(400, 'Accept: application/json is required');
    if (req.method === 'POST') {
      const type = req.headers['content-type'] ?? '';
      if (!type.startsWith('application/x-www-form-urlencoded')) {
        throw new ApiError(400, 'Content-Type: application/x-www-form-urlencoded is required');
      }
    }
    if (needsKey) {
      const key = req.headers['x-api-key'];
      if (typeof key !== 'string' || !sameText(key, merchant.apiKey)) {
        throw new ApiError(401, 'Invalid API key');
      }
      if (!permissions.has(needsKey)) throw new ApiError(401, 'The API key lacks this permission');
    }
  }

  function infoPayAnswer(order: AaioSimOrder): Record<string, unknown> {
    const amountText = order.paidAmount ?? order.amount;
    const amount = settings.infoPayAmounts === 'number' ? jsonNumber(amountText) : amountText;
    const paid = order.status === 'success' || order.status === 'hold';
    return {
      type: 'success',
      id: order.invoiceId,
      order_id: order.orderId,
      desc: order.desc,
      merchant_id: order.merchantId,
      merchant_domain: '127.0.0.1',
      method: order.method || null,
      amount,
      currency: order.currency,
      profit: paid ? amount : null,
      commission: paid ? 0 : null,
      commission_client: paid ? 0 : null,
      commission_type: '100:0',
      email: order.email || null,
      status: order.status,
      date: formatDate(order.createdAt),
      expired_date: formatDate(order.expiresAt),
      complete_date: order.completedAt ? formatDate(order.completedAt) : null,
      us_vars: Object.keys(order.usVars).length > 0 ? order.usVars : [],
    };
  }

  async function api(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) {
    apiCalls.push({ method: req.method ?? 'GET', path });
    const injected = takeFault();
    if (injected?.mode === 'slow') await wait(injected.delayMs ?? 15_000);
    else if (injected?.mode === 'down') {
      res.writeHead(injected.status ?? 503, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
      return;
    } else if (injected?.mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>{"type":"succ');
      return;
    } else if (injected?.mode === 'rate-limit') {
      sendJson(
        res,
        429,
        { type: 'error', code: '429', message: 'Too many requests' },
        { 'retry-after': String(injected.retryAfterSeconds ?? 1) },
      );
      return;
    }
    const method = req.method ?? 'GET';
    const body = method === 'POST' ? await readBody(req) : '';
    const fields = method === 'POST' ? firstFields(new URLSearchParams(body)) : firstFields(query);
    switch (`${method} ${path}`) {
      case 'POST /merchant/get_pay_url': {
        checkApiHeaders(req, null);
        const order = createOrder(fields);
        sendJson(res, 200, { type: 'success', url: payFormUrl(order) });
        return;
      }
      case 'GET /api/info-pay':
      case 'POST /api/info-pay': {
        checkApiHeaders(req, 'info-pay');
        if (fields['merchant_id'] !== merchant.merchantId) throw new ApiError(400, 'Shop not found');
        const order = orders.get(fields['order_id'] ?? '');
        if (!order) throw new ApiError(404, 'Order not found');
        sendJson(res, 200, infoPayAnswer(current(order)));
        return;
      }
      case 'GET /api/public/ips': {
        sendJson(res, 200, { type: 'success', list: ips });
        return;
      }
      case 'POST /api/methods-pay': {
        checkApiHeaders(req, 'methods-pay');
        if (fields['merchant_id'] !== merchant.merchantId) throw new ApiError(400, 'Shop not found');
        const limits = (min: number, max: number) =>
          Object.fromEntries([...currencies].map((currency) => [currency, { min, max }]));
        sendJson(res, 200, {
          type: 'success',
          list: {
            cards_ru: { name: 'Bank cards', ...flatten(limits(10, 100_000)), commission_percent: 3 },
            sbp: { name: 'SBP', ...flatten(limits(10, 300_000)), commission_percent: 2 },
            tether_trc20: { name: 'USDT TRC-20', ...flatten(limits(100, 1_000_000)), commission_percent: 1 },
          },
        });
        return;
      }
      case 'POST /api/balance': {
        checkApiHeaders(req, 'balance');
        sendJson(res, 200, { type: 'success', balance: 0, referral: 0, hold: 0 });
        return;
      }
      default:
        throw new ApiError(404, 'Method not found');
    }
  }

  function flatten(limits: Record<string, { min: number; max: number }>) {
    const min: Record<string, number> = {};
    const max: Record<string, number> = {};
    for (const [currency, range] of Object.entries(limits)) {
      min[currency] = range.min;
      max[currency] = range.max;
    }
    return { min, max };
  }

  function redirectBuyer(res: ServerResponse, order: AaioSimOrder, succeeded: boolean): void {
    const target = succeeded ? settings.successUrl : settings.failUrl;
    if (!target) {
      sendHtml(
        res,
        200,
        messagePage(
          succeeded ? 'Payment complete' : 'Payment not completed',
          `Order ${order.orderId}: ${order.status}.`,
        ),
      );
      return;
    }
    const url = new URL(target);
    url.searchParams.set('order_id', order.orderId);
    url.searchParams.set('amount', order.amount);
    url.searchParams.set('currency', order.currency);
    res.writeHead(303, { location: url.toString() });
    res.end();
  }

  async function payForm(req: IncomingMessage, res: ServerResponse, invoiceId: string): Promise<void> {
    const found = byInvoice.get(invoiceId);
    if (!found) {
      sendHtml(res, 404, messagePage('Not found', 'There is no such payment.'));
      return;
    }
    const order = current(found);
    const formPath = `/form/${invoiceId}`;
    if (req.method !== 'POST') {
      sendHtml(res, 200, payFormPage(order, formPath));
      return;
    }
    const action = firstFields(new URLSearchParams(await readBody(req)))['action'];
    if (order.status !== 'in_process') {
      sendHtml(res, 409, payFormPage(order, formPath));
      return;
    }
    switch (action) {
      case 'pay':
      case 'hold':
      case 'less':
        await pay(order.orderId, {
          hold: action === 'hold',
          ...(action === 'less' ? { amount: halfAmount(order.amount) } : {}),
        });
        redirectBuyer(res, order, true);
        return;
      case 'expire':
        expire(order.orderId);
        redirectBuyer(res, order, false);
        return;
      default:
        sendHtml(res, 400, messagePage('Bad request', 'Unknown action.'));
    }
  }

  async function legacyPay(res: ServerResponse, query: URLSearchParams): Promise<void> {
    try {
      const order = createOrder(firstFields(query));
      res.writeHead(302, { location: payFormUrl(order) });
      res.end();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      sendHtml(res, error.status, messagePage('Payment error', error.message));
    }
  }

  const server = createServer((req, res) => {
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = parsed.pathname;
    const handle = async (): Promise<void> => {
      if (path.startsWith('/form/')) return payForm(req, res, path.slice('/form/'.length));
      if (path === '/merchant/pay' && req.method === 'GET') return legacyPay(res, parsed.searchParams);
      return api(req, res, path, parsed.searchParams);
    };
    handle().catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof ApiError) {
        sendJson(res, error.status, { type: error.type, code: String(error.status), message: error.message });
        return;
      }
      sendJson(res, 500, { type: 'error', code: '500', message: 'Internal error' });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    merchant,
    settings,
    orders,
    notifications,
    apiCalls,
    orderForPayUrl(url: string) {
      let pathname: string;
      try {
        pathname = new URL(url).pathname;
      } catch {
        return null;
      }
      if (pathname === '/merchant/pay') {
        const orderId = new URL(url).searchParams.get('order_id');
        return orderId ? (orders.get(orderId) ?? null) : null;
      }
      const invoiceId = pathname.startsWith('/form/') ? pathname.slice('/form/'.length) : '';
      return byInvoice.get(invoiceId) ?? null;
    },
    pay,
    expire,
    async resendNotification(orderId: string) {
      return deliver(orderId);
    },
    notificationFields,
    setFault(next: AaioFault | null) {
      fault = next;
      faultLeft = next?.times ?? Number.POSITIVE_INFINITY;
    },
    async idle() {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
    async close() {
      closed = true;
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
