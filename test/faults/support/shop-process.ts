// The parent's handle on a shop process (test/faults/fixtures/shop.ts): start it, talk to
// it over HTTP, read what its onPaid recorded, stop it cleanly or SIGKILL it.
import { existsSync, readFileSync } from 'node:fs';
import { type FixtureProcess, startFixture } from '../../stores/fixtures/store-child-process.js';
import type { ShopConfig } from './shop-config.js';

export interface ShopProcess {
  readonly config: ShopConfig;
  /** `http://127.0.0.1:{port}`; paymount is under `/pay`. */
  readonly url: string;
  readonly port: number;
  readonly process: FixtureProcess;
  /** Payment ids whose onPaid this process printed, without repeats. */
  paidIds(): Set<string>;
  /** Stops it the way a deploy does: finish hooks in flight, close the store, exit 0. */
  close(): Promise<void>;
  /** SIGKILL: the process dies wherever it is. */
  kill(): Promise<void>;
}

/** One onPaid call as the shop recorded it. */
export interface OnPaidRecord {
  readonly paymentId: string;
  readonly instance: string;
  readonly key: string;
}

/** Starts a shop process and resolves once it listens. */
export async function startShop(config: ShopConfig): Promise<ShopProcess> {
  const nodeOptions = [process.env['NODE_OPTIONS'] ?? '', config.heapEveryMs ? '--expose-gc' : '']
    .join(' ')
    .trim();
  const child = startFixture('../../faults/fixtures/shop.ts', {
    PAYMOUNT_SHOP_CONFIG: JSON.stringify(config),
    NODE_OPTIONS: nodeOptions,
  });
  const line = await child.waitForLine((l) => l.startsWith('listening '), 'the shop listening', 30_000);
  const port = Number(line.slice('listening '.length));
  const url = `http://127.0.0.1:${port}`;
  return {
    config,
    url,
    port,
    process: child,
    paidIds: () =>
      new Set(child.lines.filter((l) => l.startsWith('paid ')).map((l) => l.split(' ')[1] ?? '')),
    async close() {
      if (child.ended) return;
      await fetch(`${url}/__shop/close`, { method: 'POST' })
        .then((reply) => reply.text())
        .catch(() => '');
      await child.exited;
    },
    async kill() {
      if (!child.ended) child.child.kill('SIGKILL');
      await child.exited;
    },
  };
}

/** Every onPaid call the shops appended to `file`, oldest first. */
export function readOnPaid(file: string): OnPaidRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [paymentId = '', instance = '', key = ''] = line.split(' ');
      return { paymentId, instance, key };
    });
}

/** onPaid calls per payment: how many, and how many different idempotency keys among them. */
export function onPaidByPayment(
  records: readonly OnPaidRecord[],
): Map<string, { calls: number; keys: number }> {
  const keys = new Map<string, Set<string>>();
  const calls = new Map<string, number>();
  for (const record of records) {
    calls.set(record.paymentId, (calls.get(record.paymentId) ?? 0) + 1);
    const set = keys.get(record.paymentId) ?? new Set<string>();
    set.add(record.key);
    keys.set(record.paymentId, set);
  }
  return new Map([...calls].map(([id, n]) => [id, { calls: n, keys: keys.get(id)?.size ?? 0 }]));
}
