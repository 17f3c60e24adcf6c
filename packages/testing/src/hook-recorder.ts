import type { HookContext, HookName, Payment, PaymentHook } from '@paymount/core';

/** One call of a shop hook, as paymount made it. */
export interface RecordedHookCall {
  readonly hook: HookName;
  readonly paymentId: string;
  readonly orderId: string;
  /** The payment's status when the hook ran. */
  readonly status: Payment['status'];
  readonly idempotencyKey: string;
  readonly attempt: number;
  /** `onRefunded` only: the id of the refund it was told about (null: the provider reported the payment refunded). */
  readonly refundId?: string | null;
}

/** Hooks that record every call, to pass as `hooks` to `createPayments`, and what they saw. */
export interface HookRecorder {
  readonly hooks: Readonly<Record<HookName, PaymentHook>>;
  readonly calls: readonly RecordedHookCall[];
  /** Calls of one hook, optionally for one payment. */
  callsOf(hook: HookName, paymentId?: string): RecordedHookCall[];
  /**
   * Calls that repeat a side effect a shop must see once: the same hook for the same
   * payment under more than one idempotency key. Empty when exactly-once held.
   */
  duplicates(): RecordedHookCall[];
  /** Makes the next `times` calls of `hook` throw, to exercise retries and dead letters. */
  failNext(hook: HookName, times: number, error?: Error): void;
  clear(): void;
}

const ALL_HOOKS: readonly HookName[] = [
  'onPaid',
  'onExpired',
  'onFailed',
  'onAnomaly',
  'onRefunded',
  'onStatusChange',
];

/** A fresh {@link HookRecorder}. */
export function hookRecorder(): HookRecorder {
  const calls: RecordedHookCall[] = [];
  const failures = new Map<HookName, { left: number; error: Error }>();
  const record =
    (hook: HookName): PaymentHook =>
    (payment: Payment, context: HookContext) => {
      const failure = failures.get(hook);
      if (failure && failure.left > 0) {
        failure.left--;
        throw failure.error;
      }
      calls.push({
        hook,
        paymentId: payment.id,
        orderId: payment.orderId,
        status: payment.status,
        idempotencyKey: context.idempotencyKey,
        attempt: context.attempt,
        ...(hook === 'onRefunded' ? { refundId: context.refund?.id ?? null } : {}),
      });
    };
  const hooks = Object.fromEntries(ALL_HOOKS.map((hook) => [hook, record(hook)])) as Record<
    HookName,
    PaymentHook
  >;
  return {
    hooks,
    calls,
    callsOf: (hook, paymentId) =>
      calls.filter((call) => call.hook === hook && (paymentId === undefined || call.paymentId === paymentId)),
    duplicates: () => {
      const keys = new Map<string, Set<string>>();
      const repeated: RecordedHookCall[] = [];
      for (const call of calls) {
        // One call per transition and hook; onStatusChange runs once per status, onRefunded once per refund.
        const per =
          call.hook === 'onStatusChange' ? call.status : call.hook === 'onRefunded' ? call.refundId : '';
        const slot = `${call.hook}\n${call.paymentId}\n${per ?? ''}`;
        const seen = keys.get(slot) ?? new Set<string>();
        if (seen.size > 0 && !seen.has(call.idempotencyKey)) repeated.push(call);
        seen.add(call.idempotencyKey);
        keys.set(slot, seen);
      }
      return repeated;
    },
    failNext: (hook, times, error = new Error(`${hook} failed on purpose`)) => {
      failures.set(hook, { left: times, error });
    },
    clear: () => {
      calls.length = 0;
      failures.clear();
    },
  };
}
