import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteStore } from '@paymount/sqlite';
import { afterAll } from 'vitest';
import { storeConformance } from './support/store-conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'paymount-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
storeConformance('sqlite (file)', {
  make: async () => sqliteStore({ path: join(dir, `store-${++files}.db`) }),
});
storeConformance('sqlite (:memory:)', { make: async () => sqliteStore({ path: ':memory:' }) });
