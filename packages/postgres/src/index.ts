export { SCHEMA_VERSION } from './migrations.js';
export { type PostgresStore, type PostgresStoreOptions, postgresStore } from './postgres-store.js';
