import { decodeCallbackBody, stringFields } from './body.js';
import type { Payments } from './engine.js';
import { isPaymentsError, PaymentsError } from './errors.js';
import { type HeaderMap, headerValue, type PaymentsRequest, type PaymentsResponse } from './http-types.js';
import { isPaymentId, type Payment } from './payment.js';

export type RouteName = 'checkout' | 'callback' | 'return' | 'status';

/** A request path that belongs to paymount. */
export interface MatchedRoute {
  readonly route: RouteName;
  /** The path parameter exactly as sent: order id, provider name or payment id ('' for a bare `/return`). */
  readonly param: string;
  /** The route reads a request body (provider callbacks). */
  readonly needsBody: boolean;
}

const ALLOWED: Readonly<Record<RouteName, string>> = {
  checkout: 'GET, POST, OPTIONS',
  callback: 'GET, POST, OPTIONS',
  return: 'GET, HEAD, OPTIONS',
  status: 'GET, HEAD, OPTIONS',
};

const PREFIXES: ReadonlyArray<readonly [string, RouteName]> = [
  ['/checkout/', 'checkout'],
  ['/callback/', 'callback'],
  ['/return/', 'return'],
  ['/status/', 'status'],
];

/**
 * Matches a path below the mount point. Costs a few `startsWith` calls for
 * paths that are not paymount's, so a shop's own routes pay next to nothing.
 *
 * There is one spelling of each route, the one the shop's router sees: the
 * parameter is taken literally (never percent-decoded; provider names and ids have
 * a fixed alphabet, so an encoded one names nothing of ours) and a trailing slash
 * makes the path not paymount's. So a guard the shop puts on
 * `/pay/checkout/:orderId` or `/pay/callback/aaio` runs for every request paymount serves.
 */
export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  if (path.length < 7 || path.charCodeAt(0) !== 47 /* / */) {
    return undefined;
  }
  if (path === '/return') return { route: 'return', param: '', needsBody: false };
  for (const [prefix, route] of PREFIXES) {
    if (!path.startsWith(prefix)) continue;
    const param = path.slice(prefix.length);
    if (param === '' || param.includes('/')) return undefined;
    // Checkout reads a POSTed form for its `provider` field (a shop's "Pay with …" buttons).
    const needsBody = method === 'POST' && (route === 'callback' || route === 'checkout');
    return { route, param, needsBody };
  }
  return undefined;
}

const BASE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

function json(status: number, body: unknown, extra: Record<string, string> = {}): PaymentsResponse {
  return {
    status,
    headers: { ...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8', ...extra },
    body: JSON.stringify(body),
  };
}

function redirect(location: string): PaymentsResponse {
  return { status: 303, headers: { ...BASE_HEADERS, location }, body: '' };
}

function wantsJson(headers: HeaderMap, query: URLSearchParams): boolean {
  if (query.get('format') === 'json') return true;
  const accept = headerValue(headers, 'accept') ?? '';
  const jsonAt = accept.indexOf('application/json');
  if (jsonAt === -1) return false;
  const htmlAt = accept.indexOf('text/html');
  return htmlAt === -1 || jsonAt < htmlAt;
}

function toSearchParams(query: PaymentsRequest['query']): { params: URLSearchParams; raw: string } {
  if (query === undefined) return { params: new URLSearchParams(), raw: '' };
  if (typeof query === 'string') {
    const raw = query.startsWith('?') ? query.slice(1) : query;
    return { params: new URLSearchParams(raw), raw };
  }
  if (query instanceof URLSearchParams) return { params: query, raw: query.toString() };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string') params.append(key, value);
    else if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
  }
  return { params, raw: params.toString() };
}

/**
 * The `provider` field of a checkout POST (`<button name="provider" value="aaio">`), from
 * a url-encoded, multipart or JSON body, or from what a body parser in front produced.
 */
async function providerFromForm(request: PaymentsRequest): Promise<string | undefined> {
  if (request.body === undefined) return undefined;
  try {
    const provider = stringFields(await decodeCallbackBody(request.body, request.headers))['provider'];
    return provider === undefined || provider === '' ? undefined : provider;
  } catch {
    throw new PaymentsError('invalid_request', 'The checkout form could not be read.');
  }
}

/** Public view of a payment for the status route: nothing a buyer should not see. */
export function publicPaymentView(payment: Payment): Record<string, unknown> {
  return {
    paymentId: payment.id,
    orderId: payment.orderId,
    provider: payment.provider,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    paidAt: payment.paidAt,
    updatedAt: payment.updatedAt,
  };
}

/** The HTTP face of the engine: turns plain requests into engine calls and errors into JSON. */
export class Router {
  readonly #payments: Payments;
  readonly #maxBodyBytes: number;
  /**
   * Whether the fix for `raw_body_unavailable` was logged: once per engine (one per shop
   * process) rather than per process, so an engine with a silent logger cannot use it up.
   */
  #rawBodyWarned = false;

  constructor(payments: Payments, maxBodyBytes: number) {
    this.#payments = payments;
    this.#maxBodyBytes = maxBodyBytes;
  }

