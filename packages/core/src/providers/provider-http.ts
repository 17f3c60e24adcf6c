import { EventEmitter } from 'node:events';
import { Agent, type Dispatcher, request } from 'undici';
import { LIMITS } from '../config/defaults.js';
import { PaymentsError } from '../domain/errors.js';
import { providerHttpSpan } from '../telemetry/active.js';

export interface ProviderHttpOptions {
  /** Provider name for error messages ("aurpay"). */
  readonly provider: string;
  readonly baseUrl: string;
  /** Whole-request budget per attempt, in ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Extra attempts for requests marked idempotent. Default 2. */
  readonly retries?: number;
  /** Base of the exponential back-off between attempts, in ms. Default 200. */
  readonly retryDelayMs?: number;
  /** Longest wait a `Retry-After` may impose before we give up instead, in ms. Default 5 000. */
  readonly maxRetryAfterMs?: number;
  /** An undici dispatcher to use instead of the client's own keep-alive pool (tests, proxies). */
  readonly dispatcher?: Dispatcher;
}

export interface ProviderHttpRequest {
  readonly method: 'GET' | 'POST';
  /** Path and query below the base URL, starting with `/`. */
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Safe to send again when no answer came back (reads, or writes keyed by our payment id). */
  readonly idempotent: boolean;
}

export interface ProviderHttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function retryAfterMs(value: string | string[] | undefined): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/**
 * The HTTP client providers share: one keep-alive pool per provider, a time
 * budget per attempt, and retries only for requests that are safe to repeat.
 * Every failure becomes a `PaymentsError` with a `provider_*` code.
 */
export class ProviderHttpClient {
  readonly #options: Required<Omit<ProviderHttpOptions, 'dispatcher'>>;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  #closed = false;

  constructor(options: ProviderHttpOptions) {
    this.#options = {
      provider: options.provider,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: options.retries ?? 2,
      retryDelayMs: options.retryDelayMs ?? 200,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 5_000,
    };
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      new Agent({
        keepAliveTimeout: 10_000,
        connections: 32,
        connect: { timeout: this.#options.timeoutMs },
        headersTimeout: this.#options.timeoutMs,
        bodyTimeout: this.#options.timeoutMs,
      });
  }

  get baseUrl(): string {
    return this.#options.baseUrl;
  }

  /** Sends a request; answers of any HTTP status are returned, transport failures thrown. */
  async send(req: ProviderHttpRequest): Promise<ProviderHttpResponse> {
    const { retries, retryDelayMs, maxRetryAfterMs, provider } = this.#options;
    const attempts = req.idempotent ? retries + 1 : 1;
    let lastError: PaymentsError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(retryDelayMs * 2 ** (attempt - 1));
      let response: ProviderHttpResponse;
      try {
        response = await providerHttpSpan(provider, req.method, () => this.#once(req));
      } catch (error) {
        lastError = error as PaymentsError;
        continue;
      }
      if (response.status === 429) {
        const wait = retryAfterMs(response.headers['retry-after']) ?? retryDelayMs * 2 ** attempt;
        lastError = new PaymentsError(
          'provider_rate_limited',
          `${provider} is rate limiting us; try again shortly.`,
          {
            retryable: true,
            details: { status: 429, retryAfterMs: wait },
          },
        );
        if (wait > maxRetryAfterMs) break;
        if (attempt + 1 < attempts) await sleep(wait);
        continue;
      }
      if (response.status >= 500 && req.idempotent && attempt + 1 < attempts) {
        lastError = new PaymentsError('provider_error', `${provider} answered HTTP ${response.status}.`, {
          retryable: true,
          details: { status: response.status },
        });
        continue;
      }
      return response;
    }
    throw (
      lastError ??
      new PaymentsError('provider_error', `${provider} could not be reached.`, { retryable: true })
    );
  }

