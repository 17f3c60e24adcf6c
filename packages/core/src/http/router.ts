import { decodeCallbackBody } from '../contracts/callback-body.js';
import type { PaymentsRequest, PaymentsResponse } from '../contracts/http.js';
import type { PaymentsPort } from '../contracts/payments-port.js';
import { PaymentsError, toPaymentsError } from '../domain/errors.js';
import { isPaymentId } from '../domain/payment.js';
import { buyerErrorResponse } from './buyer-errors.js';
import { providerFromForm, searchParamsOf, wantsJson } from './request-reading.js';
import {
  emptyResponse,
  errorResponse,
  jsonResponse,
  publicPaymentView,
  redirectResponse,
} from './responses.js';
import { ALLOWED, ALLOWED_METHODS, type MatchedRoute, matchRoute } from './routes.js';

/** Refusals of a buyer's request that say nothing about the shop's set-up. */
const ROUTINE_REFUSALS: ReadonlySet<string> = new Set(['order_not_found', 'payment_not_found']);

/** The HTTP face of the engine: turns plain requests into port calls and errors into JSON. */
export class Router {
  readonly #port: PaymentsPort;
  /**
   * Whether the fix for `raw_body_unavailable` was logged: once per engine (one per shop
   * process) rather than per process, so an engine with a silent logger cannot use it up.
   */
  #rawBodyWarned = false;

  constructor(port: PaymentsPort) {
    this.#port = port;
  }

  /** See {@link matchRoute}. */
  match(method: string, path: string): MatchedRoute | undefined {
    return matchRoute(method.toUpperCase(), path);
  }

