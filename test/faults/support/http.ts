// HTTP as a buyer's browser and a provider see it, for the fault tests and the soak: one
// request, its status, the stable error code in its answer, and no exception when the
// server is gone (status 0), because a dead shop is something these tests look for.
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';

export interface Reply {
  /** 0 when no answer came (connection refused or cut). */
  readonly status: number;
  /** paymount's stable error code, read from JSON, AAIO's `code: message` text or Aurpay's JSON. */
  readonly code: string | null;
  readonly retryAfter: string | null;
  readonly location: string | null;
  readonly text: string;
}

/** The error code in an answer body, whichever reply format the route uses. */
export function errorCode(text: string): string | null {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
    const nested = (body.error as { code?: unknown } | undefined)?.code;
    return typeof nested === 'string' ? nested : null;
  } catch {
    const match = /^([a-z_]+): /.exec(text);
    return match ? match[1]! : null;
  }
}

/** One request; never throws. Redirects are not followed: a 303 is an answer. */
export async function send(url: string, init: RequestInit = {}): Promise<Reply> {
  try {
    const response = await fetch(url, { redirect: 'manual', ...init });
    const text = await response.text();
    return {
      status: response.status,
      code: response.status >= 400 ? errorCode(text) : null,
      retryAfter: response.headers.get('retry-after'),
      location: response.headers.get('location'),
      text,
    };
  } catch (error) {
    const text = error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error);
    return { status: 0, code: 'no_answer', retryAfter: null, location: null, text };
  }
}

/**
 * One request with exactly these headers, over node:http (fetch refuses to send some a
 * provider does, such as `Date`); never throws.
 */
export function sendRaw(
  url: string,
  method: string,
  headers: Readonly<Record<string, string>>,
  body: string | null,
): Promise<Reply> {
  const all: Record<string, string> = { ...headers };
  if (body !== null) all['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve) => {
    const req = httpRequest(url, { method, headers: all, agent: false, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        const retryAfter = res.headers['retry-after'];
        resolve({
          status,
          code: status >= 400 ? errorCode(text) : null,
          retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
          location: res.headers.location ?? null,
          text,
        });
      });
      res.on('error', () =>
        resolve({ status: 0, code: 'no_answer', retryAfter: null, location: null, text: '' }),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) =>
      resolve({ status: 0, code: 'no_answer', retryAfter: null, location: null, text: error.message }),
    );
    req.end(body ?? undefined);
  });
}

/** A JSON checkout, as a shop's page script would ask for one. */
export async function checkout(
  payUrl: string,
  orderId: string,
  provider: string,
): Promise<Reply & { paymentId: string | null; providerPayUrl: string | null }> {
  const reply = await send(`${payUrl}/checkout/${orderId}?provider=${provider}`, {
    method: 'POST',
    headers: { accept: 'application/json' },
  });
  if (reply.status !== 200) return { ...reply, paymentId: null, providerPayUrl: null };
  const body = JSON.parse(reply.text) as { paymentId: string; payUrl: string };
  return { ...reply, paymentId: body.paymentId, providerPayUrl: body.payUrl };
}

/** The AAIO shop credentials a test shares between the simulator and the shop. */
export interface AaioMerchant {
  readonly merchantId: string;
  readonly secret1: string;
  readonly secret2: string;
  readonly apiKey: string;
}

/**
 * A payment notification as AAIO documents it: form fields, `sign` =
 * sha256 hex of `merchant_id:amount:currency:secret2:order_id`.
 */
export function aaioNotification(
  merchant: AaioMerchant,
  order: { orderId: string; invoiceId: string; amount: string; currency: string },
): Record<string, string> {
  const sign = createHash('sha256')
    .update(`${merchant.merchantId}:${order.amount}:${order.currency}:${merchant.secret2}:${order.orderId}`)
    .digest('hex');
  return {
    status: 'success',
    merchant_id: merchant.merchantId,
    invoice_id: order.invoiceId,
    order_id: order.orderId,
    amount: order.amount,
    currency: order.currency,
    profit: order.amount,
    commission: '0',
    commission_client: '0',
    commission_type: '0:0',
    method: 'cards_ru',
    desc: '',
    email: '',
    us_key: '',
    sign,
  };
}

/** POSTs a notification url-encoded, as AAIO does. */
export function postNotification(callbackUrl: string, fields: Record<string, string>): Promise<Reply> {
  return send(callbackUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Repeats `attempt` until `done` accepts its result, pausing between tries; throws after `timeoutMs`. */
export async function eventually<T>(
  attempt: () => Promise<T>,
  done: (result: T) => boolean,
  what: string,
  timeoutMs = 30_000,
  pauseMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await attempt();
    if (done(last)) return last;
    await sleep(pauseMs);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms; last result ${JSON.stringify(last)}`);
}
