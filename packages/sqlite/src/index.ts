export { SCHEMA_VERSION } from './migrations.js';
export { type SqliteStore, type SqliteStoreOptions, sqliteStore } from './sqlite-store.js';
