/**
 * `@opentelemetry/api` is an optional peer dependency of @paymount/core. The packed core is
 * installed with npm twice: alone, where both its ES module and its CommonJS build load and
 * take a payment without the API; and next to the API and the SDK, where both builds find
 * the shop's copy of the API and record spans and metrics into the SDK the shop registered.
 * Needs the npm registry.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
let work: string;
let coreTarball: string;

async function sh(command: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(command, [...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout}\n${failed.stderr}`, {
      cause: error,
    });
  }
}

/** A shop body (either module system): one payment paid, health() read, then the report. */
const PAY = `
  const payments = createPayments({
    publicUrl: 'http://127.0.0.1:3000/pay',
    secret: 'a-telemetry-peer-secret-of-32-characters',
    store: memoryStore(),
    providers: { test: testProvider() },
    loadOrder: () => ({ amount: 499, currency: 'USD' }),
    returnUrls: { success: '/s', pending: '/p', failure: '/f' },
    hookDelivery: { pollIntervalMs: 0 },
    logger: false,
  });
  const { payment } = await payments.checkout({ orderId: 'order-1' });
  await payments.applyEvent(payment.id, { status: 'paid', amount: '499.00', currency: 'USD' });
  const report = { status: (await payments.get(payment.id)).status, ok: (await payments.health()).ok };
`;

/** Registers the SDK first, as a shop's start-up does, and reports what paymount recorded. */
const WITH_SDK = `
  const spans = new InMemorySpanExporter();
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
  class Reader extends MetricReader { async onShutdown() {} async onForceFlush() {} }
  const reader = new Reader();
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  ${PAY}
  const { resourceMetrics } = await reader.collect();
  const names = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
  report.spans = [...new Set(spans.getFinishedSpans().map((s) => s.name))].sort();
  report.metrics = names.filter((n) => n.startsWith('paymount.')).sort();
  await payments.close();
  console.log(JSON.stringify(report));
`;

const ESM_IMPORTS = `import { createPayments, memoryStore } from '@paymount/core';
import { testProvider } from '@paymount/core/testing';
`;
const CJS_IMPORTS = `const { createPayments, memoryStore } = require('@paymount/core');
const { testProvider } = require('@paymount/core/testing');
`;
const SDK_ESM = `import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
`;
const SDK_CJS = `const { metrics, trace } = require('@opentelemetry/api');
const { MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics');
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
`;

async function project(name: string, extra: readonly string[]): Promise<string> {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'shop', private: true }));
  await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', coreTarball, ...extra], dir);
  return dir;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'paymount-telemetry-peer-'));
  const packed = JSON.parse(
    await sh(process.execPath, [join(root, 'scripts', 'pack-packages.mjs'), join(work, 'tarballs')], root),
  ) as Array<{ name: string; filename: string }>;
  coreTarball = packed.find((p) => p.name === '@paymount/core')!.filename;
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('@opentelemetry/api, an optional peer of @paymount/core', () => {
  it('core without the API: both builds load and take a payment', async () => {
    const dir = await project('without-api', []);
    expect(existsSync(join(dir, 'node_modules', '@opentelemetry', 'api'))).toBe(false);
    writeFileSync(
      join(dir, 'shop.mjs'),
      `${ESM_IMPORTS}${PAY}await payments.close();\nconsole.log(JSON.stringify(report));\n`,
    );
    writeFileSync(
      join(dir, 'shop.cjs'),
      `${CJS_IMPORTS}(async () => {${PAY}await payments.close();\nconsole.log(JSON.stringify(report));\n})();\n`,
    );
    for (const file of ['shop.mjs', 'shop.cjs']) {
      expect(JSON.parse(await sh(process.execPath, [file], dir)), file).toEqual({ status: 'paid', ok: true });
    }
  }, 600_000);

  it('core next to the API and an SDK: both builds record spans and metrics', async () => {
    const dir = await project('with-sdk', [
      '@opentelemetry/api@~1.9.0',
      '@opentelemetry/sdk-metrics@~2.12.1',
      '@opentelemetry/sdk-trace-base@~2.12.1',
    ]);
    writeFileSync(join(dir, 'shop.mjs'), `${SDK_ESM}${ESM_IMPORTS}${WITH_SDK}`);
    writeFileSync(join(dir, 'shop.cjs'), `${SDK_CJS}${CJS_IMPORTS}(async () => {${WITH_SDK}})();\n`);
    for (const file of ['shop.mjs', 'shop.cjs']) {
      expect(JSON.parse(await sh(process.execPath, [file], dir)), file).toEqual({
        status: 'paid',
        ok: true,
        spans: ['paymount.provider.call'],
        metrics: [
          'paymount.checkouts',
          'paymount.hook.jobs.dead',
          'paymount.hook.jobs.pending',
          'paymount.provider.request.duration',
          'paymount.transitions',
        ],
      });
    }
  }, 600_000);
});
