// Every `paymount` command, spawned as the real bin against a config file, on SQLite and
// on PostgreSQL; --json output parsed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HookJob, JournalEntry, Payment, PaymentStore, Refund, RefundTotals } from '@paymount/core';
import { postgresStore } from '@paymount/postgres';
import { sqliteStore } from '@paymount/sqlite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminPool, dropSchema, testPgUrl, uniqueSchema } from '../stores/fixtures/store-test-database.js';
import { paidOrder, paymount, type Seeded, SHOP_CONFIG, seed } from './support.js';

// Each command is a Node process of its own that loads paymount from source: seconds each on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

const dir = mkdtempSync(join(tmpdir(), 'paymount-cli-'));
const admin = adminPool();
const schemas: string[] = [];
afterAll(async () => {
  for (const schema of schemas) await dropSchema(admin, schema);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
});

interface StoreUnderTest {
  /** The environment that points the config file at this store. */
  env: Record<string, string>;
  open(): PaymentStore;
}

const sqlite = (): StoreUnderTest => {
  const path = join(dir, 'shop.db');
  return {
    env: { PAYMOUNT_CLI_STORE: 'sqlite', PAYMOUNT_CLI_SQLITE_PATH: path },
    open: () => sqliteStore({ path }),
  };
};

const postgres = (): StoreUnderTest => {
  const schema = uniqueSchema('cli');
  schemas.push(schema);
  const url = testPgUrl();
  return {
    env: { PAYMOUNT_CLI_STORE: 'postgres', PAYMOUNT_CLI_PG_URL: url, PAYMOUNT_CLI_PG_SCHEMA: schema },
    open: () => postgresStore({ connectionString: url, schema, max: 2 }),
  };
};

interface Shown {
  payment: Payment;
  journal: JournalEntry[];
  hookJobs: HookJob[];
  refunds: Refund[];
  refundTotals: RefundTotals;
}

