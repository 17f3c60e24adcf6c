/**
 * paymount as a new user gets it: the packages packed as `pnpm publish` would ship them,
 * installed with plain npm into a project outside the repo together with Express 4 and
 * 5, Koa 2 and 3 (npm aliases), then used through Node ESM, CommonJS and TypeScript,
 * and driven over real HTTP against AAIO and Aurpay as their docs describe them
 * (./doc-providers.ts), not against @paymount/sandbox.
 *
 * Needs the npm registry (the packages' own dependencies and the frameworks). Installs
 * with --ignore-scripts: better-sqlite3's native build alone takes a minute, and the
 * shops here use the memory store; importing @paymount/sqlite works without it.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DocAaio, type DocAurpay, startDocAaio, startDocAurpay } from './doc-providers.js';
import { type ShopSource, shopSource } from './shop-sources.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules', '.bin', 'tsc');

const aaioCredentials = {
  merchantId: 'f56b279c-d250-11ed-afa1-0242ac120002',
  secret1: 'doc-aaio-secret-one-7f3a9c',
  secret2: 'doc-aaio-secret-two-1b8e4d',
  apiKey: 'doc-aaio-api-key-5c2f0a',
};
const aurpayApiKey = 'doc-aurpay-api-key-9d41e7';

/** Every entry point a user can import, and names each one must export. */
const entryPoints: Record<string, readonly string[]> = {
  '@paymount/core': [
    'createPayments',
    'memoryStore',
    'PaymentsError',
    'PaymentsConfigError',
    'isPaymentsError',
  ],
  '@paymount/core/node': ['handleNodeRequest', 'readRawBody', 'writeNodeResponse'],
  '@paymount/core/testing': ['testProvider'],
  '@paymount/aaio': ['aaio'],
  '@paymount/aurpay': ['aurpay'],
  '@paymount/express': ['paymount'],
  '@paymount/koa': ['paymount'],
  '@paymount/sqlite': ['sqliteStore'],
  '@paymount/postgres': ['postgresStore'],
  '@paymount/sandbox': ['startAaioSimulator', 'startAurpaySimulator'],
  '@paymount/core/provider': [
    'ProviderHttpClient',
    'parseProviderJson',
    'decimalFromProvider',
    'stringFields',
  ],
  '@paymount/core/store': ['memoryStore', 'paymentFromRow', 'paymentToColumns', 'isLive'],
  '@paymount/core/fetch': ['handleFetchRequest', 'readFetchBody', 'toFetchResponse'],
  '@paymount/fastify': ['paymount'],
  '@paymount/fetch': ['paymountFetch'],
  '@paymount/console': ['createConsole', 'html', 'escapeHtml'],
  '@paymount/cli': ['run', 'processOutput'],
};

interface Packed {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
}

let work: string;
let project: string;
let packed: Packed[];
let npmOutput: string;
let aaioApi: DocAaio;
let aurpayApi: DocAurpay;

