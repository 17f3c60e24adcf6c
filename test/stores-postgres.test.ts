import { postgresStore } from '@paymount/postgres';
import { afterAll } from 'vitest';
import { adminPool, dropSchema, testPgUrl, uniqueSchema } from './fixtures/store-test-database.js';
import { storeConformance } from './support/store-conformance.js';

const admin = adminPool();
afterAll(() => admin.end());

const schemas = new Map<object, string>();
storeConformance('postgres', {
  async make() {
    const schema = uniqueSchema('conformance');
    const store = postgresStore({ connectionString: testPgUrl(), schema, max: 10 });
    await store.ready();
    schemas.set(store, schema);
    return store;
  },
  async destroy(store) {
    const schema = schemas.get(store);
    if (schema) await dropSchema(admin, schema);
  },
});