describe.each([
  ['SQLite', sqlite],
  ['PostgreSQL', postgres],
])('paymount on %s', (_name, makeStore) => {
  const target = makeStore();
  let seeded: Seeded;
  const cli = (...args: string[]) =>
    paymount(['--config', SHOP_CONFIG, '--operator', 'ops-test', ...args], target.env);
  const shown = async (id: string): Promise<Shown> => (await cli('show', id, '--json')).json<Shown>();
  const operatorActions = (s: Shown) =>
    s.journal.filter((e) => e.type === 'operator.action').map((e) => e.data);

  beforeAll(async () => {
    const store = target.open();
    try {
      seeded = await seed(store);
    } finally {
      await store.close();
    }
  });

  it('list: prints an aligned table newest first, filters, and pages with --json', async () => {
    const all = await cli('list');
    expect(all.code).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PAYMENT\s+ORDER\s+PROVIDER\s+STATUS\s+AMOUNT\s+CREATED$/);
    expect(lines).toHaveLength(7);
    // Aligned: every row's status starts in the header's STATUS column.
    const column = lines[0]!.indexOf('STATUS');
    for (const line of lines.slice(1)) expect(line.slice(column)).toMatch(/^(paid|pending|anomaly)/);
    expect(all.stdout).toContain('anomaly (underpaid)');

    const anomalies = (await cli('list', '--status', 'anomaly', '--json')).json<{ payments: Payment[] }>();
    expect(anomalies.payments.map((p) => p.id).sort()).toEqual(
      [seeded.anomaly.id, seeded.refundable.id].sort(),
    );
    const byOrder = (await cli('list', '--order', 'o-paid', '--json')).json<{ payments: Payment[] }>();
    expect(byOrder.payments.map((p) => p.id)).toEqual([seeded.paid.id]);
    const several = await cli(
      'list',
      '--status',
      'paid,pending',
      '--provider',
      'test',
      '--since',
      '1h',
      '--json',
    );
    expect(several.json<{ payments: Payment[] }>().payments).toHaveLength(4);
    expect((await cli('list', '--since', '2000-01-01', '--provider', 'nobody', '--json')).json()).toEqual({
      payments: [],
      nextCursor: null,
    });

    const first = (await cli('list', '--limit', '4', '--json')).json<{
      payments: Payment[];
      nextCursor: string;
    }>();
    expect(first.payments).toHaveLength(4);
    const rest = (await cli('list', '--limit', '4', '--cursor', first.nextCursor, '--json')).json<{
      payments: Payment[];
      nextCursor: null;
    }>();
    expect(rest.nextCursor).toBeNull();
    expect(new Set([...first.payments, ...rest.payments].map((p) => p.id)).size).toBe(6);
  });

  it('show: a payment with its journal and hook jobs, as text and as JSON', async () => {
    const text = await cli('show', seeded.deadHook.id);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^payment:\s+pm_/);
    expect(text.stdout).toContain('Journal (');
    expect(text.stdout).toMatch(/status\.changed\s+pending → paid/);
    expect(text.stdout).toMatch(/onPaid\s+dead\s+1\s+the shop database said no/);
    const json = await shown(seeded.deadHook.id);
    expect(json.payment).toEqual(seeded.deadHook);
    expect(json.journal.map((e) => e.type)).toContain('hook.dead');
    expect(json.hookJobs.map((j) => [j.hook, j.state])).toEqual([['onPaid', 'dead']]);
  });

  it('refresh: asks the provider now, applies the answer and journals who asked', async () => {
    const run = await cli('refresh', seeded.settled.id);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout.trim()).toBe(`${seeded.settled.id}: pending → paid`);
    const after = await shown(seeded.settled.id);
    expect(after.payment).toMatchObject({ status: 'paid', providerStatus: 'SETTLED' });
    expect(operatorActions(after)).toEqual([
      { who: 'ops-test', what: 'payment.refresh', note: null, source: 'cli' },
    ]);
    const again = (await cli('refresh', seeded.settled.id, '--json')).json<{ changed: boolean }>();
    expect(again.changed).toBe(false);
  });

  it('reconcile --all: checks every live payment, in plain lines when not on a terminal', async () => {
    const run = await cli('reconcile', '--all');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^checked [1-9]\d*, changed [1-9]\d*, errors 0\n$/);
    expect(run.stderr).toBe('');
    expect((await shown(seeded.settledLater.id)).payment.status).toBe('paid');
    const json = (await cli('reconcile', '--json')).json();
    expect(json).toEqual({ checked: expect.any(Number), changed: 0, errors: 0 });
  });

  it('hooks: lists what is owed and the dead letters, as a table and as JSON', async () => {
    const dead = await cli('hooks', '--dead');
    expect(dead.code).toBe(0);
    const lines = dead.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^JOB\s+HOOK\s+STATE\s+ATTEMPTS\s+NEXT ATTEMPT\s+LAST ERROR$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(
        new RegExp(`^${seeded.deadHook.id}:paid:onPaid\\s+onPaid\\s+dead\\s+1\\s+-\\s+the shop`),
      ),
    ]);
    const json = (await cli('hooks', '--json')).json<{ hookJobs: HookJob[] }>();
    expect(json.hookJobs.every((j) => j.state !== 'done')).toBe(true);
    expect(json.hookJobs.map((j) => j.id)).toContain(`${seeded.deadHook.id}:paid:onPaid`);
    const everything = (await cli('hooks', '--all', '--json')).json<{ hookJobs: HookJob[] }>();
    expect(everything.hookJobs.some((j) => j.state === 'done')).toBe(true);
  });

  it('replay: puts a dead hook back in line once, and refuses one that is not dead', async () => {
    const jobId = `${seeded.deadHook.id}:paid:onPaid`;
    const run = await cli('replay', jobId);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${jobId}: back in line`);
    const after = await shown(seeded.deadHook.id);
    expect(after.hookJobs.map((j) => [j.state, j.attempts])).toEqual([['pending', 0]]);
    expect(operatorActions(after)).toEqual([
      { who: 'ops-test', what: 'hook.replay', note: jobId, source: 'cli' },
    ]);
    const again = await cli('replay', jobId);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('is pending, not dead');
    expect((await cli('replay', `${seeded.paid.id}:paid:onNothing`)).code).toBe(3);
  });

  it('resolve: accepts an anomaly as paid or records a refund by hand, with the note in the journal', async () => {
    const paid = await cli(
      'resolve',
      seeded.anomaly.id,
      '--as',
      'paid',
      '--note',
      'Buyer sent the rest by transfer',
    );
    expect([paid.code, paid.stdout.trim()]).toEqual([0, `${seeded.anomaly.id}: anomaly (underpaid) → paid`]);
    const refunded = await cli(
      'resolve',
      seeded.refundable.id,
      '--as',
      'refunded',
      '--note',
      'Refunded in the dashboard',
      '--json',
    );
    expect(refunded.json<{ payment: Payment }>().payment).toMatchObject({
      status: 'refunded',
      anomaly: 'underpaid',
    });
    expect(operatorActions(await shown(seeded.refundable.id))).toEqual([
      {
        who: 'ops-test',
        name: null,
        what: 'anomaly.refunded',
        note: 'Refunded in the dashboard',
        source: 'cli',
        anomaly: 'underpaid',
      },
    ]);
    // Refused: no longer an anomaly (5); usage errors (1).
    const twice = await cli('resolve', seeded.anomaly.id, '--as', 'refunded', '--note', 'again');
    expect([twice.code, twice.stderr]).toEqual([5, expect.stringContaining('is paid, not an anomaly')]);
    expect((await cli('resolve', seeded.anomaly.id, '--as', 'shipped', '--note', 'x')).code).toBe(1);
    expect((await cli('resolve', seeded.anomaly.id, '--as', 'paid')).code).toBe(1);
  });

  it('prune-journal: deletes what is past retention, says how much, and journals it', async () => {
    const run = await cli('prune-journal', '--json');
    expect(run.code).toBe(0);
    expect(run.json()).toEqual({ removed: 0 });
    expect((await cli('prune-journal')).stdout.trim()).toBe('removed 0 journal entries');
  });

  it('refund: a partial then the remaining refund through the provider, totals in show, over-refund refused', async () => {
    const id = seeded.paid.id;
    const part = await cli(
      'refund',
      id,
      '--amount',
      '4',
      '--reason',
      'one item back',
      '--key',
      'k-1',
      '--json',
    );
    expect(part.code).toBe(0);
    const first = part.json<{ refund: Refund; totals: RefundTotals }>();
    expect(first.refund).toMatchObject({ amount: '4.00', status: 'succeeded', reason: 'one item back' });
    expect(first.refund.providerRef).toBe(`tr_${first.refund.id}`);
    expect(first.totals).toEqual({
      currency: 'USD',
      paid: '10.00',
      refunded: '4.00',
      pending: '0.00',
      refundable: '6.00',
    });
    // The same key gives back the same refund, not a second one.
    const again = await cli('refund', id, '--amount', '4.00', '--key', 'k-1', '--json');
    expect(again.json<{ refund: Refund }>().refund.id).toBe(first.refund.id);
    // Over-refund: refused (5), nothing changes.
    const over = await cli('refund', id, '--amount', '6.01');
    expect([over.code, over.stderr]).toEqual([5, expect.stringContaining('refund')]);
    const bad = await cli('refund', id, '--amount', 'lots');
    expect(bad.code).toBe(5);
    // No amount: everything still refundable.
    const rest = await cli('refund', id);
    expect(rest.code).toBe(0);
    expect(rest.stdout).toMatch(
      /^rf_\w+: 6\.00 USD succeeded \(ref tr_rf_\w+\)\nrefundable now: 0\.00 USD\n$/,
    );
    const after = await shown(id);
    expect(after.payment.status).toBe('refunded');
    expect(after.refunds.map((r) => [r.amount, r.status])).toEqual([
      ['4.00', 'succeeded'],
      ['6.00', 'succeeded'],
    ]);
    expect(after.refundTotals).toMatchObject({ refunded: '10.00', refundable: '0.00' });
    expect(operatorActions(after)).toEqual([
      expect.objectContaining({
        who: 'ops-test',
        what: 'payment.refund',
        source: 'cli',
        note: expect.stringContaining('4.00 USD succeeded'),
      }),
      expect.objectContaining({
        who: 'ops-test',
        what: 'payment.refund',
        source: 'cli',
        note: expect.stringContaining('6.00 USD succeeded'),
      }),
    ]);
    const text = await cli('show', id);
    expect(text.stdout).toMatch(/Refunds \(2\):/);
    expect(text.stdout).toMatch(/refundable:\s+0\.00 USD/);
    // Refunded in full: refused (5); unknown payment (3).
    expect((await cli('refund', id)).code).toBe(5);
    expect((await cli('refund', 'pm_nothing_here')).code).toBe(3);
  });

  it('refund: a refund the provider refuses exits 6, leaves a failed refund and the payment paid', async () => {
    // Made here, after the listing tests, so they count the seeded payments only.
    const store = target.open();
    let id: string;
    try {
      id = (await paidOrder(store, 'refund-refused-1')).id;
    } finally {
      await store.close();
    }
    const run = await cli('refund', id, '--amount', '3.00');
    expect([run.code, run.stderr]).toEqual([
      6,
      expect.stringContaining('the test provider refuses this refund'),
    ]);
    const after = await shown(id);
    expect(after.payment.status).toBe('paid');
    expect(after.refunds).toMatchObject([{ amount: '3.00', status: 'failed' }]);
    expect(after.refundTotals.refundable).toBe('10.00');
    expect(operatorActions(after)).toEqual([
      {
        who: 'ops-test',
        what: 'payment.refund',
        source: 'cli',
        note: `${after.refunds[0]!.id}: failed (provider_error)`,
      },
    ]);
  });

  it('record-refund: records a refund made elsewhere once per reference, and journals who did', async () => {
    const id = seeded.deadHook.id;
    const run = await cli(
      'record-refund',
      id,
      '--amount',
      '2.50',
      '--reference',
      'bank-77',
      '--note',
      'wired back',
      '--json',
    );
    expect(run.code).toBe(0);
    const recorded = run.json<{ refund: Refund; totals: RefundTotals }>();
    expect(recorded.refund).toMatchObject({
      amount: '2.50',
      status: 'succeeded',
      source: 'recorded',
      providerRef: 'bank-77',
      note: 'wired back',
    });
    expect(recorded.totals.refundable).toBe('7.50');
    const twice = await cli('record-refund', id, '--amount', '2.50', '--reference', 'bank-77', '--json');
    expect(twice.json<{ refund: Refund }>().refund.id).toBe(recorded.refund.id);
    const over = await cli('record-refund', id, '--amount', '8.00');
    expect([over.code, over.stderr]).toEqual([5, expect.stringContaining('refund')]);
    expect((await cli('record-refund', id)).code).toBe(1);
    const after = await shown(id);
    expect(after.payment.status).toBe('paid');
    expect(after.refunds).toHaveLength(1);
    expect(operatorActions(after).filter((a) => a['what'] === 'payment.refund.record')).toEqual([
      {
        who: 'ops-test',
        what: 'payment.refund.record',
        source: 'cli',
        note: `${recorded.refund.id}: 2.50 USD — wired back`,
      },
    ]);
  });
});
