import { defineConfig } from 'vitest/config';

// Each package's exports map names its TypeScript source under the "@paymount/source"
// condition: tests run the source through that one declaration (tsconfig.json uses the
// same condition), never a stale dist.
const SOURCE_FIRST = ['@paymount/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions: SOURCE_FIRST },
  ssr: { resolve: { conditions: SOURCE_FIRST, externalConditions: ['@paymount/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
