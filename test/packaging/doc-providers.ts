/**
 * AAIO and Aurpay as their public docs describe them (shared/reference/aaio.md and
 * aurpay.md), written by hand for the packaging test: nothing here comes from
 * @paymount/sandbox or the provider packages, so a shop built from the published
 * tarballs is checked against the documented protocol, not against our own reading of it.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

export interface AaioCredentials {
  readonly merchantId: string;
  readonly secret1: string;
  readonly secret2: string;
  readonly apiKey: string;
}

interface AaioOrder {
  amount: string;
  currency: string;
  status: 'in_process' | 'success' | 'hold' | 'expired';
}

/** A fake AAIO: `get_pay_url` (checks the secret #1 sign), `info-pay` (checks X-Api-Key). */
export interface DocAaio {
  readonly url: string;
  /** Orders created through `get_pay_url`, by our `order_id` (paymount's payment id). */
  readonly orders: ReadonlyMap<string, AaioOrder>;
  /** Requests that AAIO refused, with the reason: a shop that signs wrongly shows up here. */
  readonly refusals: string[];
  /** Marks the order paid and returns the url-encoded notification AAIO would POST for it. */
  pay(orderId: string, status?: 'success' | 'hold'): string;
  close(): Promise<void>;
}

export async function startDocAaio(credentials: AaioCredentials): Promise<DocAaio> {
  const orders = new Map<string, AaioOrder>();
  const refusals: string[] = [];
  const refuse = (response: ServerResponse, status: number, message: string): void => {
    refusals.push(message);
    sendJson(response, status, { type: 'error', code: String(status), message });
  };
  const server = createServer((request, response) => {
    void readText(request).then((raw) => {
      const form = new URLSearchParams(raw);
      const field = (name: string): string => form.get(name) ?? '';
      if (request.method === 'POST' && request.url === '/merchant/get_pay_url') {
        if (!String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
          return refuse(response, 400, `get_pay_url body is ${request.headers['content-type']}`);
        }
        const { merchantId, secret1 } = credentials;
        const sign = sha256Hex(
          `${field('merchant_id')}:${field('amount')}:${field('currency')}:${secret1}:${field('order_id')}`,
        );
        if (field('merchant_id') !== merchantId) return refuse(response, 400, 'unknown merchant_id');
        if (field('sign') !== sign) return refuse(response, 400, 'get_pay_url sign does not match');
        orders.set(field('order_id'), {
          amount: field('amount'),
          currency: field('currency'),
          status: 'in_process',
        });
        return sendJson(response, 200, {
          type: 'success',
          url: `https://pay.aaio.example/form/${encodeURIComponent(field('order_id'))}`,
        });
      }
      if (request.method === 'POST' && request.url === '/api/info-pay') {
        if (request.headers['x-api-key'] !== credentials.apiKey)
          return refuse(response, 401, 'bad X-Api-Key');
        const order = orders.get(field('order_id'));
        if (!order || field('merchant_id') !== credentials.merchantId) {
          return sendJson(response, 404, { type: 'error', code: '404', message: 'Заказ не найден' });
        }
        return sendJson(response, 200, {
          type: 'success',
          id: '48ebfc18-e6c7-11ed-a05b-0242ac120003',
          order_id: field('order_id'),
          desc: '',
          merchant_id: credentials.merchantId,
          merchant_domain: 'shop.example',
          method: 'tether_trc20',
          // The doc's example answers amounts as JSON numbers.
          amount: Number(order.amount),
          currency: order.currency,
          profit: Number(order.amount),
          commission: 0,
          commission_client: 0,
          commission_type: '100:0',
          email: '',
          status: order.status,
          date: '2023-03-10 17:08:42',
          expired_date: '2023-03-11 17:09:21',
          complete_date: order.status === 'success' ? '2023-03-10 17:09:21' : null,
          us_vars: [],
        });
      }
      return refuse(response, 404, `no route ${request.method} ${request.url}`);
    });
  });
  const url = await listen(server);
  return {
    url,
    orders,
    refusals,
    pay(orderId, status = 'success') {
      const order = orders.get(orderId);
      if (!order) throw new Error(`AAIO never created order ${orderId}`);
      order.status = status;
      const fields: Record<string, string> = {
        status,
        merchant_id: credentials.merchantId,
        invoice_id: '48ebfc18-e6c7-11ed-a05b-0242ac120003',
        order_id: orderId,
        amount: order.amount,
        currency: order.currency,
        profit: order.amount,
        commission: '0',
        commission_client: '0',
        commission_type: '100:0',
        method: 'card',
        desc: '',
        email: '',
        us_key: '',
      };
      fields['sign'] = sha256Hex(
        `${fields['merchant_id']}:${fields['amount']}:${fields['currency']}:${credentials.secret2}:${orderId}`,
      );
      return new URLSearchParams(fields).toString();
    },
    close: () => close(server),
  };
}