/** Runs a command, failing with its whole output; resolves to stdout, with stderr after it. */
async function sh(
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<{ stdout: string; all: string }> {
  try {
    const { stdout, stderr } = await run(command, [...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return { stdout, all: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout}\n${failed.stderr}`, {
      cause: error,
    });
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'paymount-packaging-'));
  project = join(work, 'shop');
  mkdirSync(project);
  const pack = await sh(
    process.execPath,
    [join(root, 'scripts', 'pack-packages.mjs'), join(work, 'tarballs')],
    root,
  );
  packed = JSON.parse(pack.stdout) as Packed[];
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'new-user-shop', version: '1.0.0', private: true, type: 'module' }, null, 2),
  );
  const install = await sh(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--ignore-scripts',
      ...packed.map((p) => p.filename),
      'express4@npm:express@^4.21',
      'express5@npm:express@^5',
      'koa2@npm:koa@^2',
      'koa3@npm:koa@^3',
      'fastify4@npm:fastify@^4',
      'fastify5@npm:fastify@^5',
      'hono@^4',
      '@hono/node-server@^2',
      '@koa/router@^15',
      '@types/node@^20',
      '@types/express@^5',
      '@types/koa@^3',
    ],
    project,
  );
  npmOutput = install.all;
  aaioApi = await startDocAaio(aaioCredentials);
  aurpayApi = await startDocAurpay(aurpayApiKey);
}, 300_000);

afterAll(async () => {
  await aaioApi?.close();
  await aurpayApi?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

function installedManifest(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
}

describe('the packed packages', () => {
  it('are all eleven, with real version ranges in place of workspace:^', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(
      [
        '@paymount/aaio',
        '@paymount/aurpay',
        '@paymount/cli',
        '@paymount/console',
        '@paymount/core',
        '@paymount/express',
        '@paymount/fastify',
        '@paymount/fetch',
        '@paymount/koa',
        '@paymount/postgres',
        '@paymount/sandbox',
        '@paymount/sqlite',
        '@paymount/testing',
      ].sort(),
    );
    const coreVersion = packed.find((p) => p.name === '@paymount/core')?.version;
    for (const { name } of packed) {
      const manifest = installedManifest(name);
      expect(JSON.stringify(manifest), name).not.toContain('workspace:');
      const dependencies = (manifest['dependencies'] ?? {}) as Record<string, string>;
      if (name !== '@paymount/core') expect(dependencies['@paymount/core'], name).toBe(`^${coreVersion}`);
    }
  });

  it('install with npm without peer-dependency or resolution warnings', () => {
    expect(npmOutput).not.toMatch(/peer dep|ERESOLVE|conflicting peer/i);
    expect(installedManifest('express4')['version']).toMatch(/^4\./);
    expect(installedManifest('express5')['version']).toMatch(/^5\./);
    expect(installedManifest('koa2')['version']).toMatch(/^2\./);
    expect(installedManifest('koa3')['version']).toMatch(/^3\./);
    expect(installedManifest('fastify4')['version']).toMatch(/^4\./);
    expect(installedManifest('fastify5')['version']).toMatch(/^5\./);
  });

  it('ship every file their exports maps, main, module and types name', () => {
    const missing: string[] = [];
    const visit = (name: string, target: unknown): void => {
      if (typeof target === 'string') {
        if (!existsSync(join(project, 'node_modules', name, target))) missing.push(`${name} → ${target}`);
      } else if (target && typeof target === 'object') {
        for (const value of Object.values(target)) visit(name, value);
      }
    };
    for (const { name } of packed) {
      const manifest = installedManifest(name);
      expect(manifest['exports'], name).toBeTypeOf('object');
      visit(name, manifest['exports']);
      visit(name, [manifest['main'], manifest['module'], manifest['types']]);
      visit(name, manifest['typesVersions']);
    }
    expect(missing).toEqual([]);
  });
});

describe('a new user loading the packages', () => {
  /** A script that loads every entry point and reports what each one exports. */
  const loader = (load: string) => `
const names = ${JSON.stringify(Object.keys(entryPoints))};
const report = {};
for (const name of names) {
  const loaded = ${load};
  report[name] = Object.fromEntries(Object.entries(loaded).map(([key, value]) => [key, typeof value]));
}
const core = ${load.replace('name', "'@paymount/core'")};
const { aaio } = ${load.replace('name', "'@paymount/aaio'")};
try { aaio({}); } catch (error) {
  report.configError = {
    code: error.code,
    sameClass: error instanceof core.PaymentsConfigError && error instanceof core.PaymentsError,
  };
}
console.log(JSON.stringify(report));
`;

  const expectEveryExport = (report: Record<string, Record<string, string>>) => {
    for (const [name, exported] of Object.entries(entryPoints)) {
      for (const symbol of exported)
        expect(report[name]?.[symbol], `${name} exports ${symbol}`).toBe('function');
    }
    expect(report['configError']).toEqual({ code: 'config_invalid', sameClass: true });
  };

  it('imports every package and subpath from Node ESM', async () => {
    writeFileSync(join(project, 'load-all.mjs'), loader('await import(name)'));
    const { stdout } = await sh(process.execPath, ['load-all.mjs'], project);
    expectEveryExport(JSON.parse(stdout) as Record<string, Record<string, string>>);
  });

  it('requires every package and subpath from CommonJS', async () => {
    writeFileSync(join(project, 'load-all.cjs'), loader('require(name)'));
    const { stdout } = await sh(process.execPath, ['load-all.cjs'], project);
    expectEveryExport(JSON.parse(stdout) as Record<string, Record<string, string>>);
  });

  it('gets types through the exports maps: import (.d.ts) and require (.d.cts), nodenext, node16, bundler and node10', async () => {
    const imports = Object.entries(entryPoints)
      .map(
        ([name, symbols], i) =>
          `import { ${symbols.map((s) => `${s} as e${i}_${s}`).join(', ')} } from '${name}';`,
      )
      .join('\n');
    const used = Object.entries(entryPoints)
      .flatMap(([, symbols], i) => symbols.map((s) => `e${i}_${s}`))
      .join(', ');
    const body = `${imports}
import type { Payment, PaymentsOptions } from '@paymount/core';
const options: PaymentsOptions = {
  publicUrl: 'https://shop.example/pay',
  secret: 'a-secret-of-at-least-32-characters!!',
  store: e0_memoryStore(),
  providers: {
    aaio: e3_aaio({ merchantId: 'm', secret1: 'a', secret2: 'b', apiKey: 'k' }),
    aurpay: e4_aurpay({ apiKey: 'k' }),
  },
  loadOrder: async (orderId: string) => (orderId === '42' ? { amount: '10.00', currency: 'USD' } : null),
  returnUrls: { success: '/s/{orderId}', pending: '/p/{orderId}', failure: '/f/{orderId}' },
  hooks: { onPaid: (payment: Payment, { idempotencyKey }) => void [payment.orderId, idempotencyKey] },
};
const payments = e0_createPayments(options);
// A JS number is an amount too (checked at run time: an inexact float is refused).
e0_createPayments({ ...options, loadOrder: async () => ({ amount: 10.5, currency: 'USD' }) });
// @ts-expect-error: an amount is a decimal string or a number; bigint minor units go in amountMinor
e0_createPayments({ ...options, loadOrder: async () => ({ amount: 1050n, currency: 'USD' }) });
export const all = [payments, e5_paymount(payments), e6_paymount(payments, { prefix: '/pay' }), ${used}];
`;
    writeFileSync(join(project, 'types-check.ts'), body);
    writeFileSync(join(project, 'types-check.cts'), body);
    const compile = (options: string[], files: string[]) =>
      sh(
        tsc,
        ['--noEmit', '--strict', '--target', 'es2022', '--types', 'node', ...options, ...files],
        project,
      );
    // skipLibCheck is off: paymount's own declaration files must type-check too.
    const { stdout: traced } = await compile(
      ['--module', 'nodenext', '--moduleResolution', 'nodenext', '--traceResolution'],
      ['types-check.ts', 'types-check.cts'],
    );
    for (const name of Object.keys(entryPoints)) {
      const resolved = [
        ...traced.matchAll(new RegExp(`Module name '${name}' was successfully resolved to '([^']+)'`, 'g')),
      ].map((m) => m[1]?.replace(/.*node_modules\//, ''));
      expect(
        resolved.some((file) => file?.endsWith('.d.ts')),
        `${name} for import`,
      ).toBe(true);
      expect(
        resolved.some((file) => file?.endsWith('.d.cts')),
        `${name} for require`,
      ).toBe(true);
    }
    await compile(
      ['--module', 'node16', '--moduleResolution', 'node16'],
      ['types-check.ts', 'types-check.cts'],
    );
    await compile(
      ['--module', 'preserve', '--moduleResolution', 'bundler'],
      ['types-check.ts', 'types-check.cts'],
    );
    await compile(
      ['--module', 'commonjs', '--moduleResolution', 'node10', '--esModuleInterop'],
      ['types-check.ts'],
    );
  }, 240_000); // four strict programs without skipLibCheck: slow on a shared machine

  it('compiles the README integration snippets for Express, Koa, Fastify and Hono as written (strict, nodenext)', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Integration in under 30 lines'));
    const snippets = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    const adapters = ['express', 'koa', 'fastify', 'fetch'];
    adapters.forEach((adapter, i) => {
      expect(snippets[i]).toContain(`from '@paymount/${adapter}'`);
      writeFileSync(join(project, `readme-${adapter}.ts`), snippets[i] ?? '');
    });
    writeFileSync(
      join(project, 'orders.ts'),
      `interface Order { total: string; currency: string; paid: boolean; userId: string }
const book = new Map<string, Order>();
export const orders = {
  async get(id: string): Promise<Order | undefined> { return book.get(id); },
  async markPaid(id: string, key: string): Promise<void> { void key; const order = book.get(id); if (order) order.paid = true; },
};
`,
    );
    // skipLibCheck on: the frameworks' own @types are not paymount's to check.
    await sh(
      tsc,
      [
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--target',
        'es2022',
        '--module',
        'nodenext',
        '--types',
        'node',
        ...adapters.map((adapter) => `readme-${adapter}.ts`),
        'orders.ts',
      ],
      project,
    );
  }, 60_000);
});

