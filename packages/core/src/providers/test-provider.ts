import { stringFields } from '../contracts/callback-body.js';
import { headerValue } from '../contracts/http.js';
import type { PaymentProvider } from '../contracts/provider.js';
import { PaymentsError } from '../domain/errors.js';
import type { Payment } from '../domain/payment.js';
import type { ProviderEvent } from '../domain/state-machine.js';
import { safeEqual } from './signed-url.js';

/** A provider you drive from a test: what it "knows" is what the test tells it. */
export interface TestProvider extends PaymentProvider {
  /** What `fetchStatus` answers for a payment from now on. */
  setStatus(paymentId: string, event: ProviderEvent): void;
  /** Makes the next `createCheckout` calls fail with this error (or succeed again with null). */
  failCheckouts(error: PaymentsError | null): void;
  /** How many times `createCheckout` was called. */
  readonly checkoutCalls: number;
}

/**
 * A provider for tests of the shop's own code and of adapters. Checkout answers
 * `https://pay.example.test/{paymentId}`. Callbacks are JSON or form posts of
 * `{ paymentId, status, amount?, currency? }` carrying the `x-test-token` header.
 */
export function testProvider(options: { token?: string; payBaseUrl?: string } = {}): TestProvider {
  const token = options.token ?? 'test-provider-token';
  const payBase = options.payBaseUrl ?? 'https://pay.example.test';
  const statuses = new Map<string, ProviderEvent>();
  let checkoutError: PaymentsError | null = null;
  let checkoutCalls = 0;
  return {
    kind: 'test',
    secrets: [token],
    setStatus(paymentId, event) {
      statuses.set(paymentId, event);
    },
    failCheckouts(error) {
      checkoutError = error;
    },
    get checkoutCalls() {
      return checkoutCalls;
    },
    async createCheckout({ payment }: { payment: Payment }) {
      checkoutCalls++;
      if (checkoutError) throw checkoutError;
      return { payUrl: `${payBase}/${payment.id}`, providerRef: `ref_${payment.id}` };
    },
    async verifyCallback(input) {
      const given = headerValue(input.headers, 'x-test-token') ?? '';
      if (!safeEqual(given, token))
        throw new PaymentsError('callback_unauthorized', 'Wrong or missing test token.');
      const fields = { ...Object.fromEntries(input.query), ...stringFields(input.body) };
      const status = fields['status'];
      const paymentId = fields['paymentId'];
      if (
        !paymentId ||
        !status ||
        !['pending', 'paid', 'partial', 'expired', 'failed', 'refunded'].includes(status)
      ) {
        throw new PaymentsError('callback_invalid', 'A test callback needs paymentId and a known status.');
      }
      return {
        paymentId,
        event: {
          status: status as ProviderEvent['status'],
          amount: fields['amount'] ?? null,
          currency: fields['currency'] ?? null,
          providerStatus: status,
        },
        dedupeKey: `${paymentId}:${status}:${fields['amount'] ?? ''}`,
      };
    },
    paymentIdOf(input) {
      const fields = { ...Object.fromEntries(input.query), ...stringFields(input.body) };
      return fields['paymentId'] ?? null;
    },
    async fetchStatus(payment) {
      return statuses.get(payment.id) ?? null;
    },
    callbackReply(outcome) {
      if (outcome.ok)
        return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'OK' };
      return {
        status: outcome.status,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ error: { code: outcome.code, message: outcome.message } }),
      };
    },
  };
}
