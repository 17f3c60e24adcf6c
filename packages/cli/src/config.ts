import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPaymentsError, type Payments } from '@paymount/core';
import { CliError, EXIT } from './exit-codes.js';

/** What a config file's function export is called with: it may build `payments` for the CLI alone. */
export interface CliContext {
  readonly cli: true;
  /** The command about to run (`list`, `resolve`, …). */
  readonly command: string;
}

/**
 * What the config file may export: the shop's `payments` (default export or named
 * `payments`), or a function returning it, possibly async; and optionally `close`, run
 * after `payments.close()` to close what `payments` does not own (its store).
 */
export interface PaymountCliConfig {
  readonly default?: Payments | ((context: CliContext) => Payments | Promise<Payments>);
  readonly payments?: Payments | ((context: CliContext) => Payments | Promise<Payments>);
  readonly close?: () => unknown;
}

/** The shop's payments, and how to let them go when the command is done. */
export interface LoadedConfig {
  readonly payments: Payments;
  close(): Promise<void>;
}

/**
 * The native `import()`. The CommonJS build turns a written `import()` into `require()`,
 * which cannot load an ES module config file; a function made at run time keeps the real one.
 */
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

const looksLikePayments = (value: unknown): value is Payments =>
  typeof value === 'object' &&
  value !== null &&
  ['get', 'list', 'history', 'close'].every(
    (name) => typeof (value as Record<string, unknown>)[name] === 'function',
  );

/** A load failure: the store being down stays a store failure (exit 4); the rest is the config's. */
function loadFailure(path: string, error: unknown): Error {
  if (isPaymentsError(error) && (error.code === 'store_unavailable' || error.code === 'store_error'))
    return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new CliError(EXIT.config, `The config file ${path} could not be loaded: ${reason}`, {
    cause: error,
  });
}

/** Imports the config file and gets the shop's payments from it. */
export async function loadConfig(path: string, command: string): Promise<LoadedConfig> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) {
    throw new CliError(
      EXIT.config,
      `There is no config file at ${absolute}. Create one that exports your payments ` +
        '(`export default payments`), or name it with --config.',
    );
  }
  let loaded: PaymountCliConfig;
  let payments: unknown;
  try {
    loaded = (await importModule(pathToFileURL(absolute).href)) as PaymountCliConfig;
    // A CommonJS file's module.exports arrives as the default export.
    const exported =
      loaded.payments ?? (loaded.default as { payments?: unknown } | undefined)?.payments ?? loaded.default;
    payments = typeof exported === 'function' ? await exported({ cli: true, command }) : exported;
  } catch (error) {
    throw loadFailure(absolute, error);
  }
  if (!looksLikePayments(payments)) {
    throw new CliError(
      EXIT.config,
      `The config file ${absolute} exports no payments: export the result of createPayments() ` +
        'as the default export or as `payments` (or a function that returns it).',
    );
  }
  const extraClose = typeof loaded.close === 'function' ? loaded.close : undefined;
  const shop = payments;
  return {
    payments: shop,
    async close() {
      await shop.close();
      await extraClose?.();
    },
  };
}
