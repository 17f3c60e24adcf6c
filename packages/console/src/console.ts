import { isPaymentsError, type Logger } from '@paymount/core';
import type { PaymentsRequest, PaymentsResponse, PaymountHandler } from '@paymount/core/node';
import { confirmAction, performAction } from './actions/flow.js';
import { parseCookies } from './auth/cookies.js';
import { CsrfTokens } from './auth/csrf.js';
import { type ResolvedConsoleOptions, resolveConsoleOptions } from './config.js';
import { CONSOLE_DEFAULTS } from './defaults.js';
import { document } from './html/layout.js';
import { htmlResponse, SECURITY_HEADERS, textResponse } from './html/response.js';
import { STYLESHEET } from './html/stylesheet.js';
import { html } from './html/template.js';
import { mountBase } from './mount-base.js';
import type { ConsoleOptions, ConsolePayments, Operator } from './options.js';
import type { PageContext } from './pages/context.js';
import { problemPage, unauthorizedPage } from './pages/errors.js';
import { FilterError } from './pages/filters.js';
import { renderPage } from './pages/render.js';
import { type ConsoleMatch, matchConsole } from './routes.js';

function stylesheet(): PaymentsResponse {
  return {
    status: 200,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    },
    body: STYLESHEET,
  };
}

/** A failure with no page context to show it in (authorize threw): nothing about payments in it. */
function bareFailure(base: string, title: string): PaymentsResponse {
  const page = document(
    base,
    'Something failed',
    title,
    html`<main id="main" class="narrow"><h1>Something failed</h1>
<p>The console could not check who you are. The failure is in the shop's log.</p></main>`,
  );
  return htmlResponse(500, page);
}

/** The query in whichever shape the adapter gave it. */
function queryOf(query: PaymentsRequest['query']): URLSearchParams {
  if (query === undefined || typeof query === 'string' || query instanceof URLSearchParams) {
    return new URLSearchParams(query);
  }
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const one of typeof value === 'string' ? [value] : (value ?? [])) params.append(name, one);
  }
  return params;
}

function isOperator(value: unknown): value is Operator {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Operator).id === 'string' &&
    (value as Operator).id !== ''
  );
}

class Console implements PaymountHandler<ConsoleMatch> {
  readonly maxBodyBytes = CONSOLE_DEFAULTS.maxBodyBytes;
  readonly servesProviderCallbacks = false;
  readonly logger: Logger;
  readonly #payments: ConsolePayments;
  readonly #options: ResolvedConsoleOptions;
  readonly #csrf: CsrfTokens;

  constructor(payments: ConsolePayments, options: ResolvedConsoleOptions, logger: Logger) {
    this.#payments = payments;
    this.#options = options;
    this.#csrf = new CsrfTokens(options.secret);
    this.logger = logger;
  }

  match(method: string, path: string): ConsoleMatch | undefined {
    return matchConsole(method, path);
  }

  async respond(request: PaymentsRequest, match: ConsoleMatch): Promise<PaymentsResponse> {
    if (match.kind === 'asset') return stylesheet();
    if (match.kind === 'method_not_allowed')
      return textResponse(405, 'Method not allowed', { allow: match.allow });
    const base = mountBase(request, this.#options.mountPath);
    const { title } = this.#options;
    let operator: Operator | null;
    try {
      const found = await this.#options.authorize({
        method: request.method,
        path: request.path,
        headers: request.headers,
        cookies: parseCookies(request.headers),
        ip: request.ip,
        frameworkRequest: request.frameworkRequest,
      });
      if (found !== null && !isOperator(found))
        throw new TypeError('authorize must resolve to { id: string } or null');
      operator = found;
    } catch (error) {
      this.logger.error({ err: error }, 'paymount console: authorize failed');
      return bareFailure(base, title);
    }
    if (!operator) return unauthorizedPage(base, title, this.#options.signInUrl);
    const ctx: PageContext = {
      base,
      title,
      operator,
      csrf: this.#csrf.tokenFor(operator),
      canAct: !this.#options.readOnly && operator.canAct !== false,
      payments: this.#payments,
      query: queryOf(request.query),
      pageSize: this.#options.pageSize,
      overdueAfterMs: this.#options.overdueAfterMs,
      refundsByHand: this.#options.refundsByHand,
      now: new Date(),
    };
    return this.#answer(ctx, request, match);
  }

  async #answer(ctx: PageContext, request: PaymentsRequest, match: ConsoleMatch): Promise<PaymentsResponse> {
    try {
      if (match.kind === 'page') return await renderPage(ctx, match.page, match.paymentId);
      if (match.kind === 'confirm') return await confirmAction(ctx, match.action);
      if (match.kind === 'act') return await performAction(ctx, match.action, request, this.#csrf);
      return problemPage(ctx, 404, 'not_found', 'There is no such console page.');
    } catch (error) {
      if (error instanceof FilterError) return problemPage(ctx, 400, 'invalid_request', error.message);
      if (isPaymentsError(error) && error.status < 500)
        return problemPage(ctx, error.status, error.code, error.message);
      if (isPaymentsError(error) && typeof error.details?.['refundId'] === 'string') {
        // A refund the provider refused or did not answer: core's message says where the refund was left.
        this.logger.warn(
          { err: error, path: request.path },
          'paymount console: a refund failed at the provider',
        );
        return problemPage(ctx, error.status, error.code, error.message);
      }
      this.logger.error({ err: error, path: request.path }, 'paymount console: request failed');
      const code = isPaymentsError(error) ? error.code : 'internal_error';
      const status = isPaymentsError(error) ? error.status : 500;
      return problemPage(
        ctx,
        status,
        code,
        "The console could not answer; the failure is in the shop's log. Try again in a moment.",
      );
    }
  }
}

/**
 * The operator console: server-rendered pages over the payments, their journal and hook
 * jobs, with the actions a person takes (check a payment with its provider, replay a dead
 * hook, reconcile now, resolve an anomaly). It is a {@link PaymountHandler}: mount it with
 * the Express or Koa adapter, behind the shop's own authentication:
 *
 * ```ts
 * const ops = createConsole(payments, { authorize: (req) => (isStaff(req) ? { id: 'ana@shop' } : null) });
 * app.use('/admin/payments', paymount(ops));               // Express
 * app.use(paymount(ops, { prefix: '/admin/payments' }));   // Koa
 * ```
 *
 * Throws a `PaymentsConfigError` listing every problem with the options (no `authorize`
 * above all: the console is never open by default).
 */
export function createConsole(
  payments: ConsolePayments,
  options: ConsoleOptions,
): PaymountHandler<ConsoleMatch> {
  const resolved = resolveConsoleOptions(options);
  return new Console(payments, resolved, options.logger ?? payments.logger);
}
