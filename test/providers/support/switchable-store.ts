// A payment store that can be made to fail on demand, the way a real one does during an
// outage: every call rejects with the store error paymount's stores throw.
import { memoryStore, type PaymentStore, PaymentsError } from '@paymount/core';

/** `store_unavailable`: a database restarting or unreachable; `store_error`: one a retry alone will not fix; null: working. */
export type StoreFailure = 'store_unavailable' | 'store_error' | null;

export interface SwitchableStore {
  readonly store: PaymentStore;
  fail(failure: StoreFailure): void;
}

export function switchableStore(inner: PaymentStore = memoryStore()): SwitchableStore {
  let failing: StoreFailure = null;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || property === 'close') return value;
      return (...args: unknown[]) => {
        if (failing === null) return (value as (...a: unknown[]) => unknown).apply(target, args);
        return Promise.reject(
          new PaymentsError(failing, 'The test store is failing on purpose.', {
            retryable: failing === 'store_unavailable',
          }),
        );
      };
    },
  });
  return {
    store,
    fail(failure) {
      failing = failure;
    },
  };
}
