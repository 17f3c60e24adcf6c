// What a test passes to the shop process (test/faults/fixtures/shop.ts).
import type { PaymentsOptions } from '@paymount/core';

export interface ShopConfig {
  /** Names the instance in the record file and its paymount instance id. */
  readonly instance: string;
  /** Port to listen on; default a free one. A restarted instance keeps its port. */
  readonly port?: number;
  /** paymount's public URL; default the instance's own `http://127.0.0.1:{port}/pay`. */
  readonly publicUrl?: string;
  readonly secret: string;
  readonly pg: { readonly url: string; readonly schema: string; readonly max?: number };
  /** Where every onPaid call is appended: `{paymentId} {instance} {idempotencyKey}`. */
  readonly recordFile: string;
  readonly aaio?: {
    readonly merchantId: string;
    readonly secret1: string;
    readonly secret2: string;
    readonly apiKey: string;
    readonly baseUrl: string;
  };
  readonly aurpay?: { readonly apiKey: string; readonly callbackSecret: string; readonly baseUrl: string };
  /** How long onPaid takes, as a hook that writes to another system would. */
  readonly hookDelayMs?: number;
  readonly reconcile?: PaymentsOptions['reconcile'];
  /** Print the heap after a GC this often (start the process with --expose-gc). */
  readonly heapEveryMs?: number;
}
