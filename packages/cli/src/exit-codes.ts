import { isPaymentsError } from '@paymount/core';

/** The exit codes of `paymount`, part of its contract (scripts branch on them). */
export const EXIT = {
  ok: 0,
  /** A command or option that does not exist, a missing argument, a malformed value. */
  usage: 1,
  /** The config file is missing, cannot be loaded, or exports no payments. */
  config: 2,
  /** No payment or hook job with that id. */
  notFound: 3,
  /** The payment store cannot be reached (database down, file locked). */
  storeUnavailable: 4,
  /** paymount refused the action (not an anomaly, another payment of the order is paid, a refund over what is refundable, …). */
  refused: 5,
  /** Anything else: a provider that failed or could not be reached, an unexpected error. */
  failed: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI explains itself: its message goes to stderr, its code is the exit code. */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** A usage error: the command line itself is wrong. */
export const usageError = (message: string): CliError => new CliError(EXIT.usage, message);

const BY_CODE: Readonly<Record<string, ExitCode>> = {
  payment_not_found: EXIT.notFound,
  not_found: EXIT.notFound,
  store_unavailable: EXIT.storeUnavailable,
  store_error: EXIT.storeUnavailable,
  config_invalid: EXIT.config,
  invalid_request: EXIT.refused,
  conflict: EXIT.refused,
  provider_ref_taken: EXIT.refused,
  refund_not_allowed: EXIT.refused,
  refund_exceeds_payment: EXIT.refused,
  refund_unsupported: EXIT.refused,
  invalid_amount: EXIT.refused,
};

/** The exit code for anything a command threw. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (isPaymentsError(error)) return BY_CODE[error.code] ?? EXIT.failed;
  return EXIT.failed;
}
