import type { Options } from 'tsup';
import { packageBuild } from '../../tsup.base';

// Shims: the CommonJS build gets an `import.meta.url` of its own, from which
// telemetry/api.ts requires the shop's optional @opentelemetry/api.
export default {
  ...(packageBuild(['index', 'provider', 'store', 'node', 'fetch', 'testing']) as Options),
  shims: true,
};