  async handle(request: PaymentsRequest): Promise<PaymentsResponse | undefined> {
    const method = request.method.toUpperCase();
    const matched = matchRoute(method, request.path);
    if (!matched) return undefined;
    const allow = ALLOWED[matched.route];
    if (method === 'OPTIONS') {
      return { status: 204, headers: { ...BASE_HEADERS, allow }, body: '' };
    }
    if (!allow.split(', ').includes(method)) {
      return this.#errorResponse(
        new PaymentsError(
          'method_not_allowed',
          `${method} is not allowed here; use ${allow.replace(', OPTIONS', '')}.`,
        ),
        { allow },
      );
    }
    try {
      const response = await this.#route(matched, method, request);
      return method === 'HEAD' ? { ...response, body: '' } : response;
    } catch (error) {
      return this.#failure(matched, error);
    }
  }

  #failure(matched: MatchedRoute, error: unknown): PaymentsResponse {
    const known = isPaymentsError(error)
      ? error
      : new PaymentsError('internal_error', 'Unexpected failure.', { cause: error });
    const log = this.#payments.logger;
    if (known.status >= 500)
      log.error({ route: matched.route, code: known.code, err: error }, 'paymount: request failed');
    else
      log.warn(
        { route: matched.route, code: known.code, message: known.message },
        'paymount: request refused',
      );
    // Passing outages (a rate limit, the store restarting) tell the client when to come back.
    const passing = known.code === 'provider_rate_limited' || known.code === 'store_unavailable';
    return this.#errorResponse(known, passing ? { 'retry-after': '5' } : {});
  }

  /** The JSON error body; secrets are scrubbed, since provider errors may quote what upstream said. */
  #errorResponse(error: PaymentsError, extra: Record<string, string> = {}): PaymentsResponse {
    const body = error.toJSON();
    return json(
      error.status,
      { error: { code: body.error.code, message: this.#payments.redact(body.error.message) } },
      extra,
    );
  }

  async #route(matched: MatchedRoute, method: string, request: PaymentsRequest): Promise<PaymentsResponse> {
    const { params, raw } = toSearchParams(request.query);
    switch (matched.route) {
      case 'checkout': {
        const provider =
          params.get('provider') ?? (method === 'POST' ? await providerFromForm(request) : undefined);
        const outcome = await this.#payments.checkout({
          orderId: matched.param,
          ...(provider !== undefined ? { provider } : {}),
          request,
        });
        if (wantsJson(request.headers, params)) {
          return json(200, {
            paymentId: outcome.payment.id,
            status: outcome.payment.status,
            payUrl: outcome.payUrl,
            redirectUrl: outcome.redirectUrl,
          });
        }
        return redirect(outcome.redirectUrl);
      }
      case 'callback':
        return this.#callback(matched.param, method, request, params, raw);
      case 'return': {
        const id =
          matched.param || params.get('paymentId') || this.#payments.paymentIdFromReturn(params) || '';
        if (!isPaymentId(id)) throw new PaymentsError('payment_not_found', 'There is no such payment.');
        const { redirectUrl } = await this.#payments.resolveReturn(id);
        return redirect(redirectUrl);
      }
      case 'status': {
        if (!isPaymentId(matched.param))
          throw new PaymentsError('payment_not_found', 'There is no such payment.');
        const payment = await this.#payments.statusOf(matched.param);
        if (!payment) throw new PaymentsError('payment_not_found', 'There is no such payment.');
        return json(200, publicPaymentView(payment));
      }
    }
  }

  async #callback(
    providerName: string,
    method: string,
    request: PaymentsRequest,
    query: URLSearchParams,
    rawQuery: string,
  ): Promise<PaymentsResponse> {
    if (!this.#payments.hasProvider(providerName)) {
      throw new PaymentsError('not_found', 'No such callback route.');
    }
    if (method === 'POST' && request.bodyUnavailable) {
      // The shop's set-up, not the sender, is at fault: say how to fix it once, not on every retry.
      if (!this.#rawBodyWarned) {
        this.#rawBodyWarned = true;
        this.#payments.logger.warn(
          { route: 'callback', provider: providerName, code: 'raw_body_unavailable' },
          'paymount: a middleware in front of paymount consumed a callback body and left nothing usable; mount paymount before any body parser or body-reading middleware',
        );
      }
      return this.#errorResponse(new PaymentsError('raw_body_unavailable', 'The request body was consumed.'));
    }
    const body = request.body;
    if (body instanceof Uint8Array && body.byteLength > this.#maxBodyBytes) {
      throw new PaymentsError(
        'payload_too_large',
        `The request body is larger than ${this.#maxBodyBytes} bytes.`,
      );
    }
    const url = `${this.#payments.publicUrl}${request.path}${rawQuery ? `?${rawQuery}` : ''}`;
    const provider = this.#payments.providerFor(providerName);
    try {
      const decoded = await decodeCallbackBody(method === 'POST' ? body : undefined, request.headers);
      await this.#payments.handleCallback(providerName, {
        method,
        headers: request.headers,
        query,
        rawQuery,
        url,
        body: decoded,
        ip: request.ip,
      });
      return provider.callbackReply({ ok: true });
    } catch (error) {
      const known = isPaymentsError(error)
        ? error
        : new PaymentsError('internal_error', 'Unexpected failure.', { cause: error });
      this.#failure({ route: 'callback', param: providerName, needsBody: true }, known);
      const publicMessage = this.#payments.redact(known.toJSON().error.message);
      return provider.callbackReply({
        ok: false,
        code: known.code,
        status: known.status,
        message: publicMessage,
      });
    }
  }
}
