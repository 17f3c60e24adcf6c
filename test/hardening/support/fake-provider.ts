import { createHash, createHmac, randomUUID } from 'node:crypto';
import { type Served, serve } from './http.js';

/** A request the fake provider received. */
export interface FakeRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** What the fake provider answers: any status, any bytes, any headers. */
export interface FakeAnswer {
  readonly status: number;
  readonly body: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A provider API that answers whatever the test says: not a simulator, just an HTTP
 * server whose `respond` a test replaces. Unknown calls get 404.
 */
export interface FakeProvider extends Served {
  readonly requests: FakeRequest[];
  respond: (request: FakeRequest) => FakeAnswer;
}

export async function startFakeProvider(respond: FakeProvider['respond']): Promise<FakeProvider> {
  const requests: FakeRequest[] = [];
  let fake: FakeProvider | undefined;
  const served = await serve((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      requests.push(request);
      let answer: FakeAnswer;
      try {
        answer = fake!.respond(request);
      } catch (error) {
        answer = { status: 599, body: String(error) };
      }
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body);
    });
  });
  fake = { ...served, requests, respond };
  return fake;
}

export const json = (value: unknown, status = 200): FakeAnswer => ({ status, body: JSON.stringify(value) });

// --- AAIO, as documented: url-encoded requests, `type: "success"` answers ---------------------

export const AAIO = {
  merchantId: '7d2b8f2e-9a41-4c55-8d0e-3f1b2a6c9e10',
  secret1: 'hardening-aaio-secret-one',
  secret2: 'hardening-aaio-secret-two',
  apiKey: 'hardening-aaio-api-key',
} as const;

/** `POST /merchant/get_pay_url` answered with a pay-form URL. */
export const aaioPayUrl = (url: unknown): FakeAnswer => json({ type: 'success', url });

/** `POST /api/info-pay` for one order, with fields overridden. */
export function aaioInfoPay(orderId: string, fields: Record<string, unknown> = {}): FakeAnswer {
  return json({
    type: 'success',
    id: 'a1b2c3d4-0000-4000-8000-000000000001',
    order_id: orderId,
    merchant_id: AAIO.merchantId,
    amount: '10.00',
    currency: 'USD',
    status: 'in_process',
    ...fields,
  });
}

/** The form AAIO posts to the notification URL, signed with secret #2 as documented. */
export function aaioNotification(orderId: string, amount = '10.00', currency = 'USD'): string {
  const sign = createHash('sha256')
    .update(`${AAIO.merchantId}:${amount}:${currency}:${AAIO.secret2}:${orderId}`)
    .digest('hex');
  return new URLSearchParams({
    merchant_id: AAIO.merchantId,
    // AAIO's invoice id is its own, one per order: it keys the notification's dedupe.
    invoice_id: randomUUID(),
    order_id: orderId,
    amount,
    currency,
    status: 'success',
    sign,
  }).toString();
}

/** The order id a `get_pay_url` request named (paymount's payment id). */
export function aaioOrderIdOf(request: FakeRequest): string {
  return new URLSearchParams(request.body).get('order_id') ?? '';
}

// --- Aurpay, as documented: `{code, message, data, result}` envelopes ---------------------------

export const AURPAY = {
  apiKey: 'hardening-aurpay-api-key',
  callbackSecret: 'hardening-aurpay-callback-secret',
} as const;

export const aurpayEnvelope = (data: unknown): FakeAnswer =>
  json({ code: 0, message: 'success', data, result: true });

/** An Aurpay order-info object (20-digit order id, fiat price as a decimal string). */
export function aurpayOrder(orderId: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    user_id: 'mct-bea5c44da875',
    order_id: orderId,
    status: 'PENDING',
    chain: 'ETH',
    currency: 'USDT-ERC20',
    amount: '10.000000',
    vs_price: '10.00',
    vs_currency: 'USD',
    create_time: new Date().toISOString().slice(0, 19),
    pay_url: 'https://dashboard.aurpay.test/#/cashier/choose?token=t1',
    ...fields,
  };
}

/** Aurpay's callback headers for a callback URL: echoed API-Key and the documented signature. */
export function aurpayCallbackHeaders(
  callbackUrl: string,
  date = new Date().toISOString(),
): Record<string, string> {
  const signature = createHmac('sha256', AURPAY.callbackSecret)
    .update(`${date} | ${callbackUrl}`)
    .digest('base64');
  return {
    'content-type': 'application/json',
    'API-Key': AURPAY.apiKey,
    'Callback-Token': 'hardening-callback-token',
    Date: date,
    Signature: signature,
  };
}

/** The `callback_url` paymount gave Aurpay in a checkout request. */
export function aurpayCallbackUrlOf(request: FakeRequest): string {
  return String((JSON.parse(request.body) as { callback_url?: unknown }).callback_url ?? '');
}
