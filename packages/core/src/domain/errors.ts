/**
 * Every error paymount raises is a {@link PaymentsError} with a stable `code`.
 * The table maps each code to the HTTP status the routes answer with; the codes
 * are part of the public contract and documented in the README.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_order_id: 400,
  invalid_amount: 400,
  unknown_provider: 400,
  callback_invalid: 400,
  callback_unauthorized: 401,
  callback_replayed: 401,
  callback_forbidden: 403,
  not_found: 404,
  order_not_found: 404,
  payment_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  // The provider's order (its reference) is already bound to another payment: one provider
  // order pays at most one payment, so the callback or check naming it is refused for good.
  provider_ref_taken: 409,
  // A refund of a payment that holds no money to refund (not paid, or refunded in full already).
  refund_not_allowed: 409,
  // The refund asks more than what remains refundable of the payment: nothing was reserved.
  refund_exceeds_payment: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  // The provider cannot take this amount with the payment method chosen (its published
  // min/max): nothing was created; the shop may offer another method or provider.
  amount_out_of_range: 422,
  // The payment's provider has no refund API (AAIO): refund where the money is, then
  // `payments.recordRefund()`.
  refund_unsupported: 422,
  order_invalid: 500,
  raw_body_unavailable: 500,
  config_invalid: 500,
  store_error: 500,
  internal_error: 500,
  provider_error: 502,
  provider_rate_limited: 503,
  provider_unavailable: 503,
  // The payment store cannot be reached for a moment (lost connection, restart, a lock held
  // past its timeout): nothing was changed, and the same request later is expected to succeed.
  store_unavailable: 503,
  provider_timeout: 504,
} as const;

export type PaymentsErrorCode = keyof typeof ERROR_STATUS;

export interface PaymentsErrorOptions {
  /** Overrides the status from {@link ERROR_STATUS}. */
  status?: number;
  cause?: unknown;
  /** Safe, structured details for logs and for the shop's code; never secrets. */
  details?: Record<string, unknown>;
  /** Retrying the same call later may succeed (provider down, rate limited). */
  retryable?: boolean;
}

/** The one error class of paymount. `code` is stable; `message` is for people. */
export class PaymentsError extends Error {
  readonly code: PaymentsErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  readonly retryable: boolean;

  constructor(code: PaymentsErrorCode, message: string, options: PaymentsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PaymentsError';
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.details = options.details;
    this.retryable = options.retryable ?? false;
  }

  /** The JSON body the HTTP routes answer with. Server-side failures keep their internals to the log. */
  toJSON(): { error: { code: PaymentsErrorCode; message: string } } {
    const message =
      this.status >= 500 && !this.code.startsWith('provider_')
        ? publicServerMessage(this.code)
        : this.message;
    return { error: { code: this.code, message } };
  }
}

function publicServerMessage(code: PaymentsErrorCode): string {
  switch (code) {
    case 'raw_body_unavailable':
      return 'The request body was consumed before paymount could read it: mount paymount before any body parser.';
    case 'order_invalid':
      return 'The shop could not describe this order for payment.';
    case 'store_unavailable':
      return 'The payment store is unavailable for a moment; nothing was changed. Please try again shortly.';
    default:
      return 'Something went wrong on our side; the payment was not changed. Please try again.';
  }
}

/** Thrown by `createPayments` at start-up; `problems` lists every mistake found, not just the first. */
export class PaymentsConfigError extends PaymentsError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('config_invalid', `Invalid paymount configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PaymentsConfigError';
    this.problems = problems;
  }
}

/**
 * True for a PaymentsError (or PaymentsConfigError), also one thrown by another copy
 * of this package: an ESM shop that `require`s a provider loads core twice, and
 * `instanceof` then fails. Recognised by a known `code` and a numeric `status`.
 */
export function isPaymentsError(error: unknown): error is PaymentsError {
  if (error instanceof PaymentsError) return true;
  if (typeof error !== 'object' || error === null || !(error instanceof Error)) return false;
  const { code, status } = error as { code?: unknown; status?: unknown };
  return typeof code === 'string' && Object.hasOwn(ERROR_STATUS, code) && typeof status === 'number';
}

/**
 * The one place anything thrown becomes a {@link PaymentsError}: a PaymentsError (from
 * any copy of core) passes through, anything else becomes `fallback` (by default
 * `internal_error`) with the original kept as `cause` for the log.
 */
export function toPaymentsError(
  error: unknown,
  fallback: { code: PaymentsErrorCode; message: string } = {
    code: 'internal_error',
    message: 'Unexpected failure.',
  },
): PaymentsError {
  if (isPaymentsError(error)) return error;
  return new PaymentsError(fallback.code, fallback.message, { cause: error });
}
