// Runs the real `paymount` bin in its own Node process, from source: tsx is loaded with
// --import and @paymount/* resolves through the @paymount/source export condition, as in
// the other child-process tests.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPayments, type Payment, type PaymentStore } from '@paymount/core';
import { shopOptions } from './fixtures/shop-options.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = `${root}packages/cli/src/bin.ts`;
export const SHOP_CONFIG = `${root}test/cli/fixtures/shop.config.mjs`;

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as the one JSON document of a --json run. */
  json<T = Record<string, unknown>>(): T;
}

/** Runs `paymount ...args` with `env` added, and resolves when it has exited by itself. */
export function paymount(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@paymount/source', '--import', 'tsx', BIN, ...args],
      {
        cwd: root,
        env: { ...process.env, TSX_TSCONFIG_PATH: `${root}tsconfig.json`, ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) });
      },
    );
  });
}

/** The payments a store was filled with, by what each is for. */
export interface Seeded {
  /** Underpaid: the anomaly to resolve as paid. */
  readonly anomaly: Payment;
  /** Underpaid too: the anomaly to record as refunded by hand. */
  readonly refundable: Payment;
  /** Pending; the provider's status check says paid (`refresh`). */
  readonly settled: Payment;
  /** Pending; paid at the provider as well, found by `reconcile --all`. */
  readonly settledLater: Payment;
  /** Paid, with its onPaid dead-lettered. */
  readonly deadHook: Payment;
  /** Paid, hooks done. */
  readonly paid: Payment;
}

/** Checks `orderId` out and pays it in full through the engine the CLI's config builds; closes that engine (not the store). */
export async function paidOrder(store: PaymentStore, orderId: string): Promise<Payment> {
  const payments = createPayments(shopOptions(store));
  try {
    const { payment } = await payments.checkout({ orderId });
    return (await payments.applyEvent(payment.id, { status: 'paid', amount: '10.00', currency: 'USD' }))
      .payment;
  } finally {
    await payments.close();
  }
}

/** Fills `store` through the engine the CLI's config builds, then closes that engine (not the store). */
export async function seed(store: PaymentStore): Promise<Seeded> {
  const payments = createPayments(shopOptions(store));
  try {
    const checkout = async (orderId: string) => (await payments.checkout({ orderId })).payment;
    const pay = async (p: Payment, amount = '10.00') =>
      (await payments.applyEvent(p.id, { status: 'paid', amount, currency: 'USD' })).payment;
    const paid = await pay(await checkout('o-paid'));
    const anomaly = await pay(await checkout('o-short'), '8.00');
    const refundable = await pay(await checkout('o-refund'), '7.00');
    const deadHook = await pay(await checkout('hook-fails-1'));
    const settled = await checkout('settled-1');
    const settledLater = await checkout('settled-2');
    await payments.deliverHooks();
    return { anomaly, refundable, settled, settledLater, deadHook, paid };
  } finally {
    await payments.close();
  }
}
