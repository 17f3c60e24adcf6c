import { defineConfig } from 'vitest/config';

// Each package's exports map names its TypeScript source under the "@paymount/source"
// condition: tests run the source through that one declaration (tsconfig.json uses the
// same condition), never a stale dist.
const SOURCE_FIRST = ['@paymount/source', 'module', 'node', 'development|production'];
// Tests run in Node, which vitest hands these conditions too (`--conditions`): without
// "module", which some packages (@opentelemetry/api) point at builds only a bundler can load.
const NODE_SOURCE_FIRST = SOURCE_FIRST.filter((condition) => condition !== 'module');

export default defineConfig({
  resolve: { conditions: SOURCE_FIRST },
  ssr: { resolve: { conditions: NODE_SOURCE_FIRST, externalConditions: ['@paymount/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
