import { openTelemetryApi } from './api.js';
import { errorCode, label } from './attributes.js';
import { OPERATION, SCOPE, SPANS } from './names.js';

/**
 * The ids of the span active now, for a log line (`trace_id`, `span_id`), or null when
 * none is (no API, no SDK, or no span): a log line is then left as it was.
 */
export function activeTraceIds(): { trace_id: string; span_id: string } | null {
  const span = openTelemetryApi()?.trace.getActiveSpan();
  if (!span) return null;
  const { traceId, spanId, traceFlags } = span.spanContext();
  // An all-zero context is the API's placeholder for "no trace".
  if (traceFlags === undefined || /^0+$/.test(traceId)) return null;
  return { trace_id: traceId, span_id: spanId };
}

/**
 * One HTTP exchange with a provider's API in a client span, below the provider call that
 * made it: provider, operation, method and HTTP status, never the URL, query or headers
 * (where the keys and signatures travel). Without a recording provider call around it,
 * the request is sent as it is.
 */
export async function providerHttpSpan<T extends { status: number }>(
  provider: string,
  method: string,
  send: () => Promise<T>,
): Promise<T> {
  const api = openTelemetryApi();
  const operation = api?.context.active().getValue(OPERATION);
  if (!api || typeof operation !== 'string') return send();
  const tracer = api.trace.getTracer(SCOPE);
  const attributes = {
    'paymount.provider': label(provider.toLowerCase()),
    'paymount.operation': label(operation),
    'http.request.method': method === 'POST' ? 'POST' : 'GET',
  };
  return tracer.startActiveSpan(
    SPANS.providerHttp,
    { kind: api.SpanKind.CLIENT, attributes },
    async (span) => {
      try {
        const response = await send();
        span.setAttribute('http.response.status_code', response.status);
        if (response.status >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR, message: 'http_5xx' });
        return response;
      } catch (error) {
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: errorCode(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