/** A port that was free a moment ago: the shop's publicUrl must name its port before it listens. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface RunningShop {
  readonly base: string;
  stop(): Promise<void>;
}

/** Starts a shop file under Node from the project, as `node shop.mjs` would; waits until it listens. */
async function startShop(file: string): Promise<RunningShop> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, [file], {
      cwd: project,
      env: {
        ...process.env,
        PORT: String(port),
        PAYMOUNT_PUBLIC_URL: `http://127.0.0.1:${port}`,
        PAYMOUNT_SECRET: 'a-shop-secret-of-at-least-32-characters',
        AURPAY_API_KEY: aurpayApiKey,
        AURPAY_BASE_URL: aurpayApi.url,
        AAIO_MERCHANT_ID: aaioCredentials.merchantId,
        AAIO_SECRET_1: aaioCredentials.secret1,
        AAIO_SECRET_2: aaioCredentials.secret2,
        AAIO_API_KEY: aaioCredentials.apiKey,
        AAIO_BASE_URL: aaioApi.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = once(child, 'exit');
    const firstLine = new Promise<string>((resolve) =>
      createInterface({ input: child.stdout }).once('line', resolve),
    );
    const started = await Promise.race([firstLine, exited.then(() => undefined)]);
    if (started === undefined) {
      // Another process took the port between freePort() and the shop's listen().
      if (stderr.includes('EADDRINUSE') && attempt < 3) continue;
      throw new Error(`${file} exited before listening:\n${stderr}`);
    }
    expect(JSON.parse(started), `${file} says where it listens`).toEqual({ port });
    return {
      base: `http://127.0.0.1:${port}`,
      async stop() {
        if (child.exitCode === null) child.kill('SIGTERM');
        await exited;
        expect(stderr, `${file} wrote to stderr`).toBe('');
      },
    };
  }
}

