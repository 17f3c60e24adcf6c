import type { Attributes, BatchObservableResult, Meter, Span, Tracer } from '@opentelemetry/api';
import type { PaymentsResponse } from '../contracts/http.js';
import type { HookJobCounts } from '../contracts/store.js';
import { type OtelApi, openTelemetryApi } from './api.js';
import { type AttributeBuilder, attributeBuilder, errorCode } from './attributes.js';
import { createInstruments, type Instruments } from './instruments.js';
import { type CallbackOutcomeLabel, type HookOutcomeLabel, OPERATION, SCOPE, SPANS } from './names.js';

/** What a request span learns while the router answers: `ok`, or the error code it answered with. */
export interface RequestOutcome {
  code: string;
}

/** What a checkout answers, as far as its count needs. */
interface CheckoutLike {
  readonly alreadyPaid: boolean;
  readonly reused: boolean;
  readonly payment: { readonly provider: string };
}

/** What the engine's actions report; one object per `createPayments`. */
export interface Telemetry {
  /** Runs a checkout, counting it by provider and outcome. */
  checkout<T extends CheckoutLike>(provider: string | undefined, run: () => Promise<T>): Promise<T>;
  callback(provider: string, outcome: CallbackOutcomeLabel, error?: unknown): void;
  transition(provider: string, from: string, to: string): void;
  /** Runs one hook attempt in a span; `retried` counts as `failed`. */
  hookRun(
    hook: string,
    attempt: number,
    run: () => Promise<'delivered' | 'retried' | 'dead'>,
  ): Promise<'delivered' | 'retried' | 'dead'>;
  /** Runs one call into a provider in a span, timing API calls; remembers the last success. */
  providerCall<T>(provider: string, operation: string, run: () => Promise<T>): Promise<T>;
  reconcileRound<T extends { checked: number; changed: number; errors: number }>(
    run: () => Promise<T>,
  ): Promise<T>;
  request(
    route: string,
    provider: string | undefined,
    answer: (outcome: RequestOutcome) => Promise<PaymentsResponse>,
  ): Promise<PaymentsResponse>;
  /** When a call into this provider's API last succeeded (epoch ms), or null. */
  lastProviderSuccess(provider: string): number | null;
  /** Reports hook job counts as observable gauges, read at collection time. */
  observeHookJobs(count: () => Promise<HookJobCounts>): void;
  close(): void;
}

/** Operations that call a provider's API (the others check a callback or an order locally). */
const API_OPERATIONS: ReadonlySet<string> = new Set(['checkout', 'status', 'confirm', 'sweep']);

const HOOK_OUTCOME = { delivered: 'delivered', retried: 'failed', dead: 'dead' } as const;

/** What both telemetry objects share: the last provider successes, kept for `health()`. */
function successTracker(): {
  note(provider: string, operation: string): void;
  last(provider: string): number | null;
} {
  const lastOk = new Map<string, number>();
  return {
    note: (provider, operation) => {
      if (API_OPERATIONS.has(operation)) lastOk.set(provider, Date.now());
    },
    last: (provider) => lastOk.get(provider) ?? null,
  };
}

/** Telemetry that records nothing but the last provider successes (no API, or `telemetry: false`). */
export function quietTelemetry(): Telemetry {
  const successes = successTracker();
  return {
    checkout: (_provider, run) => run(),
    callback: () => {},
    transition: () => {},
    hookRun: (_hook, _attempt, run) => run(),
    providerCall: async (provider, operation, run) => {
      const result = await run();
      successes.note(provider, operation);
      return result;
    },
    reconcileRound: (run) => run(),
    request: (_route, _provider, answer) => answer({ code: 'ok' }),
    lastProviderSuccess: successes.last,
    observeHookJobs: () => {},
    close: () => {},
  };
}

/** Names a span may carry: configured providers and hooks; everything else is `other`. */
export interface TelemetryNames {
  readonly providers: ReadonlySet<string>;
  readonly hooks: ReadonlySet<string>;
}

