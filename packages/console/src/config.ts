import { PaymentsConfigError } from '@paymount/core';
import { CONSOLE_DEFAULTS } from './defaults.js';
import type { ConsoleOptions } from './options.js';

/** The console's options with every default filled in. */
export interface ResolvedConsoleOptions {
  readonly authorize: ConsoleOptions['authorize'];
  readonly title: string;
  readonly readOnly: boolean;
  readonly secret: string | undefined;
  readonly mountPath: string | undefined;
  readonly signInUrl: string | undefined;
  readonly pageSize: number;
  readonly overdueAfterMs: number;
  readonly refundsByHand: readonly string[];
}

/** Checks the options, listing every problem at once, and fills in the defaults. */
export function resolveConsoleOptions(options: ConsoleOptions | undefined): ResolvedConsoleOptions {
  const o = (options ?? {}) as Partial<ConsoleOptions>;
  const problems: string[] = [];
  if (typeof o.authorize !== 'function') {
    problems.push(
      'authorize: required, a function (request) => operator | null. The console is never open without one.',
    );
  }
  if (
    o.secret !== undefined &&
    (typeof o.secret !== 'string' || o.secret.length < CONSOLE_DEFAULTS.minSecretLength)
  ) {
    problems.push(`secret: at least ${CONSOLE_DEFAULTS.minSecretLength} characters when set.`);
  }
  const pageSize = o.pageSize ?? CONSOLE_DEFAULTS.pageSize;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500)
    problems.push('pageSize: an integer from 1 to 500.');
  const overdueAfterMs = o.overdueAfterMs ?? CONSOLE_DEFAULTS.overdueAfterMs;
  if (!Number.isInteger(overdueAfterMs) || overdueAfterMs < 1)
    problems.push('overdueAfterMs: a positive integer.');
  if (o.mountPath !== undefined && (typeof o.mountPath !== 'string' || !o.mountPath.startsWith('/'))) {
    problems.push("mountPath: a path starting with '/', like '/admin/payments'.");
  }
  const refundsByHand = o.refundsByHand ?? CONSOLE_DEFAULTS.refundsByHand;
  if (!Array.isArray(refundsByHand) || refundsByHand.some((name) => typeof name !== 'string'))
    problems.push('refundsByHand: an array of provider names.');
  if (problems.length > 0) throw new PaymentsConfigError(problems.map((p) => `console ${p}`));
  return {
    authorize: o.authorize!,
    title: o.title ?? CONSOLE_DEFAULTS.title,
    readOnly: o.readOnly ?? false,
    secret: o.secret,
    mountPath: o.mountPath,
    signInUrl: o.signInUrl,
    pageSize,
    overdueAfterMs,
    refundsByHand,
  };
}