  async #once(req: ProviderHttpRequest): Promise<ProviderHttpResponse> {
    const { provider, timeoutMs, baseUrl } = this.#options;
    // The budget covers the whole attempt by the wall clock. undici's own timeouts do not:
    // they bound the wait for headers and each pause between body chunks (an answer that
    // trickles in never ends), and they count coarse timer ticks, which a busy event loop
    // stretches to several times the budget. They stay as a second line.
    const deadline = attemptDeadline(timeoutMs);
    try {
      const res = await request(baseUrl + req.path, {
        method: req.method,
        headers: req.headers ?? {},
        body: req.body ?? null,
        dispatcher: this.#dispatcher,
        signal: deadline.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await readCapped(res.body, provider);
      return { status: res.statusCode, headers: res.headers, text };
    } catch (error) {
      if (error instanceof PaymentsError) throw error;
      const { code: rawCode, name = '' } = error as { code?: unknown; name?: string };
      const code = typeof rawCode === 'string' ? rawCode : name;
      const timedOut = deadline.signal.aborted || /timeout/i.test(code);
      throw new PaymentsError(
        timedOut ? 'provider_timeout' : 'provider_unavailable',
        timedOut ? `${provider} did not answer in ${timeoutMs} ms.` : `${provider} could not be reached.`,
        { retryable: true, cause: error, details: { transport: code } },
      );
    } finally {
      deadline.clear();
    }
  }

  /** Closes the keep-alive pool (when the client created it). */
  async close(): Promise<void> {
    if (!this.#ownsDispatcher || this.#closed) return;
    this.#closed = true;
    await this.#dispatcher.close();
  }
}

const ignoreLateError = (): void => {};

/**
 * A wall-clock deadline for one attempt, in the shape of abort signal undici accepts (an
 * emitter with `aborted` and an `abort` event). Not `AbortSignal.timeout()`: in Node 20 it
 * costs a provider call about 45 µs of CPU, the emitter and one native timer about 6.
 */
function attemptDeadline(ms: number): {
  readonly signal: EventEmitter & { aborted: boolean };
  clear(): void;
} {
  const signal = Object.assign(new EventEmitter(), { aborted: false });
  const timer = setTimeout(() => {
    signal.aborted = true;
    signal.emit('abort');
  }, ms);
  return { signal, clear: () => clearTimeout(timer) };
}

/**
 * A provider's answer body as text, refused past `LIMITS.providerAnswerMaxBytes`: a
 * hostile or broken upstream that streams without end must not fill the shop's memory.
 */
function readCapped(body: Dispatcher.ResponseData['body'], provider: string): Promise<string> {
  // Plain listeners rather than `for await`: the async iterator costs more per answer.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: unknown): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', settle);
      body.off('close', onClose);
      // A late error of a stream already settled must not become an uncaught one.
      body.on('error', ignoreLateError);
      if (error === null) resolve(Buffer.concat(chunks).toString('utf8'));
      else reject(error);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size <= LIMITS.providerAnswerMaxBytes) {
        chunks.push(chunk);
        return;
      }
      settle(
        new PaymentsError(
          'provider_error',
          `${provider} answered more than ${LIMITS.providerAnswerMaxBytes} bytes; the answer was not read.`,
          { details: { limit: LIMITS.providerAnswerMaxBytes } },
        ),
      );
      body.destroy();
    };
    const onEnd = (): void => settle(null);
    // An answer cut off mid-body closes the stream without 'end'.
    const onClose = (): void =>
      settle(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', settle);
    body.on('close', onClose);
  });
}

/** Parses a provider's JSON answer or throws `provider_error` that says the answer was garbage. */
export function parseProviderJson(provider: string, response: ProviderHttpResponse): unknown {
  try {
    return JSON.parse(response.text) as unknown;
  } catch {
    throw new PaymentsError(
      'provider_error',
      `${provider} answered something that is not JSON (HTTP ${response.status}).`,
      {
        retryable: response.status >= 500,
        details: { status: response.status },
      },
    );
  }
}
