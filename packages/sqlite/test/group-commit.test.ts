// Group commit as a shop relies on it: writes asked for together share a commit, yet each
// succeeds or fails on its own, and none is reported stored before another connection
// can read it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Payment } from '@paymount/core/store';
import { sqliteStore } from '@paymount/sqlite';
import { samplePayment } from '@paymount/testing';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'paymount-group-commit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const paidWith = (p: Payment, providerRef: string): Payment => ({
  ...p,
  status: 'paid',
  providerRef,
  version: p.version + 1,
});

describe('sqliteStore group commit', () => {
  it('stores concurrent transitions together, refuses the one whose provider order is taken, alone', async () => {
    const path = join(dir, 'together.db');
    const store = sqliteStore({ path });
    const reader = sqliteStore({ path });
    try {
      const [a, b, c] = ['order-a', 'order-b', 'order-c'].map((orderId) => samplePayment({ orderId }));
      for (const p of [a!, b!, c!]) await store.createOrReuse(p, 0);
      // Asked for in one turn of the event loop: one batch.
      const results = await Promise.allSettled([
        store.transition({ payment: paidWith(a!, 'INV-1'), expectedVersion: a!.version, jobs: [] }),
        store.transition({ payment: paidWith(b!, 'INV-1'), expectedVersion: b!.version, jobs: [] }),
        store.transition({ payment: paidWith(c!, 'INV-3'), expectedVersion: c!.version, jobs: [] }),
      ]);
      expect(results[0]).toEqual({ status: 'fulfilled', value: true });
      expect(results[1]).toMatchObject({ status: 'rejected', reason: { code: 'provider_ref_taken' } });
      expect(results[2]).toEqual({ status: 'fulfilled', value: true });
      // Read through another connection: what was reported stored is committed.
      expect(await reader.get(a!.id)).toMatchObject({ status: 'paid', providerRef: 'INV-1' });
      expect(await reader.get(b!.id)).toMatchObject({ status: b!.status, providerRef: null });
      expect(await reader.get(c!.id)).toMatchObject({ status: 'paid', providerRef: 'INV-3' });
      expect(await reader.findByProviderRef(a!.provider, 'INV-1')).toMatchObject({ id: a!.id });
    } finally {
      await reader.close();
      await store.close();
    }
  });

  it('fails every write of a batch whose commit cannot happen, and stores none of them', async () => {
    const path = join(dir, 'locked.db');
    const store = sqliteStore({ path, busyTimeoutMs: 50 });
    const locker = new BetterSqlite3(path);
    try {
      const [a, b] = ['order-a', 'order-b'].map((orderId) => samplePayment({ orderId }));
      for (const p of [a!, b!]) await store.createOrReuse(p, 0);
      locker.exec('BEGIN IMMEDIATE');
      const results = await Promise.allSettled([
        store.transition({ payment: paidWith(a!, 'INV-A'), expectedVersion: a!.version, jobs: [] }),
        store.rememberEvent('aaio:b', b!.id),
      ]);
      for (const result of results) {
        expect(result).toMatchObject({ status: 'rejected', reason: { code: 'store_unavailable' } });
      }
      locker.exec('ROLLBACK');
      expect(await store.get(a!.id)).toMatchObject({ status: a!.status, version: a!.version });
      expect(await store.hasEvent('aaio:b')).toBe(false);
      // The lock gone, the same writes go through.
      expect(
        await store.transition({ payment: paidWith(a!, 'INV-A'), expectedVersion: a!.version, jobs: [] }),
      ).toBe(true);
    } finally {
      locker.close();
      await store.close();
    }
  });

  it('commits what was asked before close(), rather than dropping it', async () => {
    const path = join(dir, 'closing.db');
    const store = sqliteStore({ path });
    const p = samplePayment();
    const created = store.createOrReuse(p, 0);
    await store.close();
    await expect(created).resolves.toMatchObject({ created: true });
    const reopened = sqliteStore({ path });
    try {
      expect(await reopened.get(p.id)).toMatchObject({ id: p.id });
    } finally {
      await reopened.close();
    }
  });
});