const shops: ReadonlyArray<{ label: string; file: string; source: ShopSource }> = [
  {
    label: 'Express 4, ESM',
    file: 'shop-express4.mjs',
    source: { frameworkPackage: 'express4', framework: 'express', moduleSystem: 'esm' },
  },
  {
    label: 'Express 4, CommonJS, express.json() and urlencoded() before paymount',
    file: 'shop-express4-parsers.cjs',
    source: {
      frameworkPackage: 'express4',
      framework: 'express',
      moduleSystem: 'cjs',
      parsersBeforePaymount: true,
    },
  },
  {
    label: 'Express 5, ESM, express.json() and urlencoded() before paymount',
    file: 'shop-express5-parsers.mjs',
    source: {
      frameworkPackage: 'express5',
      framework: 'express',
      moduleSystem: 'esm',
      parsersBeforePaymount: true,
    },
  },
  {
    label: 'Express 5, CommonJS',
    file: 'shop-express5.cjs',
    source: { frameworkPackage: 'express5', framework: 'express', moduleSystem: 'cjs' },
  },
  {
    label: 'Koa 2, ESM',
    file: 'shop-koa2.mjs',
    source: { frameworkPackage: 'koa2', framework: 'koa', moduleSystem: 'esm' },
  },
  {
    label: 'Koa 2, CommonJS',
    file: 'shop-koa2.cjs',
    source: { frameworkPackage: 'koa2', framework: 'koa', moduleSystem: 'cjs' },
  },
  {
    label: 'Koa 3, ESM',
    file: 'shop-koa3.mjs',
    source: { frameworkPackage: 'koa3', framework: 'koa', moduleSystem: 'esm' },
  },
  {
    label: 'Koa 3, CommonJS, @koa/router',
    file: 'shop-koa3-router.cjs',
    source: { frameworkPackage: 'koa3', framework: 'koa-router', moduleSystem: 'cjs' },
  },
  {
    label: 'Fastify 4, CommonJS',
    file: 'shop-fastify4.cjs',
    source: { frameworkPackage: 'fastify4', framework: 'fastify', moduleSystem: 'cjs' },
  },
  {
    label: 'Fastify 5, ESM',
    file: 'shop-fastify5.mjs',
    source: { frameworkPackage: 'fastify5', framework: 'fastify', moduleSystem: 'esm' },
  },
  {
    label: 'Hono on @hono/node-server through @paymount/fetch, ESM',
    file: 'shop-hono.mjs',
    source: { frameworkPackage: 'hono', framework: 'hono', moduleSystem: 'esm' },
  },
  {
    label: 'Hono on @hono/node-server through @paymount/fetch, CommonJS',
    file: 'shop-hono.cjs',
    source: { frameworkPackage: 'hono', framework: 'hono', moduleSystem: 'cjs' },
  },
];

