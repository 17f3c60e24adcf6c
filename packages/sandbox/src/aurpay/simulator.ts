import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkApiAuth } from './api-auth.js';
import { type AurpaySimCallback, buildCallback, deliverCallback, tamperCallback } from './callbacks.js';
import {
  type AurpaySimOrder,
  type AurpaySimStatus,
  aurpayTime,
  compareDecimal,
  isPositiveDecimal,
  ninetyPercent,
  OrderBook,
} from './order-book.js';
import { donePageHtml, payPageHtml } from './pay-page.js';

export interface AurpaySimulatorOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
  /** The merchant's API key. Default `aurpay-sandbox-api-key`. */
  readonly apiKey?: string;
  /** Enables signature auth for this merchant besides the API key. */
  readonly signature?: { readonly token: string; readonly secret: string };
  /** When set, callbacks carry `Callback-Token`, `Date` and `Signature`. */
  readonly callbackSecret?: string;
  /** The `Callback-Token` header value. Default `aurpay-sandbox-callback-token`. */
  readonly callbackToken?: string;
  /** Echo the `API-Key` header on callbacks, as Aurpay documents. Default true. */
  readonly echoApiKey?: boolean;
  /** Append `aurpay_order_id` to GET callbacks (undocumented for pay-url). Default false. */
  readonly appendOrderIdToGetCallbacks?: boolean;
  /** Which URL the callback signature covers: as called (default) or as registered. */
  readonly callbackSignatureUrl?: 'called' | 'registered';
  /** Fiat currencies `pay-url` accepts. Default USD, EUR, GBP, JPY, CNY, HKD, SGD, AUD, CAD. */
  readonly currencies?: readonly string[];
  /** The shape of `real-currency`'s data (undocumented). Default `objects`. */
  readonly currencyListShape?: 'strings' | 'objects' | 'map';
  /** How `vs_price` is written back: like Aurpay's example ("100.0", default) or exactly as sent. */
  readonly vsPriceStyle?: 'float-text' | 'as-sent';
  /** Merchant id shown as `user_id`. */
  readonly merchantId?: string;
  /** Injected clock. */
  readonly now?: () => Date;
}

/** Ways to make the simulator misbehave; change the fields at any time. */
export interface AurpaySimulatorFaults {
  /**
   * The merchant API answers 503 (`down`), 500 (`error`), 429 with `Retry-After` (`rate-limit`),
   * non-JSON (`garbage`), late (`slow`, then normally), never (`hang`, until `close()`), or
   * drops the connection without an answer (`reset`).
   */
  api: 'down' | 'error' | 'rate-limit' | 'garbage' | 'slow' | 'hang' | 'reset' | null;
  /** How many API calls `api` still spoils before it clears itself; null: until changed. */
  apiTimes: number | null;
  /** Delay of a `slow` answer, ms. Default 2 000. */
  apiDelayMs: number;
  /**
   * Callbacks are sent (`send`), built but not sent (`drop`), sent twice (`duplicate`), or
   * queued until {@link AurpaySimulator.releaseHeld} (`hold`: delays and reorders them).
   */
  callbacks: 'send' | 'drop' | 'duplicate' | 'hold';
  /** Wait before each callback, ms. Default 0. */
  callbackDelayMs: number;
}

/** Changes to a built callback before it is sent again: a forger's or a broken proxy's edits. */
export interface AurpayCallbackTamper {
  /** Replaces the URL (query and all). */
  readonly url?: string;
  /** Header changes: a string sets it, null removes it (names are matched case-insensitively). */
  readonly headers?: Readonly<Record<string, string | null>>;
  /** Replaces the body text (POST callbacks), or edits the JSON body's fields. */
  readonly body?: string | Readonly<Record<string, unknown>>;
}

/** A merchant API request the simulator received. */
export interface AurpaySimRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

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

const DEFAULT_CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CNY', 'HKD', 'SGD', 'AUD', 'CAD'];