/**
 * Whether a tracer provider is registered: the API's no-op tracer hands out spans with an
 * all-zero context, a registered SDK a real one even when its sampler drops the span. The
 * probe span is never ended, so no exporter sees it.
 */
function tracerRegistered(api: OtelApi, tracer: Tracer): boolean {
  return api.trace.isSpanContextValid(tracer.startSpan('paymount.probe', {}, api.ROOT_CONTEXT).spanContext());
}

/**
 * The engine's telemetry: OpenTelemetry spans and metrics when `@opentelemetry/api` is
 * installed and `enabled`, else {@link quietTelemetry}. Each half is decided once, here:
 * spans only when a tracer provider is registered, metrics only when a meter provider is
 * (the API's no-op meter otherwise), and with neither the quiet object, so paymount does
 * nothing per request without an SDK. Span attributes are only built for spans that record.
 */
export function createTelemetry(names: TelemetryNames, enabled: boolean): Telemetry {
  const api = enabled ? openTelemetryApi() : null;
  if (!api) return quietTelemetry();
  const meter = api.metrics.getMeter(SCOPE);
  const noMeter = Object.getPrototypeOf(meter) === Object.getPrototypeOf(api.createNoopMeter());
  const tracer = api.trace.getTracer(SCOPE);
  const tracing = tracerRegistered(api, tracer);
  if (!tracing && noMeter) return quietTelemetry();
  const attrs = attributeBuilder(names.providers, names.hooks);
  return new OtelTelemetry(api, tracing ? tracer : null, noMeter ? null : meter, attrs);
}

/** Ends a span with paymount's outcome: an error span carries the error code, never a message. */
function endSpan(api: OtelApi, span: Span | null, attributes: Attributes | null, failedWith?: string): void {
  if (!span) return;
  if (attributes) span.setAttributes(attributes);
  if (failedWith !== undefined) span.setStatus({ code: api.SpanStatusCode.ERROR, message: failedWith });
  span.end();
}

const secondsSince = (started: number): number => (performance.now() - started) / 1000;

/** Spans on the shop's tracer provider and, when a meter provider is registered, metrics. */
class OtelTelemetry implements Telemetry {
  readonly #api: OtelApi;
  readonly #tracer: Tracer | null;
  readonly #meter: Meter | null;
  readonly #m: Instruments | null;
  readonly #attrs: AttributeBuilder;
  readonly #successes = successTracker();
  #stopObserving = (): void => {};

  constructor(api: OtelApi, tracer: Tracer | null, meter: Meter | null, attrs: AttributeBuilder) {
    this.#api = api;
    this.#tracer = tracer;
    this.#meter = meter;
    this.#m = meter ? createInstruments(meter) : null;
    this.#attrs = attrs;
  }