/** One `POST /api/order/pay-url` request as Aurpay received it. */
export interface AurpayPayUrlRequest {
  readonly price: number | string;
  readonly currency: string;
  readonly succeed_url: string;
  readonly timeout_url: string;
  readonly callback_url: string;
  readonly timeout_callback: string;
  readonly enable_post_callback: boolean;
}

/** A fake Aurpay: `pay-url` (checks API-Key) and the order detail the callbacks are confirmed with. */
export interface DocAurpay {
  readonly url: string;
  readonly payUrlRequests: AurpayPayUrlRequest[];
  /** The buyer pays what the n-th pay-url asked: returns the order-info object Aurpay POSTs back. */
  pay(request: AurpayPayUrlRequest): Record<string, unknown>;
  close(): Promise<void>;
}

export async function startDocAurpay(apiKey: string): Promise<DocAurpay> {
  const orders = new Map<string, Record<string, unknown>>();
  const payUrlRequests: AurpayPayUrlRequest[] = [];
  let nextOrderId = 20250207040935220600n;
  const envelope = (data: unknown) => ({ code: 0, message: 'ok', data, result: true });
  const server = createServer((request, response) => {
    void readText(request).then((raw) => {
      if (request.headers['api-key'] !== apiKey) {
        return sendJson(response, 200, { code: 401, message: 'invalid api key', data: null, result: false });
      }
      if (request.method === 'POST' && request.url === '/api/order/pay-url') {
        payUrlRequests.push(JSON.parse(raw) as AurpayPayUrlRequest);
        const token = payUrlRequests.length.toString(16).padStart(8, '0');
        return sendJson(
          response,
          200,
          envelope({ pay_url: `https://dashboard.aurpay.example/#/cashier/choose?token=${token}` }),
        );
      }
      const detail = /^\/api\/v2\/order\/detail\/(\d+)$/.exec(request.url ?? '');
      if (request.method === 'GET' && detail) {
        const order = orders.get(detail[1] ?? '');
        if (!order) return sendJson(response, 200, { code: 404, message: 'order not found', result: false });
        return sendJson(response, 200, envelope(order));
      }
      return sendJson(response, 404, { code: 404, message: 'no route', result: false });
    });
  });
  const url = await listen(server);
  return {
    url,
    payUrlRequests,
    pay(payUrl) {
      nextOrderId += 1n;
      const now = new Date().toISOString().slice(0, 19); // the doc's zone-less UTC time
      const order: Record<string, unknown> = {
        user_id: 'mct-bea5c44da875',
        order_id: String(nextOrderId),
        order_type: 'ORDER',
        platform: 'AURPAY',
        status: 'SUCCESS',
        chain: 'BTC',
        chain_name: 'Bitcoin',
        currency: 'BTC',
        amount: '0.00102549',
        vs_price: String(payUrl.price),
        vs_currency: payUrl.currency,
        remark: '',
        refund: false,
        bind_id: null,
        create_time: now,
        update_time: now,
        tx_id: 'ca1f0db3-0a3d-47c5-94ed-c94193aa1934',
        tx_type: 'ORDER',
        obtained: null,
        fee: '0.00000820392',
        from_addr: null,
        to_addr: 'tb1q2vgyv8xh0d2sv9j8gpeuedd8sm7pyx5l064s2e',
        tx_hash: null,
        tx_hash_list: [],
        contract_id: null,
        website: null,
      };
      orders.set(String(nextOrderId), order);
      return order;
    },
    close: () => close(server),
  };
}
