import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** One callback the simulator sent (or tried to), for tests to inspect and resend. */
export interface AurpaySimCallback {
  readonly kind: 'success' | 'timeout';
  readonly orderId: string;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  /** The HTTP status paymount answered, or 0 when the request failed. */
  status: number;
  /** The answer's body text. */
  response: string;
}

/** Sends one HTTP request and resolves with the status (0 on a transport failure) and body. */
export function sendHttp(
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body: string | null,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method,
        headers: body === null ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', () => resolve({ status: 0, text: '' }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, text: '' }));
    req.end(body ?? undefined);
  });
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

export interface CallbackSigning {
  readonly apiKey: string;
  readonly echoApiKey: boolean;
  readonly callbackSecret: string | null;
  readonly callbackToken: string;
  /** Sign the URL as called (with an appended order id) or as the merchant registered it. */
  readonly signUrl: 'called' | 'registered';
}

/**
 * Builds the callback Aurpay would send for an order: GET to the registered URL
 * (optionally with `aurpay_order_id` appended), or POST with the order-info JSON.
 */
export function buildCallback(
  kind: 'success' | 'timeout',
  registeredUrl: string,
  info: Record<string, unknown> & { order_id: string },
  options: { post: boolean; appendOrderId: boolean; now: Date; signing: CallbackSigning },
): AurpaySimCallback {
  let url = registeredUrl;
  if (!options.post && options.appendOrderId) {
    url += `${url.includes('?') ? '&' : '?'}aurpay_order_id=${encodeURIComponent(info.order_id)}`;
  }
  const headers: Record<string, string> = {};
  if (options.signing.echoApiKey) headers['API-Key'] = options.signing.apiKey;
  if (options.signing.callbackSecret !== null) {
    const date = options.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const signed = options.signing.signUrl === 'called' ? url : registeredUrl;
    headers['Callback-Token'] = options.signing.callbackToken;
    headers['Date'] = date;
    headers['Signature'] = createHmac('sha256', options.signing.callbackSecret)
      .update(`${date} | ${signed}`)
      .digest('base64');
  }
  let body: string | null = null;
  if (options.post) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(info);
  }
  return {
    kind,
    orderId: info.order_id,
    method: options.post ? 'POST' : 'GET',
    url,
    headers,
    body,
    status: 0,
    response: '',
  };
}

/** Delivers a built callback and records paymount's answer on it. */
export async function deliverCallback(callback: AurpaySimCallback): Promise<number> {
  const { status, text } = await sendHttp(
    callback.url,
    callback.method,
    { ...callback.headers },
    callback.body,
  );
  callback.status = status;
  callback.response = text;
  return status;
}

/** A copy of a built callback with a forger's edits applied (see `AurpayCallbackTamper`). */
export function tamperCallback(callback: AurpaySimCallback, tamper: AurpayCallbackTamper): AurpaySimCallback {
  const headers: Record<string, string> = { ...callback.headers };
  for (const [name, value] of Object.entries(tamper.headers ?? {})) {
    for (const existing of Object.keys(headers)) {
      if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    }
    if (value !== null) headers[name] = value;
  }
  let body = callback.body;
  if (typeof tamper.body === 'string') body = tamper.body;
  else if (tamper.body !== undefined) {
    const fields = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    body = JSON.stringify({ ...fields, ...tamper.body });
  }
  return { ...callback, url: tamper.url ?? callback.url, headers, body, status: 0, response: '' };
}
