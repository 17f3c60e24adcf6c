import {
  PaymentsError,
  ProviderHttpClient,
  type ProviderHttpResponse,
  parseProviderJson,
} from '@paymount/core/provider';
import type { ResolvedAaioOptions } from './options.js';

/** A JSON object AAIO answered with `type: "success"`. */
export type AaioAnswer = Readonly<Record<string, unknown>>;

/** An error answer AAIO gave (`type` other than `success`), kept for callers that tell errors apart. */
export interface AaioErrorDetails {
  readonly status: number;
  readonly type: string | null;
  readonly code: string | null;
  readonly message: string;
}

const MAX_MESSAGE = 200;

function describe(body: Record<string, unknown>): {
  type: string | null;
  code: string | null;
  message: string;
} {
  const type = typeof body['type'] === 'string' ? body['type'] : null;
  const rawCode = body['code'];
  const code = typeof rawCode === 'string' ? rawCode : typeof rawCode === 'number' ? String(rawCode) : null;
  const rawMessage = typeof body['message'] === 'string' ? body['message'] : '';
  // AAIO's own words help the shop; cut them short and drop control characters.
  const message = rawMessage.replace(/\p{Cc}+/gu, ' ').slice(0, MAX_MESSAGE);
  return { type, code, message };
}

/**
 * AAIO's HTTP API: url-encoded bodies, `Accept: application/json`, `X-Api-Key` on
 * `/api/*`. Every answer that is not `type: "success"` becomes a `PaymentsError`
 * with a `provider_*` code; the key and secrets never appear in one.
 */
export class AaioApiClient {
  readonly #http: ProviderHttpClient;
  readonly #apiKey: string;

  constructor(options: ResolvedAaioOptions) {
    this.#apiKey = options.apiKey;
    this.#http = new ProviderHttpClient({
      provider: 'AAIO',
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      retryDelayMs: options.retryDelayMs,
      maxRetryAfterMs: options.maxRetryAfterMs,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
  }

  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  /**
   * POSTs a url-encoded form and returns the `success` answer. `withKey` adds the
   * `X-Api-Key` header (every `/api/*` call but the public ones). `idempotent` lets
   * the client repeat the call when no answer came back.
   */
  async post(
    path: string,
    fields: Readonly<Record<string, string>>,
    options: { withKey: boolean; idempotent: boolean },
  ): Promise<AaioAnswer> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    };
    if (options.withKey) headers['x-api-key'] = this.#apiKey;
    const response = await this.#http.send({
      method: 'POST',
      path,
      headers,
      body: new URLSearchParams(fields).toString(),
      idempotent: options.idempotent,
    });
    return this.#read(path, response);
  }

  /** GETs a public endpoint (no key) and returns the `success` answer. */
  async get(path: string): Promise<AaioAnswer> {
    const response = await this.#http.send({
      method: 'GET',
      path,
      headers: { accept: 'application/json' },
      idempotent: true,
    });
    return this.#read(path, response);
  }

  #read(path: string, response: ProviderHttpResponse): AaioAnswer {
    const { status } = response;
    if (status >= 500) {
      throw new PaymentsError('provider_unavailable', `AAIO answered HTTP ${status} to ${path}.`, {
        retryable: true,
        details: { status, path },
      });
    }
    const parsed = parseProviderJson('AAIO', response);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new PaymentsError(
        'provider_error',
        `AAIO answered ${path} with something that is not an object.`,
        {
          details: { status, path },
        },
      );
    }
    const body = parsed as Record<string, unknown>;
    const { type, code, message } = describe(body);
    if (status === 200 && type === 'success') return body;
    const details: Record<string, unknown> & AaioErrorDetails = { status, type, code, message, path };
    if (status === 401 || status === 403) {
      throw new PaymentsError(
        'provider_error',
        `AAIO refused our credentials for ${path} (HTTP ${status}): check the API key and its permissions.`,
        { details },
      );
    }
    throw new PaymentsError(
      'provider_error',
      `AAIO refused ${path} (HTTP ${status}${code ? `, code ${code}` : ''})${message ? `: ${message}` : '.'}`,
      { details },
    );
  }

  async close(): Promise<void> {
    await this.#http.close();
  }
}

/** The details of an AAIO error answer, when the error is one. */
export function aaioErrorDetails(error: unknown): AaioErrorDetails | null {
  if (!(error instanceof PaymentsError) || error.code !== 'provider_error') return null;
  const details = error.details as Partial<AaioErrorDetails> | undefined;
  if (!details || typeof details.status !== 'number') return null;
  return {
    status: details.status,
    type: details.type ?? null,
    code: details.code ?? null,
    message: details.message ?? '',
  };
}
