import { createHash, createHmac } from 'node:crypto';
import { PaymentsError, ProviderHttpClient, parseProviderJson } from '@paymount/core/provider';
import type { AurpayAlgorithm, ResolvedAurpayOptions } from './options.js';

/** Aurpay's answer envelope, `{code, message | msg, data, result}`. */
export interface AurpayEnvelope {
  readonly code: unknown;
  readonly message?: unknown;
  readonly msg?: unknown;
  readonly data?: unknown;
  readonly result?: unknown;
}

const NODE_ALGORITHM: Readonly<Record<AurpayAlgorithm, string>> = {
  'HMAC-SHA256': 'sha256',
  'HMAC-SHA3_256': 'sha3-256',
};

/** ISO-8601 in UTC to the second, the `Date` form Aurpay's signature auth takes. */
export function aurpayDate(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The headers of Aurpay's signature auth for one request:
 * `Signature = base64(HMAC(secret, "{Algorithm} | {Date} | {METHOD} {path?query} | {Body-MD5}"))`,
 * the ` | {Body-MD5}` part left out when there is no body.
 */
export function signatureHeaders(
  auth: { token: string; secret: string; algorithm: AurpayAlgorithm },
  request: { method: string; pathAndQuery: string; body: string | undefined; date: string },
): Record<string, string> {
  const bodyMd5 =
    request.body === undefined || request.body === ''
      ? ''
      : createHash('md5').update(request.body, 'utf8').digest('hex');
  let text = `${auth.algorithm} | ${request.date} | ${request.method} ${request.pathAndQuery}`;
  if (bodyMd5 !== '') text += ` | ${bodyMd5}`;
  const signature = createHmac(NODE_ALGORITHM[auth.algorithm], auth.secret).update(text).digest('base64');
  return {
    'API-Token': auth.token,
    Algorithm: auth.algorithm,
    Date: request.date,
    'Body-MD5': bodyMd5,
    Signature: signature,
  };
}

/**
 * Calls Aurpay's merchant API with the configured auth and unwraps its envelope.
 * Every failure is a `PaymentsError` (`provider_*`); messages never carry a secret.
 */
export class AurpayApiClient {
  readonly #http: ProviderHttpClient;
  readonly #options: ResolvedAurpayOptions;
  readonly #basePath: string;
  readonly #secrets: string[];
  #closing: Promise<void> | null = null;

  constructor(options: ResolvedAurpayOptions) {
    this.#options = options;
    this.#http = new ProviderHttpClient({
      provider: 'Aurpay',
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      retryDelayMs: options.retryDelayMs,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    // The signed path is the one on the wire, including a path prefix of the base URL.
    this.#basePath = new URL(options.baseUrl).pathname.replace(/\/+$/, '');
    this.#secrets = [options.apiKey, options.signature?.secret, options.signature?.token].filter(
      (s): s is string => typeof s === 'string' && s.length > 0,
    );
  }

  /** GET a read endpoint (retried on transport failures and 5xx); returns the envelope's `data`. */
  async get(path: string): Promise<unknown> {
    return this.#call('GET', path, undefined, true);
  }

  /** POST a JSON body given as exact text; never retried (Aurpay has no idempotency key). */
  async post(path: string, jsonBody: string): Promise<unknown> {
    return this.#call('POST', path, jsonBody, false);
  }

  async #call(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    idempotent: boolean,
  ): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#options.signature) {
      Object.assign(
        headers,
        signatureHeaders(this.#options.signature, {
          method,
          pathAndQuery: this.#basePath + path,
          body,
          date: aurpayDate(new Date()),
        }),
      );
    } else if (this.#options.apiKey) {
      headers['API-Key'] = this.#options.apiKey;
    }
    const response = await this.#http.send({
      method,
      path,
      headers,
      ...(body !== undefined ? { body } : {}),
      idempotent,
    });
    const where = `${method} ${path.split('?')[0]}`;
    if (response.status === 401 || response.status === 403) {
      throw new PaymentsError(
        'provider_error',
        `Aurpay refused our credentials (HTTP ${response.status}) on ${where}: check apiKey / signature.`,
        { details: { status: response.status } },
      );
    }
    if (response.status >= 500) {
      // The same code AAIO's client gives an upstream outage, so shops handle both alike.
      throw new PaymentsError(
        'provider_unavailable',
        `Aurpay answered HTTP ${response.status} on ${where}.`,
        {
          retryable: true,
          details: { status: response.status },
        },
      );
    }
    const parsed = parseProviderJson('Aurpay', response);
    if (typeof parsed !== 'object' || parsed === null || !('code' in parsed)) {
      throw new PaymentsError(
        'provider_error',
        `Aurpay answered ${where} with HTTP ${response.status} and no envelope.`,
        { retryable: response.status >= 500, details: { status: response.status } },
      );
    }
    const envelope = parsed as AurpayEnvelope;
    const code = Number(envelope.code);
    // Only a zero code is success: Number() would also read null, '', false and [] as 0.
    const succeeded = envelope.code === 0 || envelope.code === '0';
    if (!succeeded || envelope.result === false || response.status >= 400) {
      const said = this.#scrub(envelope.message ?? envelope.msg);
      const reason =
        code === 401 ? 'refused our credentials (code 401): check apiKey / signature' : `refused ${where}`;
      throw new PaymentsError(
        'provider_error',
        `Aurpay ${reason}${said ? `: ${said}` : ''} (code ${String(envelope.code).slice(0, 12)}).`,
        {
          retryable: response.status >= 500,
          details: { status: response.status, aurpayCode: Number.isFinite(code) ? code : null },
        },
      );
    }
    return envelope.data;
  }

  /** A provider's message, short and without anything secret in it. */
  #scrub(value: unknown): string {
    if (typeof value !== 'string') return '';
    let text = value;
    for (const secret of this.#secrets) text = text.split(secret).join('[redacted]');
    return text.slice(0, 200).replace(/[\r\n]+/g, ' ');
  }

  /** Closes the connection pool; calling it again does nothing. */
  async close(): Promise<void> {
    if (this.#closing === null) this.#closing = this.#http.close();
    await this.#closing;
  }
}
