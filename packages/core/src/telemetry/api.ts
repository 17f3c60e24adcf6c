import { createRequire } from 'node:module';
import type * as OpenTelemetry from '@opentelemetry/api';

/** The `@opentelemetry/api` module, as paymount calls it. */
export type OtelApi = typeof OpenTelemetry;

let loaded: OtelApi | null | undefined;

/**
 * `@opentelemetry/api` when the shop installed it, else null; looked up once per process.
 * A synchronous `require` (not `import()`): `createPayments` is synchronous, and the API
 * keeps its registrations on `globalThis` under a versioned key, so the copy required here
 * sees the SDK the shop registered through `import` as well.
 */
export function openTelemetryApi(): OtelApi | null {
  if (loaded !== undefined) return loaded;
  try {
    // Resolved from core's own location, as its peer; the CommonJS build shims import.meta.url.
    loaded = createRequire(import.meta.url)('@opentelemetry/api') as OtelApi;
  } catch {
    loaded = null;
  }
  return loaded;
}