  /** Runs `body` in an active span named `name`, or with no span when no tracer is registered. */
  #inSpan<T>(name: string, body: (span: Span | null) => Promise<T>): Promise<T> {
    return this.#tracer ? this.#tracer.startActiveSpan(name, body) : body(null);
  }

  async checkout<T extends CheckoutLike>(provider: string | undefined, run: () => Promise<T>): Promise<T> {
    try {
      const outcome = await run();
      const label = outcome.alreadyPaid ? 'already_paid' : outcome.reused ? 'reused' : 'created';
      this.#m?.checkouts.add(1, this.#attrs.checkout(outcome.payment.provider, label));
      return outcome;
    } catch (error) {
      this.#m?.checkouts.add(1, this.#attrs.checkout(provider, 'failed', errorCode(error)));
      throw error;
    }
  }

  callback(provider: string, outcome: CallbackOutcomeLabel, error?: unknown): void {
    if (!this.#m) return;
    const code = error === undefined ? undefined : errorCode(error);
    this.#m.callbacks.add(1, this.#attrs.callback(provider, outcome, code));
  }

  transition(provider: string, from: string, to: string): void {
    this.#m?.transitions.add(1, this.#attrs.transition(provider, from, to));
  }

  hookRun(
    hook: string,
    attempt: number,
    run: () => Promise<'delivered' | 'retried' | 'dead'>,
  ): Promise<'delivered' | 'retried' | 'dead'> {
    return this.#inSpan(SPANS.hook, async (span) => {
      const started = performance.now();
      let outcome: HookOutcomeLabel | undefined;
      try {
        const result = await run();
        outcome = HOOK_OUTCOME[result];
        return result;
      } finally {
        const label = outcome ?? 'failed';
        if (this.#m) {
          this.#m.hookDeliveries.add(1, this.#attrs.hookRun(hook, label));
          this.#m.hookDuration.record(secondsSince(started), this.#attrs.hookRun(hook, label));
        }
        const attributes = span?.isRecording() ? this.#attrs.hookRun(hook, label, attempt) : null;
        endSpan(this.#api, span, attributes, label === 'delivered' ? undefined : label);
      }
    });
  }

  providerCall<T>(provider: string, operation: string, run: () => Promise<T>): Promise<T> {
    return this.#inSpan(SPANS.providerCall, async (span) => {
      const started = performance.now();
      let status = 'internal';
      try {
        const api = this.#api;
        // The HTTP spans below it name the operation; only worth carrying when they record.
        const result = await (span?.isRecording()
          ? api.context.with(api.context.active().setValue(OPERATION, operation), run)
          : run());
        this.#successes.note(provider, operation);
        status = 'ok';
        return result;
      } catch (error) {
        status = errorCode(error);
        throw error;
      } finally {
        if (this.#m && API_OPERATIONS.has(operation)) {
          const attributes = this.#attrs.providerCall(provider, operation, status);
          this.#m.providerRequestDuration.record(secondsSince(started), attributes);
        }
        const attributes = span?.isRecording() ? this.#attrs.providerCall(provider, operation, status) : null;
        endSpan(this.#api, span, attributes, status === 'ok' ? undefined : status);
      }
    });
  }

  reconcileRound<T extends { checked: number; changed: number; errors: number }>(
    run: () => Promise<T>,
  ): Promise<T> {
    return this.#inSpan(SPANS.reconcile, async (span) => {
      try {
        const report = await run();
        const { checked, changed, errors } = report;
        const attributes = span?.isRecording()
          ? { 'paymount.checked': checked, 'paymount.changed': changed, 'paymount.errors': errors }
          : null;
        endSpan(this.#api, span, attributes);
        return report;
      } catch (error) {
        endSpan(this.#api, span, null, errorCode(error));
        throw error;
      }
    });
  }

  request(
    route: string,
    provider: string | undefined,
    answer: (outcome: RequestOutcome) => Promise<PaymentsResponse>,
  ): Promise<PaymentsResponse> {
    return this.#inSpan(SPANS.request, async (span) => {
      const outcome: RequestOutcome = { code: 'ok' };
      let status = 500;
      try {
        const response = await answer(outcome);
        status = response.status;
        return response;
      } finally {
        const attributes = span?.isRecording()
          ? this.#attrs.request(route, provider, outcome.code, status)
          : null;
        endSpan(this.#api, span, attributes, status >= 500 ? outcome.code : undefined);
      }
    });
  }

  lastProviderSuccess(provider: string): number | null {
    return this.#successes.last(provider);
  }

  observeHookJobs(count: () => Promise<HookJobCounts>): void {
    const meter = this.#meter;
    const m = this.#m;
    if (!meter || !m) return;
    const gauges = [m.hookJobsPending, m.hookJobsDead];
    const observe = async (result: BatchObservableResult): Promise<void> => {
      const counts = await count();
      result.observe(m.hookJobsPending, counts.pending);
      result.observe(m.hookJobsDead, counts.dead);
    };
    meter.addBatchObservableCallback(observe, gauges);
    this.#stopObserving = () => meter.removeBatchObservableCallback(observe, gauges);
  }

  close(): void {
    this.#stopObserving();
  }
}
