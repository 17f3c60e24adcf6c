import type { RequestListener } from 'node:http';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { ShopAppFactory } from './launch.js';

/**
 * Registers an OpenTelemetry meter provider whose reader is the Prometheus exporter, before
 * paymount is created (paymount's instruments are made at `createPayments`). The exporter
 * serves no port of its own here: the shop's server answers `/metrics` with it.
 */
export function prometheusMetrics(): RequestListener {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
  return (request, response) => exporter.getMetricsRequestHandler(request, response);
}

/**
 * The shop's app, with `GET /metrics` (Prometheus text format) and `GET /healthz`
 * (`payments.health()`: 200 when the store answers, 503 when it does not) in front.
 */
export function withObservability(createApp: ShopAppFactory, serveMetrics: RequestListener): ShopAppFactory {
  return (shop) => {
    const app = createApp(shop);
    return (request, response) => {
      const path = request.url?.split('?')[0];
      if (request.method === 'GET' && path === '/metrics') return serveMetrics(request, response);
      if (request.method === 'GET' && path === '/healthz') {
        shop.payments.health().then(
          (report) => {
            response.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
            response.end(JSON.stringify(report));
          },
          () => {
            response.writeHead(503).end();
          },
        );
        return;
      }
      return app(request, response);
    };
  };
}
