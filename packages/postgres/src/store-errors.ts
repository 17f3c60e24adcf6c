import { PaymentsError } from '@paymount/core';

// SQLSTATE classes that say "not now" rather than "never": 08 a lost or refused connection,
// 40 a serialization failure or deadlock, 53 out of resources (too many connections),
// 57P a shutdown, crash or start-up in progress.
const PASSING_SQLSTATE = /^(08|40|53|57P)/;

// Node's own network failures on the way to the server.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// What pg and pg-pool say, without a code, when a connection ends or cannot be had in time.
const LOST_CONNECTION =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|timeout expired|Query read timeout)/;

/** True when the same call may well succeed once the server is back: an outage, not a mistake. */
export function isPassingFailure(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (PASSING_SQLSTATE.test(code) || NETWORK_CODES.has(code)) return true;
  return error instanceof Error && LOST_CONNECTION.test(error.message);
}

/** The retryable `store_unavailable` error for a failure caused by the server or the way to it. */
export function storeUnavailable(error: unknown): PaymentsError {
  const reason = error instanceof Error ? error.message : String(error);
  return new PaymentsError('store_unavailable', `The PostgreSQL payment store is unreachable: ${reason}`, {
    cause: error,
    retryable: true,
  });
}

/**
 * Turns anything a store call threw into a `PaymentsError`: `store_unavailable`
 * (503, retryable) for outages, `store_error` (500) for everything else.
 */
export function storeError(error: unknown): PaymentsError {
  if (error instanceof PaymentsError) return error;
  if (isPassingFailure(error)) return storeUnavailable(error);
  const reason = error instanceof Error ? error.message : String(error);
  return new PaymentsError('store_error', `The PostgreSQL payment store failed: ${reason}`, { cause: error });
}
