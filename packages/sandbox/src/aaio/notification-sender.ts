import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** One delivery attempt of a payment notification, as AAIO's cabinet would list it. */
export interface AaioNotificationDelivery {
  readonly orderId: string;
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
  /** The merchant's HTTP status, or null when no answer came. */
  readonly status: number | null;
  /** The merchant's answer body (first 1 000 characters). */
  readonly body: string;
  readonly error: string | null;
}

async function encode(
  fields: Readonly<Record<string, string>>,
  encoding: 'urlencoded' | 'multipart',
): Promise<{ body: Buffer; contentType: string }> {
  if (encoding === 'urlencoded') {
    return {
      body: Buffer.from(new URLSearchParams(fields).toString()),
      contentType: 'application/x-www-form-urlencoded',
    };
  }
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  // Request serialises FormData with its own boundary; borrow that instead of writing one.
  const encoded = new Request('http://multipart.invalid/', { method: 'POST', body: form });
  return {
    body: Buffer.from(await encoded.arrayBuffer()),
    contentType: encoded.headers.get('content-type') ?? 'multipart/form-data',
  };
}

/** POSTs a notification once (AAIO never retries) and records what the merchant answered. */
export async function sendNotification(options: {
  url: string;
  orderId: string;
  fields: Readonly<Record<string, string>>;
  encoding: 'urlencoded' | 'multipart';
  timeoutMs: number;
}): Promise<AaioNotificationDelivery> {
  const { url, orderId, fields } = options;
  const { body, contentType } = await encode(fields, options.encoding);
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : request;
  return new Promise((resolve) => {
    const done = (status: number | null, text: string, error: string | null): void =>
      resolve({ orderId, url, fields, status, body: text.slice(0, 1000), error });
    const req = send(
      target,
      {
        method: 'POST',
        // A fresh connection per notification: nothing lingers to keep a test server open.
        agent: false,
        headers: {
          'content-type': contentType,
          'content-length': String(body.byteLength),
          'user-agent': 'AAIO-simulator',
        },
        timeout: options.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(res.statusCode ?? null, Buffer.concat(chunks).toString('utf8'), null));
        res.on('error', (error) => done(res.statusCode ?? null, '', error.message));
      },
    );
    req.on('timeout', () => req.destroy(new Error('the merchant did not answer in time')));
    req.on('error', (error) => done(null, '', error.message));
    req.end(body);
  });
}
