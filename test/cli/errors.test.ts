// The `paymount` exit codes and messages a script or a person relies on: usage errors,
// a missing or broken config file, an unknown id, a database that is down.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { paymount, SHOP_CONFIG } from './support.js';

vi.setConfig({ testTimeout: 180_000 });

const dir = mkdtempSync(join(tmpdir(), 'paymount-cli-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sqliteEnv = { PAYMOUNT_CLI_STORE: 'sqlite', PAYMOUNT_CLI_SQLITE_PATH: join(dir, 'shop.db') };

/** A TCP port on 127.0.0.1 that nothing listens on: bound, then closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('paymount exit codes', () => {
  it('1 for a usage error, with the help on stdout for --help', async () => {
    const help = await paymount(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: paymount [--config FILE] <command>');
    for (const command of [
      'list',
      'show',
      'refresh',
      'reconcile',
      'hooks',
      'replay',
      'resolve',
      'prune-journal',
    ])
      expect(help.stdout).toContain(`paymount ${command} `);
    const unknown = await paymount(['--config', SHOP_CONFIG, 'ship']);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining('Unknown command "ship"')]);
    const option = await paymount(['--config', SHOP_CONFIG, 'list', '--colour'], sqliteEnv);
    expect([option.code, option.stderr]).toEqual([1, expect.stringContaining("Unknown option '--colour'")]);
    expect((await paymount(['--config', SHOP_CONFIG, 'show'], sqliteEnv)).code).toBe(1);
    expect((await paymount([])).code).toBe(1);
    const since = await paymount(['--config', SHOP_CONFIG, 'list', '--since', 'last tuesday'], sqliteEnv);
    expect([since.code, since.stderr]).toEqual([1, expect.stringContaining('--since must be')]);
  });

  it('2 for a config file that is missing, broken, or exports no payments', async () => {
    const missing = await paymount(['--config', join(dir, 'nowhere.mjs'), 'list']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`There is no config file at ${join(dir, 'nowhere.mjs')}`);
    const broken = join(dir, 'broken.config.mjs');
    writeFileSync(broken, "export default createPayments({ publicUrl: 'https://shop.example/pay',\n");
    const run = await paymount(['--config', broken, 'list']);
    expect([run.code, run.stderr]).toEqual([
      2,
      expect.stringContaining(`The config file ${broken} could not be loaded`),
    ]);
    const empty = join(dir, 'empty.config.mjs');
    writeFileSync(empty, "export const shopName = 'no payments here';\n");
    const none = await paymount(['--config', empty, 'list']);
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining('exports no payments')]);
    const throws = join(dir, 'throws.config.mjs');
    writeFileSync(throws, "export default () => { throw new Error('PAYMOUNT_SECRET is not set'); };\n");
    const thrown = await paymount(['--config', throws, 'list']);
    expect([thrown.code, thrown.stderr]).toEqual([2, expect.stringContaining('PAYMOUNT_SECRET is not set')]);
  });

  it('3 for a payment or hook job nobody knows', async () => {
    for (const args of [
      ['show', 'pm_000000000000000000000000'],
      ['refresh', 'pm_000000000000000000000000'],
      ['resolve', 'pm_000000000000000000000000', '--as', 'paid', '--note', 'x'],
      ['replay', 'pm_000000000000000000000000:paid:onPaid'],
    ]) {
      const run = await paymount(['--config', SHOP_CONFIG, ...args], sqliteEnv);
      expect([run.code, run.stdout], args[0]).toEqual([3, '']);
      expect(run.stderr).toMatch(/^paymount: There is no (payment|hook job) pm_0+/);
    }
  });

  it('4 when PostgreSQL cannot be reached, and the process still exits by itself', async () => {
    const port = await closedPort();
    const run = await paymount(['--config', SHOP_CONFIG, 'list'], {
      PAYMOUNT_CLI_STORE: 'postgres',
      PAYMOUNT_CLI_PG_URL: `postgres://paymount@127.0.0.1:${port}/paymount`,
      PAYMOUNT_CLI_PG_SCHEMA: 'cli_down',
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('Is the database running');
    expect(run.stdout).toBe('');
  });
});
