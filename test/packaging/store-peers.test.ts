/**
 * The stores' drivers are the shop's own: `better-sqlite3` (^11 || ^12) and `pg` (^8.11) are
 * peer dependencies of @paymount/sqlite and @paymount/postgres, so a shop on better-sqlite3 11
 * keeps its one native copy instead of compiling a second. The packed stores are installed
 * with npm next to the lowest and the highest driver versions they support; each project has
 * exactly one copy of each driver, the store loads that copy, and a payment is paid through
 * both stores on it.
 *
 * better-sqlite3 11.0.0 is installed from the registry and built once (from source: this
 * machine reaches no prebuilt binaries). The highest, 12.x, is the copy this repository
 * already built, linked in as a shop's own installation would be: its store suites run on it
 * too. Needs the npm registry and PostgreSQL (PAYMOUNT_TEST_PG_URL).
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPool, dropSchema, testPgUrl, uniqueSchema } from '../stores/fixtures/store-test-database.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const pgUrl = testPgUrl();
const admin = adminPool();
const schemas: string[] = [];

let work: string;
let tarballs: Record<string, string>;

async function sh(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(command, [...args], {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, all: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout}\n${failed.stderr}`, {
      cause: error,
    });
  }
}

/** A shop that pays one order through each store, and says which driver copy each store loaded. */
const SHOP = `
import { createRequire } from 'node:module';
import { createPayments } from '@paymount/core';
import { testProvider } from '@paymount/core/testing';
import { postgresStore } from '@paymount/postgres';
import { sqliteStore } from '@paymount/sqlite';

const loaded = (store, driver) => {
  const from = createRequire(import.meta.resolve(store));
  return { version: from(driver + '/package.json').version, path: from.resolve(driver + '/package.json') };
};
const report = {
  'better-sqlite3': loaded('@paymount/sqlite', 'better-sqlite3'),
  pg: loaded('@paymount/postgres', 'pg'),
};
const stores = {
  sqlite: sqliteStore({ path: 'payments.sqlite' }),
  postgres: postgresStore({ connectionString: process.env.PG_URL, schema: process.env.PG_SCHEMA }),
};
for (const [name, store] of Object.entries(stores)) {
  const payments = createPayments({
    publicUrl: 'http://127.0.0.1:3000/pay',
    secret: 'a-store-peers-secret-of-32-characters',
    store,
    providers: { test: testProvider() },
    loadOrder: () => ({ amount: 499, currency: 'USD' }),
    returnUrls: { success: '/s', pending: '/p', failure: '/f' },
    hookDelivery: { pollIntervalMs: 0 },
    logger: false,
  });
  const { payment } = await payments.checkout({ orderId: 'order-1' });
  await payments.applyEvent(payment.id, { status: 'paid', amount: '499.00', currency: 'USD' });
  const stored = await payments.get(payment.id);
  report[name] = stored.status + ' ' + stored.amount;
  await payments.close();
  await store.close();
}
console.log(JSON.stringify(report));
`;

/** Every installed copy of a package in a project: its node_modules folders, nested ones too. */
function copiesOf(project: string, name: string): string[] {
  const found: string[] = [];
  const visit = (modules: string): void => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      const path = join(modules, entry);
      if (entry.startsWith('@')) {
        for (const scoped of readdirSync(path)) visit(join(path, scoped, 'node_modules'));
        continue;
      }
      if (entry === name) found.push(realpathSync(path));
      visit(join(path, 'node_modules'));
    }
  };
  visit(join(project, 'node_modules'));
  return found;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'paymount-store-peers-'));
  const pack = await sh(
    process.execPath,
    [join(root, 'scripts', 'pack-packages.mjs'), join(work, 'tarballs')],
    root,
  );
  const packed = JSON.parse(pack.stdout) as Array<{ name: string; filename: string }>;
  tarballs = Object.fromEntries(packed.map((p) => [p.name, p.filename]));
}, 300_000);

afterAll(async () => {
  for (const schema of schemas) await dropSchema(admin, schema);
  await admin.end();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The better-sqlite3 this repository built: the highest version the store supports, ready to load. */
const builtBetterSqlite3 = realpathSync(join(root, 'packages', 'sqlite', 'node_modules', 'better-sqlite3'));

const cases = [
  {
    label: 'the lowest: better-sqlite3 11.0.0 and pg 8.11.0',
    sqlite: 'better-sqlite3@11.0.0',
    pg: 'pg@8.11.0',
  },
  {
    label: 'the highest: better-sqlite3 12 and pg 8',
    sqlite: `better-sqlite3@file:${builtBetterSqlite3}`,
    pg: 'pg@^8',
  },
] as const;

describe('the stores next to the drivers a shop already has', () => {
  for (const { label, sqlite, pg } of cases) {
    it(`${label}: one copy of each driver, the store's, and a payment paid on each store`, async () => {
      const project = join(work, label.split(':')[0]?.replace(/\W+/g, '-') ?? 'shop');
      mkdirSync(project);
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: 'shop', private: true, type: 'module' }),
      );
      const stores = ['@paymount/core', '@paymount/sqlite', '@paymount/postgres'].map(
        (n) => tarballs[n] ?? n,
      );
      const { all: install } = await sh(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', ...stores, sqlite, pg],
        project,
      );
      expect(install).not.toMatch(/ERESOLVE|conflicting peer|invalid peer/i);
      // The shop's own driver is built once; a linked one is built already.
      if (!sqlite.includes('file:')) {
        await sh('npm', ['rebuild', 'better-sqlite3'], project, { npm_config_build_from_source: 'true' });
      }
      for (const driver of ['better-sqlite3', 'pg'])
        expect(copiesOf(project, driver), driver).toHaveLength(1);

      const schema = uniqueSchema('peers');
      schemas.push(schema);
      writeFileSync(join(project, 'shop.mjs'), SHOP);
      const shop = await sh(process.execPath, ['shop.mjs'], project, { PG_URL: pgUrl, PG_SCHEMA: schema });
      const report = JSON.parse(shop.stdout);
      expect(report.sqlite).toBe('paid 499.00');
      expect(report.postgres).toBe('paid 499.00');
      const [sqliteCopy] = copiesOf(project, 'better-sqlite3');
      expect(realpathSync(join(report['better-sqlite3'].path, '..'))).toBe(sqliteCopy);
      expect(report['better-sqlite3'].version).toMatch(sqlite.includes('11.0.0') ? /^11\.0\.0$/ : /^12\./);
      expect(report.pg.version).toMatch(pg.includes('8.11.0') ? /^8\.11\.0$/ : /^8\./);
    }, 600_000);
  }
});
