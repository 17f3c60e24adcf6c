import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  type DataPoint,
  MeterProvider,
  type MetricData,
  MetricReader,
  type Histogram as SdkHistogram,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A reader the test collects from when it wants, instead of on a timer. */
class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** The OpenTelemetry SDK registered globally, as a shop's start-up does, with in-memory exporters. */
export interface TestSdk {
  readonly spans: InMemorySpanExporter;
  finishedSpans(): ReadableSpan[];
  /** Every metric collected now, by name. */
  collect(): Promise<Map<string, MetricData>>;
  shutdown(): Promise<void>;
}

/** Which halves of the SDK a test registers; both unless told. */
export interface SdkHalves {
  readonly traces?: boolean;
  readonly metrics?: boolean;
}

/** Registers a tracer provider, a context manager and a meter provider globally (before createPayments). */
export function registerSdk(halves: SdkHalves = {}): TestSdk {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  context.setGlobalContextManager(contextManager);
  if (halves.traces !== false) trace.setGlobalTracerProvider(tracerProvider);
  if (halves.metrics !== false) metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans,
    finishedSpans: () => spans.getFinishedSpans(),
    async collect() {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length > 0) throw errors[0];
      const byName = new Map<string, MetricData>();
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
      }
      return byName;
    },
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
      contextManager.disable();
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}

/** A counter's or gauge's points as [attributes, value]. */
export function points(metric: MetricData | undefined): Array<[Record<string, unknown>, number]> {
  return (metric?.dataPoints ?? []).map((p) => [
    { ...p.attributes },
    typeof p.value === 'number' ? p.value : (p.value as SdkHistogram).count,
  ]);
}

/** Every attribute value of every data point of every metric. */
export function metricAttributeValues(all: Map<string, MetricData>): unknown[] {
  const values: unknown[] = [];
  for (const metric of all.values()) {
    for (const point of metric.dataPoints as DataPoint<unknown>[])
      values.push(...Object.values(point.attributes));
  }
  return values;
}
