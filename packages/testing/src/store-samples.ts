import { type HookJob, newPaymentId, type Payment } from '@paymount/core/store';

/** A fresh `created` payment for store tests; pass overrides for the fields a test cares about. */
export function samplePayment(overrides: Partial<Payment> = {}): Payment {
  const now = new Date().toISOString();
  return {
    id: newPaymentId(),
    orderId: `order-${Math.random().toString(36).slice(2, 10)}`,
    provider: 'test',
    amount: '10.00',
    currency: 'USD',
    status: 'created',
    providerRef: null,
    payUrl: null,
    providerStatus: null,
    paidAmount: null,
    paidCurrency: null,
    anomaly: null,
    description: 'A thing',
    metadata: { email: 'buyer@example.test' },
    createdAt: now,
    updatedAt: now,
    paidAt: null,
    version: 1,
    ...overrides,
  };
}

/** A pending hook job owed for `p`'s current status. */
export function sampleHookJob(p: Payment, hook: HookJob['hook'], overrides: Partial<HookJob> = {}): HookJob {
  return {
    id: `${p.id}:${p.status}:${hook}`,
    paymentId: p.id,
    hook,
    from: 'pending',
    to: p.status,
    payment: p,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    lastError: null,
    createdAt: Date.now(),
    ...overrides,
  };
}
