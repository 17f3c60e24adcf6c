import { isPaymentsError, PaymentsError } from '../domain/errors.js';
import type { ProviderEntry } from './context.js';

/** What paymount asks a provider to do, for logs and error messages. */
export type ProviderOperation =
  | 'checkout'
  | 'status'
  | 'confirm'
  | 'verify'
  | 'validate'
  | 'sweep'
  | 'refund'
  | 'refundStatus';

const WHAT: Readonly<Record<ProviderOperation, string>> = {
  checkout: 'create the payment',
  status: 'say where the payment stands',
  confirm: 'confirm the callback',
  verify: 'check the callback',
  validate: 'check the order',
  sweep: 'search its orders for payments whose callback was lost',
  refund: 'refund the payment',
  refundStatus: 'say where the refund stands',
};

/**
 * Every call into a provider goes through here: a `PaymentsError` the provider raised
 * (its `provider_*` codes, or `callback_*` for a refused callback) passes through; any
 * other failure — a bug, a library's own error — becomes `provider_error`, so nothing
 * unexpected from a provider package reaches the shop as a crash or a 500 with no code.
 */
export async function callProvider<T>(
  entry: ProviderEntry,
  operation: ProviderOperation,
  call: () => Promise<T>,
): Promise<T> {
  return entry.telemetry.providerCall(entry.ctx.name, operation, async () => {
    try {
      return await call();
    } catch (error) {
      if (isPaymentsError(error)) throw error;
      throw new PaymentsError('provider_error', `${entry.ctx.name} failed to ${WHAT[operation]}.`, {
        cause: error,
        details: { provider: entry.ctx.name, operation },
      });
    }
  });
}