  /** Answers a request the router matched; never rejects. */
  respond(request: PaymentsRequest, matched: MatchedRoute): Promise<PaymentsResponse> {
    const provider = matched.route === 'callback' ? matched.param : undefined;
    return this.#port.observeRequest(matched.route, provider, (outcome) =>
      this.#answer(request, matched, outcome),
    );
  }

  async #answer(
    request: PaymentsRequest,
    matched: MatchedRoute,
    outcome: { code: string },
  ): Promise<PaymentsResponse> {
    const method = request.method.toUpperCase();
    const allow = ALLOWED[matched.route];
    if (method === 'OPTIONS') return emptyResponse(204, { allow });
    if (!ALLOWED_METHODS[matched.route].has(method)) {
      const refused = new PaymentsError(
        'method_not_allowed',
        `${method} is not allowed here; use ${allow.replace(', OPTIONS', '')}.`,
      );
      outcome.code = refused.code;
      return errorResponse(refused, this.#port.redact, { allow });
    }
    try {
      const response = await this.#route(matched, method, request, outcome);
      return method === 'HEAD' ? { ...response, body: '' } : response;
    } catch (error) {
      const known = this.#logFailure(matched, error);
      outcome.code = known.code;
      return (
        buyerErrorResponse(this.#port, matched, request, known) ?? errorResponse(known, this.#port.redact)
      );
    }
  }

  /**
   * Logs a failed request (5xx as errors, refusals as warnings) and returns it as a
   * PaymentsError. A buyer's unknown order or payment is routine (a stranger, an old
   * link), not the shop's set-up: it is logged at info, so the default console stays quiet.
   */
  #logFailure(matched: MatchedRoute, error: unknown): PaymentsError {
    const known = toPaymentsError(error);
    const log = this.#port.logger;
    const fields = { route: matched.route, code: known.code };
    if (known.status >= 500) {
      log.error({ ...fields, err: error }, 'paymount: request failed');
    } else if (matched.route !== 'callback' && ROUTINE_REFUSALS.has(known.code)) {
      log.info({ ...fields, message: known.message }, 'paymount: request refused');
    } else {
      log.warn({ ...fields, message: known.message }, 'paymount: request refused');
    }
    return known;
  }

  #route(
    matched: MatchedRoute,
    method: string,
    request: PaymentsRequest,
    outcome: { code: string },
  ): Promise<PaymentsResponse> {
    switch (matched.route) {
      case 'checkout':
        return this.#checkout(matched.param, method, request);
      case 'callback':
        return this.#callback(matched, method, request, outcome);
      case 'return':
        return this.#return(matched.param, request);
      case 'status':
        return this.#status(matched.param);
    }
  }

  async #checkout(orderId: string, method: string, request: PaymentsRequest): Promise<PaymentsResponse> {
    const { params } = searchParamsOf(request.query);
    const provider =
      params.get('provider') ?? (method === 'POST' ? await providerFromForm(request) : undefined);
    const outcome = await this.#port.checkout({
      orderId,
      ...(provider !== undefined ? { provider } : {}),
      request,
    });
    if (!wantsJson(request.headers, params)) return redirectResponse(outcome.redirectUrl);
    return jsonResponse(200, {
      paymentId: outcome.payment.id,
      status: outcome.payment.status,
      payUrl: outcome.payUrl,
      redirectUrl: outcome.redirectUrl,
    });
  }

  async #return(param: string, request: PaymentsRequest): Promise<PaymentsResponse> {
    const { params } = searchParamsOf(request.query);
    const id = param || params.get('paymentId') || this.#port.paymentIdFromReturn(params) || '';
    if (!isPaymentId(id)) throw new PaymentsError('payment_not_found', 'There is no such payment.');
    const { redirectUrl } = await this.#port.resolveReturn(id);
    return redirectResponse(redirectUrl);
  }

  async #status(paymentId: string): Promise<PaymentsResponse> {
    const payment = isPaymentId(paymentId) ? await this.#port.statusOf(paymentId) : null;
    if (!payment) throw new PaymentsError('payment_not_found', 'There is no such payment.');
    return jsonResponse(200, publicPaymentView(payment));
  }

  /** Reads, checks and applies a provider callback; answers in the provider's own reply format. */
  async #callback(
    matched: MatchedRoute,
    method: string,
    request: PaymentsRequest,
    outcome: { code: string },
  ): Promise<PaymentsResponse> {
    const providerName = matched.param;
    const reply = this.#port.callbackReplier(providerName);
    if (!reply) throw new PaymentsError('not_found', 'No such callback route.');
    if (method === 'POST' && request.bodyUnavailable) return this.#bodyConsumed(providerName);
    if (method === 'POST') this.#checkBodySize(request);
    const { params, raw } = searchParamsOf(request.query);
    const url = `${this.#port.publicUrl}${request.path}${raw ? `?${raw}` : ''}`;
    try {
      const body = await decodeCallbackBody(method === 'POST' ? request.body : undefined, request.headers);
      await this.#port.handleCallback(providerName, {
        method,
        headers: request.headers,
        query: params,
        rawQuery: raw,
        url,
        body,
        ip: request.ip,
      });
      return reply({ ok: true });
    } catch (error) {
      const known = this.#logFailure(matched, error);
      outcome.code = known.code;
      const message = this.#port.redact(known.toJSON().error.message);
      return reply({ ok: false, code: known.code, status: known.status, message });
    }
  }

  /** The shop's set-up, not the sender, is at fault: say how to fix it once, not on every retry. */
  #bodyConsumed(providerName: string): PaymentsResponse {
    if (!this.#rawBodyWarned) {
      this.#rawBodyWarned = true;
      this.#port.logger.warn(
        { route: 'callback', provider: providerName, code: 'raw_body_unavailable' },
        'paymount: a middleware in front of paymount consumed a callback body and left nothing usable; mount paymount before any body parser or body-reading middleware',
      );
    }
    return errorResponse(
      new PaymentsError('raw_body_unavailable', 'The request body was consumed.'),
      this.#port.redact,
    );
  }

  /** A POSTed callback's body must be within paymount's limit. */
  #checkBodySize(request: PaymentsRequest): void {
    const limit = this.#port.maxBodyBytes;
    if (request.body instanceof Uint8Array && request.body.byteLength > limit) {
      throw new PaymentsError('payload_too_large', `The request body is larger than ${limit} bytes.`);
    }
  }
}
