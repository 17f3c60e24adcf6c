// The three stores every "exactly once" figure is proven on, each fresh per use:
// memory, a SQLite file in a temporary folder, a private PostgreSQL schema.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryStore, type PaymentStore } from '@paymount/core';
import { postgresStore } from '@paymount/postgres';
import { sqliteStore } from '@paymount/sqlite';
import pg from 'pg';

export type StoreKind = 'memory' | 'SQLite' | 'PostgreSQL';
export const STORE_KINDS: readonly StoreKind[] = ['memory', 'SQLite', 'PostgreSQL'];

/**
 * The PostgreSQL test server from PAYMOUNT_TEST_PG_URL. Missing, the suite fails loudly
 * instead of skipping: a figure never proven on PostgreSQL must not read as proven.
 */
export function testPgUrl(): string {
  const url = process.env['PAYMOUNT_TEST_PG_URL'];
  if (url) return url;
  throw new Error(
    'PAYMOUNT_TEST_PG_URL is not set: run `npm test` (it starts PostgreSQL), or ' +
      '`eval "$(node scripts/setup/postgres.mjs)"` and run vitest again.',
  );
}

const cleanups: (() => Promise<void>)[] = [];
let dir: string | undefined;
let admin: pg.Pool | undefined;

function adminPool(): pg.Pool {
  if (!admin) {
    admin = new pg.Pool({ connectionString: testPgUrl(), max: 2 });
    admin.on('error', () => {});
  }
  return admin;
}

/** A fresh store of that kind; closed and removed by {@link removeStores}. */
export async function freshStore(kind: StoreKind): Promise<PaymentStore> {
  if (kind === 'memory') return memoryStore();
  if (kind === 'SQLite') {
    dir ??= mkdtempSync(join(tmpdir(), 'paymount-reliability-'));
    const store = sqliteStore({ path: join(dir, `shop-${randomBytes(4).toString('hex')}.db`) });
    cleanups.push(() => store.close());
    return store;
  }
  const schema = freshSchema();
  const store = postgresStore({ connectionString: testPgUrl(), schema, max: 8 });
  await store.ready();
  cleanups.push(async () => {
    await store.close();
    await dropSchema(schema);
  });
  return store;
}

/** A schema name no other test uses. */
export function freshSchema(): string {
  return `reliability_${randomBytes(5).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  await adminPool().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/** Registers extra clean-up for {@link removeStores}. */
export function onRemoveStores(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

/** Closes every store made here, drops the schemas, removes the SQLite files. */
export async function removeStores(): Promise<void> {
  while (cleanups.length > 0) await cleanups.pop()!();
  if (admin) await admin.end();
  admin = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}
