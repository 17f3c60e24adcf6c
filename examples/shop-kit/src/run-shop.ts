import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@paymount/core';
import { launchShop, type RunningShop, type ShopAppFactory } from './launch.js';

/** Prints paymount's info lines (payment created, paid, …) and every warning, one line each. */
const consoleLogger: Logger = {
  debug: () => {},
  info: (fields, message) => console.log(`  ${message ?? ''} ${summary(fields)}`),
  warn: (fields, message) => console.warn(`  ! ${message ?? ''} ${summary(fields)}`),
  error: (fields, message) => console.error(`  ✗ ${message ?? ''} ${summary(fields)}`),
};

function summary(fields: unknown): string {
  if (typeof fields !== 'object' || fields === null) return '';
  return Object.entries(fields)
    .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}

/**
 * Runs a storefront from the command line until Ctrl-C: `PORT` (default 3000),
 * `HOST`, `PAYMOUNT_DATA_DIR` (default `./.data`) and the credentials in `.env.example`.
 */
export async function runShop(
  createApp: ShopAppFactory,
  framework: string,
  /** More lines for the start banner, given the shop's URL (the demo's console). */
  notes: (url: string) => readonly string[] = () => [],
): Promise<void> {
  // Variables already in the environment win over the file.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = process.env;
  const port = Number(env['PORT'] || 3000);
  let running: RunningShop;
  try {
    running = await launchShop({
      createApp,
      port,
      ...(env['HOST'] ? { host: env['HOST'] } : {}),
      dataDir: env['PAYMOUNT_DATA_DIR'] || join(process.cwd(), '.data'),
      env,
      logger: consoleLogger,
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    console.error(
      code === 'EADDRINUSE'
        ? `Port ${port} is in use: stop what runs there or set PORT to another port.`
        : `The shop could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  }
  console.log(`\npaymount demo shop (${framework}) is running:`);
  console.log(`  shop            ${running.url}/`);
  console.log(`  orders          ${running.url}/orders`);
  for (const provider of running.shop.payments.providerNames) {
    const simulator = running.simulators.find((s) => s.provider === provider);
    console.log(
      `  ${provider.padEnd(15)} ${simulator ? `sandbox simulator at ${simulator.url} (pay pages open from checkout)` : 'real provider (credentials from the environment)'}`,
    );
  }
  for (const line of notes(running.url)) console.log(`  ${line}`);
  console.log('Press Ctrl-C to stop.\n');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      console.log('Stopping now.');
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    running.close().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('Could not stop cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