/** "10.00" → "10.0", "1000" → "1000.0": how Aurpay's example writes a fiat price back. */
function floatText(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${whole}.${trimmed === '' ? '0' : trimmed}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > 1_000_000) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The `price` of a pay-url body exactly as written: JSON floats would lose the digits. */
function rawAmount(body: string, field: string): { text: string; type: 'number' | 'string' } | null {
  const match = new RegExp(`"${field}"\\s*:\\s*(?:"([^"]*)"|(-?[0-9][0-9.eE+-]*))`).exec(body);
  if (!match) return null;
  return match[1] !== undefined ? { text: match[1], type: 'string' } : { text: match[2]!, type: 'number' };
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Starts a simulated Aurpay merchant API with a hosted pay page on a real HTTP server.
 * Prints nothing. Pay pages are served at `/cashier/choose?token=…` (Aurpay's own is a
 * `#/cashier/…` hash route, which a server cannot see).
 */
export async function startAurpaySimulator(options: AurpaySimulatorOptions = {}): Promise<AurpaySimulator> {
  const now = options.now ?? (() => new Date());
  const apiKey = options.apiKey ?? 'aurpay-sandbox-api-key';
  const currencies = (options.currencies ?? DEFAULT_CURRENCIES).map((c) => c.toUpperCase());
  const merchantId = options.merchantId ?? `mct-${randomBytes(6).toString('hex')}`;
  const book = new OrderBook();
  const requests: AurpaySimRequest[] = [];
  const callbacks: AurpaySimCallback[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const held: AurpaySimCallback[] = [];
  const faults: AurpaySimulatorFaults = {
    api: null,
    apiTimes: null,
    apiDelayMs: 2_000,
    callbacks: 'send',
    callbackDelayMs: 0,
  };
  let base = '';

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const send = (res: ServerResponse, status: number, type: string, body: string, extra = {}): void => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...extra });
    res.end(body);
  };
  const envelope = (res: ServerResponse, status: number, body: Record<string, unknown>): void =>
    send(res, status, 'application/json', JSON.stringify(body));
  const ok = (res: ServerResponse, data: unknown): void =>
    envelope(res, 200, { code: 0, message: 'ok', data, result: true });
  const fail = (res: ServerResponse, code: number, message: string): void =>
    envelope(res, 200, { code, message, data: null, result: false });

  function createOrder(body: Record<string, unknown>, raw: string, kind: 'pay-url' | 'pay-info') {
    const priceField = kind === 'pay-url' ? 'price' : 'vs_price';
    const fiatField = kind === 'pay-url' ? 'currency' : 'vs_currency';
    const price = rawAmount(raw, priceField);
    if (!price || !isPositiveDecimal(price.text)) return `${priceField} must be a positive amount`;
    const fiat = str(body[fiatField])?.toUpperCase();
    if (!fiat || !currencies.includes(fiat)) return `${fiatField} is not a supported currency`;
    const chain = kind === 'pay-info' ? str(body['chain']) : 'ETH';
    const coin = kind === 'pay-info' ? str(body['currency']) : 'USDT-ERC20';
    if (!chain || !coin) return 'chain and currency are required';
    const created = now();
    const orderId = book.newOrderId(created);
    const vsPrice = options.vsPriceStyle === 'as-sent' ? price.text : floatText(price.text);
    const order: AurpaySimOrder = {
      info: {
        user_id: merchantId,
        order_id: orderId,
        order_type: 'ORDER',
        platform: 'AURPAY',
        status: 'PENDING',
        chain,
        chain_name: chain === 'BTC' ? 'Bitcoin' : chain === 'ETH' ? 'Ethereum' : chain,
        currency: coin,
        amount: price.text,
        vs_price: vsPrice,
        vs_currency: fiat,
        remark: '',
        refund: false,
        bind_id: null,
        create_time: aurpayTime(created),
        update_time: aurpayTime(created),
        tx_id: `${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(6).toString('hex')}`,
        tx_type: 'ORDER',
        obtained: null,
        fee: '0',
        from_addr: null,
        to_addr: `0x${randomBytes(20).toString('hex')}`,
        tx_hash: null,
        tx_hash_list: [],
        contract_id: null,
        website: null,
      },
      token: book.newToken(),
      priceText: price.text,
      priceType: price.type,
      succeedUrl: str(body['succeed_url']),
      timeoutUrl: str(body['timeout_url']),
      callbackUrl: str(body['callback_url']),
      timeoutCallback: str(body['timeout_callback']),
      enablePostCallback: body['enable_post_callback'] === true,
      fixedEncryptPrice: body['fixed_encrypt_price'] === true,
      paidAmount: null,
    };
    book.add(order);
    return order;
  }

  const payUrlOf = (order: AurpaySimOrder): string => `${base}/cashier/choose?token=${order.token}`;

  /** The API fault for this call, counting it down when `apiTimes` is set. */
  function takeApiFault(): AurpaySimulatorFaults['api'] {
    const fault = faults.api;
    if (fault === null) return null;
    if (faults.apiTimes !== null) {
      faults.apiTimes--;
      if (faults.apiTimes <= 0) {
        faults.api = null;
        faults.apiTimes = null;
      }
    }
    return fault;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, raw: string): Promise<void> {
    const fault = takeApiFault();
    if (fault === 'slow') await wait(faults.apiDelayMs);
    if (fault === 'hang') return; // no answer at all; close() ends the connection
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'down') {
      send(res, 503, 'text/html', '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
      return;
    }
    if (fault === 'error') {
      envelope(res, 500, { code: 500, msg: 'Internal Server Error', data: null, result: false });
      return;
    }
    if (fault === 'rate-limit') {
      send(res, 429, 'application/json', JSON.stringify({ code: 429, msg: 'Too Many Requests' }), {
        'retry-after': '1',
      });
      return;
    }
    if (fault === 'garbage') {
      send(res, 200, 'text/html', '<html><body>Bad gateway {"code":0');
      return;
    }
    const method = req.method ?? 'GET';
    const denied = checkApiAuth(
      { method, pathAndQuery: url.pathname + url.search, headers: req.headers, body: raw },
      { apiKey, signature: options.signature ?? null, maxSkewMs: 300_000 },
      now(),
    );
    if (denied) {
      envelope(res, 401, { code: 401, msg: `Unauthorized: ${denied}`, data: null, result: false });
      return;
    }
    const path = url.pathname;
    if (method === 'POST' && (path === '/api/order/pay-url' || path === '/api/order/pay-info')) {
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        fail(res, 400, 'request body is not JSON');
        return;
      }
      if (typeof body !== 'object' || body === null) {
        fail(res, 400, 'request body is not an object');
        return;
      }
      const kind = path.endsWith('pay-url') ? 'pay-url' : 'pay-info';
      const order = createOrder(body as Record<string, unknown>, raw, kind);
      if (typeof order === 'string') {
        fail(res, 400, order);
        return;
      }
      if (kind === 'pay-url') {
        ok(res, { pay_url: payUrlOf(order) });
        return;
      }
      const i = order.info;
      ok(res, {
        order_id: i.order_id,
        status: i.status,
        amount: i['amount'],
        create_time: i['create_time'],
        vs_currency: i['vs_currency'],
        vs_price: i.vs_price,
        address: i['to_addr'],
        contract_addr: null,
        pay_url: payUrlOf(order),
      });
      return;
    }
    if (method === 'GET' && path.startsWith('/api/v2/order/detail/')) {
      const order = book.orders.get(decodeURIComponent(path.slice('/api/v2/order/detail/'.length)));
      if (!order) fail(res, 404, 'order not found');
      else ok(res, order.info);
      return;
    }
    if (method === 'GET' && (path === '/api/v2/order/' || path === '/api/v2/order')) {
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      const size = Math.min(100, Math.max(1, Number(url.searchParams.get('size') ?? 10) || 10));
      const all = [...book.orders.values()].reverse().map((o) => o.info);
      ok(res, {
        page,
        size,
        total: all.length,
        max_page: Math.max(1, Math.ceil(all.length / size)),
        data: all.slice((page - 1) * size, page * size),
      });
      return;
    }
    if (method === 'GET' && path === '/api/order/pay/real-currency') {
      const shape = options.currencyListShape ?? 'objects';
      ok(
        res,
        shape === 'strings'
          ? currencies
          : shape === 'map'
            ? Object.fromEntries(currencies.map((c) => [c, c]))
            : currencies.map((c) => ({ currency: c, name: c })),
      );
      return;
    }
    envelope(res, 404, { code: 404, msg: 'not found', data: null, result: false });
  }

  function findOrThrow(ref: string): AurpaySimOrder {
    const token = /[?&]token=([0-9a-f]+)/.exec(ref)?.[1];
    const order = book.find(token ?? ref);
    if (!order) throw new Error(`The Aurpay simulator has no order "${ref}".`);
    return order;
  }

  async function dispatch(order: AurpaySimOrder, kind: 'success' | 'timeout'): Promise<AurpaySimCallback[]> {
    const target = kind === 'success' ? order.callbackUrl : order.timeoutCallback;
    if (!target) return [];
    const callback = buildCallback(
      kind,
      target,
      { ...order.info },
      {
        post: order.enablePostCallback,
        appendOrderId: options.appendOrderIdToGetCallbacks ?? false,
        now: now(),
        signing: {
          apiKey,
          echoApiKey: options.echoApiKey ?? true,
          callbackSecret: options.callbackSecret ?? null,
          callbackToken: options.callbackToken ?? 'aurpay-sandbox-callback-token',
          signUrl: options.callbackSignatureUrl ?? 'called',
        },
      },
    );
    callbacks.push(callback);
    if (faults.callbacks === 'drop') return [callback];
    if (faults.callbacks === 'hold') {
      held.push(callback);
      return [callback];
    }
    if (faults.callbackDelayMs > 0) await wait(faults.callbackDelayMs);
    await deliverCallback(callback);
    if (faults.callbacks === 'duplicate') {
      const again = { ...callback, status: 0, response: '' };
      callbacks.push(again);
      await deliverCallback(again);
      return [callback, again];
    }
    return [callback];
  }

  function touch(order: AurpaySimOrder, status: AurpaySimStatus): void {
    order.info.status = status;
    order.info['update_time'] = aurpayTime(now());
  }

  async function pay(ref: string, opts: { amount?: string; callback?: boolean } = {}) {
    const order = findOrThrow(ref);
    const amount = opts.amount ?? order.info.vs_price;
    if (!isPositiveDecimal(amount)) throw new Error(`"${amount}" is not an amount.`);
    const partial = compareDecimal(amount, order.info.vs_price) < 0;
    order.paidAmount = amount;
    order.info['tx_hash'] = `0x${randomBytes(32).toString('hex')}`;
    order.info['from_addr'] = `0x${randomBytes(20).toString('hex')}`;
    order.info['obtained'] = amount;
    touch(order, partial ? 'PARTIAL' : 'SUCCESS');
    return opts.callback === false ? [] : dispatch(order, 'success');
  }

  async function expire(ref: string, opts: { callback?: boolean } = {}) {
    const order = findOrThrow(ref);
    touch(order, 'OVERDUE');
    return opts.callback === false ? [] : dispatch(order, 'timeout');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const raw = await readBody(req);
    if (url.pathname.startsWith('/api/')) {
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname + url.search,
        headers: req.headers,
        body: raw,
      });
      await handleApi(req, res, url, raw);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/cashier/choose') {
      const order = book.find(url.searchParams.get('token') ?? '');
      if (!order) send(res, 404, 'text/html; charset=utf-8', '<p>This payment link is not valid.</p>');
      else send(res, 200, 'text/html; charset=utf-8', payPageHtml(order));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/cashier/done') {
      const order = book.find(url.searchParams.get('token') ?? '');
      if (!order) send(res, 404, 'text/html; charset=utf-8', '<p>Unknown order.</p>');
      else send(res, 200, 'text/html; charset=utf-8', donePageHtml(order));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/cashier/act') {
      const form = new URLSearchParams(raw);
      const order = book.find(form.get('token') ?? '');
      const action = form.get('action');
      if (!order || (action !== 'pay' && action !== 'less' && action !== 'expire')) {
        send(res, 400, 'text/html; charset=utf-8', '<p>Unknown order or action.</p>');
        return;
      }
      if (action === 'expire') await expire(order.token);
      else await pay(order.token, action === 'less' ? { amount: ninetyPercent(order.info.vs_price) } : {});
      const next = action === 'expire' ? order.timeoutUrl : order.succeedUrl;
      send(res, 303, 'text/plain', '', { location: next ?? `${base}/cashier/done?token=${order.token}` });
      return;
    }
    send(res, 404, 'text/plain', 'Not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', 'simulator error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  base = `http://${host}:${address.port}`;

  return {
    url: base,
    orders: book.orders,
    requests,
    callbacks,
    faults,
    order: (ref) => {
      try {
        return findOrThrow(ref);
      } catch {
        return undefined;
      }
    },
    pay,
    expire,
    setStatus(ref, status) {
      touch(findOrThrow(ref), status);
    },
    async resendLastCallback() {
      const last = callbacks.at(-1);
      if (!last) throw new Error('The Aurpay simulator has sent no callback yet.');
      const again = { ...last, status: 0, response: '' };
      callbacks.push(again);
      return deliverCallback(again);
    },
    async sendCallback(callback, sendOptions = {}) {
      const copies = sendOptions.copies ?? 1;
      const edited = sendOptions.tamper ? tamperCallback(callback, sendOptions.tamper) : callback;
      const sent = Array.from({ length: copies }, () => ({ ...edited, status: 0, response: '' }));
      callbacks.push(...sent);
      return Promise.all(sent.map((copy) => deliverCallback(copy)));
    },
    held,
    async releaseHeld(releaseOptions = {}) {
      const queue = held.splice(0, held.length);
      if (releaseOptions.reverse) queue.reverse();
      const statuses: number[] = [];
      for (const callback of queue) statuses.push(await deliverCallback(callback));
      return statuses;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
