import { PaymentsError } from '../domain/errors.js';
import type { Payment } from '../domain/payment.js';

/**
 * The error every store throws when a write would bind a provider reference that
 * another payment already holds (one provider order pays one payment). `details`
 * names both payments, for the log; nothing in it is secret.
 */
export function providerRefTaken(payment: Payment, boundTo: string): PaymentsError {
  return new PaymentsError(
    'provider_ref_taken',
    `The ${payment.provider} order "${payment.providerRef}" already belongs to another payment.`,
    {
      details: {
        paymentId: payment.id,
        provider: payment.provider,
        providerRef: payment.providerRef,
        boundTo,
      },
    },
  );
}