for (const { label, file, source } of shops) {
  describe(`a shop on ${label}, from the installed tarballs`, () => {
    it('checks out, takes the documented AAIO notification and Aurpay callback, returns the buyer, and keeps its own routes', async () => {
      writeFileSync(join(project, file), shopSource(source));
      const shop = await startShop(file);
      try {
        const { base } = shop;
        // AAIO checkout: 303 to the pay-form URL that get_pay_url answered.
        const checkout = await fetch(`${base}/pay/checkout/42?provider=aaio`, { redirect: 'manual' });
        expect(checkout.status).toBe(303);
        const paymentId = /\/form\/([^/]+)$/.exec(checkout.headers.get('location') ?? '')?.[1] ?? '';
        expect(aaioApi.orders.get(paymentId)).toEqual({
          amount: '100.00',
          currency: 'RUB',
          status: 'in_process',
        });
        expect(aaioApi.refusals).toEqual([]);

        // The notification exactly as AAIO's doc describes it.
        const notification = aaioApi.pay(paymentId);
        const post = () =>
          fetch(`${base}/pay/callback/aaio`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: notification,
          });
        const accepted = await post();
        expect([accepted.status, await accepted.text()]).toEqual([200, 'OK']);
        const paid = await fetch(`${base}/orders/42/paid`);
        expect(await paid.json()).toEqual([`${paymentId}:paid:onPaid`]);

        // AAIO's Success URL redirect, then the shop's own thanks page.
        const back = await fetch(`${base}/pay/return?order_id=${paymentId}&amount=100.00&currency=RUB`, {
          redirect: 'manual',
        });
        expect([back.status, back.headers.get('location')]).toEqual([303, `${base}/orders/42/thanks`]);
        expect(await (await fetch(`${base}/orders/42/thanks`)).text()).toBe('thanks');

        const status = await fetch(`${base}/pay/status/${paymentId}`);
        expect(await status.json()).toMatchObject({
          paymentId,
          orderId: '42',
          provider: 'aaio',
          status: 'paid',
          amount: '100.00',
          currency: 'RUB',
        });

        // A notification resent from AAIO's cabinet: OK again, onPaid still once.
        const resent = await post();
        expect([resent.status, await resent.text()]).toEqual([200, 'OK']);
        expect(await (await fetch(`${base}/orders/42/paid`)).json()).toEqual([`${paymentId}:paid:onPaid`]);

        // Aurpay: pay-url, then the POST callback with the order-info body and the echoed API-Key.
        const aurpayCheckout = await fetch(`${base}/pay/checkout/43?provider=aurpay`, { redirect: 'manual' });
        expect(aurpayCheckout.status).toBe(303);
        expect(aurpayCheckout.headers.get('location')).toMatch(/^https:\/\/dashboard\.aurpay\.example\//);
        const payUrl = aurpayApi.payUrlRequests.find((r) => r.succeed_url.startsWith(`${base}/pay/return/`));
        expect(payUrl).toMatchObject({ currency: 'USD', enable_post_callback: true });
        expect(Number(payUrl?.price)).toBe(10);
        const order = aurpayApi.pay(payUrl as NonNullable<typeof payUrl>);
        const callback = await fetch(payUrl?.callback_url ?? '', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'API-Key': aurpayApiKey },
          body: JSON.stringify(order),
        });
        expect(callback.status).toBe(200);
        expect(await callback.json()).toMatchObject({ code: 0, result: true });
        const aurpayPaid = (await (await fetch(`${base}/orders/43/paid`)).json()) as string[];
        expect(aurpayPaid).toHaveLength(1);
        const aurpayReturn = await fetch(payUrl?.succeed_url ?? '', { redirect: 'manual' });
        expect([aurpayReturn.status, aurpayReturn.headers.get('location')]).toEqual([
          303,
          `${base}/orders/43/thanks`,
        ]);

        // The shop's own route next to paymount still gets its JSON body.
        const echo = await fetch(`${base}/api/echo`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"a":1}',
        });
        expect((await echo.json()) as { got: unknown }).toMatchObject({ got: { a: 1 } });
      } finally {
        await shop.stop();
      }
    }, 60_000);
  });
}

describe('the paymount command, installed', () => {
  it("runs from node_modules/.bin against the shop's own config file, with its exit codes", async () => {
    writeFileSync(
      join(project, 'paymount.config.mjs'),
      `import { createPayments, memoryStore } from '@paymount/core';
import { testProvider } from '@paymount/core/testing';
export default () => createPayments({
  publicUrl: 'https://shop.example/pay',
  secret: 'a-secret-of-at-least-32-characters!!',
  store: memoryStore(),
  providers: { test: testProvider() },
  loadOrder: async () => ({ amount: '10.00', currency: 'USD' }),
  returnUrls: { success: '/s', pending: '/p', failure: '/f' },
  hookDelivery: { pollIntervalMs: 0 },
});
`,
    );
    const bin = join(project, 'node_modules', '.bin', 'paymount');
    // The default config file is ./paymount.config.mjs.
    const { stdout } = await sh(bin, ['list', '--json'], project);
    expect(JSON.parse(stdout)).toEqual({ payments: [], nextCursor: null });
    const missing = (await run(bin, ['--config', 'nowhere.mjs', 'list'], { cwd: project }).catch(
      (error: unknown) => error,
    )) as { code?: number; stderr?: string };
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('There is no config file')]);
  });
});
