// Hooks that throw, hang, keep failing, or run while the process is killed: each is
// delivered in the end, dead-lettered after its limit and replayable, and its effect
// happens once per idempotency key.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createPayments, memoryStore, type PaymentHook, type Payments } from '@paymount/core';
import { testProvider } from '@paymount/core/testing';
import { sqliteStore } from '@paymount/sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLogger, captureLogText, SECRETS } from '../support/capture.js';
import { figure } from '../support/figures.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'paymount-hooks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function engine(
  onPaid: PaymentHook,
  options: {
    maxAttempts?: number;
    timeoutMs?: number;
    store?: ReturnType<typeof memoryStore>;
    now?: () => Date;
  } = {},
): Payments {
  return createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: SECRETS.paymount,
    store: options.store ?? memoryStore(),
    providers: { test: testProvider() },
    loadOrder: async () => ({ amount: '10.00', currency: 'USD' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hooks: { onPaid },
    hookDelivery: {
      pollIntervalMs: 0,
      baseDelayMs: 0,
      maxAttempts: options.maxAttempts ?? 10,
      timeoutMs: options.timeoutMs ?? 30_000,
    },
    logger: captureLogger(),
    ...(options.now ? { now: options.now } : {}),
  });
}

async function paidPayment(payments: Payments, orderId: string): Promise<string> {
  const { payment } = await payments.checkout({ orderId });
  await payments.applyEvent(payment.id, { status: 'paid', amount: '10.00', currency: 'USD' });
  return payment.id;
}

describe('hook delivery', () => {
  it('a hook that throws 3 times is retried and succeeds once', async () => {
    let calls = 0;
    let succeeded = 0;
    const payments = engine(() => {
      calls++;
      if (calls <= 3) throw new Error(`shop database busy (${calls})`);
      succeeded++;
    });
    const id = await paidPayment(payments, 'HOOK-1');
    const report = await payments.deliverHooks();
    const again = await payments.deliverHooks();
    const [job] = await payments.listHookJobs({ paymentId: id });
    await payments.close();
    await figure(
      {
        area: 'hooks',
        scenario: 'onPaid throws 3 times',
        sent: 1,
        result: `calls=${calls} succeeded=${succeeded} retried=${report.retried} job=${job?.state}`,
      },
      () => {
        expect(report).toEqual({ delivered: 1, retried: 3, dead: 0 });
        expect(again).toEqual({ delivered: 0, retried: 0, dead: 0 });
        expect(succeeded).toBe(1);
        expect(job?.state).toBe('done');
      },
    );
  });

  it('a hook that hangs times out and is retried', async () => {
    let calls = 0;
    const payments = engine(
      () => {
        calls++;
        // The first call never settles.
        return calls === 1 ? new Promise(() => {}) : undefined;
      },
      { timeoutMs: 100 },
    );
    const id = await paidPayment(payments, 'HOOK-2');
    const report = await payments.deliverHooks();
    const [job] = await payments.listHookJobs({ paymentId: id });
    await payments.close();
    await figure(
      {
        area: 'hooks',
        scenario: 'onPaid hangs once (timeout 100 ms)',
        sent: 1,
        result: `calls=${calls} delivered=${report.delivered} retried=${report.retried} job=${job?.state}`,
      },
      () => {
        expect(report).toEqual({ delivered: 1, retried: 1, dead: 0 });
        expect(calls).toBe(2);
        expect(job?.state).toBe('done');
      },
    );
  });

  it('a hook that keeps failing is dead-lettered after the limit, and a replay delivers it once', async () => {
    let broken = true;
    let calls = 0;
    let succeeded = 0;
    const payments = engine(
      () => {
        calls++;
        if (broken) throw new Error('mail server down');
        succeeded++;
      },
      { maxAttempts: 4 },
    );
    const id = await paidPayment(payments, 'HOOK-3');
    const first = await payments.deliverHooks();
    const [dead] = await payments.listHookJobs({ state: 'dead' });
    broken = false;
    const idle = await payments.deliverHooks();
    const replayed = await payments.replayHook(dead!.id);
    const after = await payments.deliverHooks();
    const twice = await payments.replayHook(dead!.id);
    const [job] = await payments.listHookJobs({ paymentId: id });
    await payments.close();
    await figure(
      {
        area: 'hooks',
        scenario: 'onPaid fails 4/4 -> dead-letter -> replay',
        sent: 1,
        result: `calls=${calls} dead=${first.dead} replayed=${replayed} delivered=${after.delivered} succeeded=${succeeded} job=${job?.state}`,
      },
      () => {
        expect(first).toEqual({ delivered: 0, retried: 3, dead: 1 });
        expect(dead?.lastError).toContain('mail server down');
        expect(idle).toEqual({ delivered: 0, retried: 0, dead: 0 });
        expect(replayed).toBe(true);
        expect(after).toEqual({ delivered: 1, retried: 0, dead: 0 });
        expect(twice).toBe(false);
        expect(succeeded).toBe(1);
        expect(job?.state).toBe('done');
      },
    );
  });

  it('hooks running while the process is SIGKILLed are all delivered after a restart on the same SQLite file', async () => {
    const count = 20;
    const db = join(dir, 'killed.db');
    const record = join(dir, 'effects.log');
    const child = spawn(
      process.execPath,
      ['--conditions=@paymount/source', '--import', 'tsx', 'test/reliability/fixtures/hook-crash-child.ts'],
      {
        cwd: root,
        env: {
          ...process.env,
          TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'),
          PAYMOUNT_CRASH_DB: db,
          PAYMOUNT_CRASH_RECORD: record,
          PAYMOUNT_CRASH_PAYMENTS: String(count),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('close', (_code, signal) => resolve(signal)),
    );
    const paidIds: string[] = [];
    let started = 0;
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        captureLogText(line);
        if (line.startsWith('paid ')) paidIds.push(line.slice(5));
        if (line.startsWith('hook ') && ++started === 7) {
          child.kill('SIGKILL');
          resolve();
        }
        if (line === 'all delivered')
          reject(new Error('the child delivered every hook before it could be killed'));
      });
      void exited.then(() => reject(new Error(`the child ended first: ${stderr}`)));
    });
    expect(await exited).toBe('SIGKILL');

    // The restart: the same file, a clock past the dead process's lease (hook timeout + 1 min).
    const store = sqliteStore({ path: db });
    const effects = new Set(readFileSync(record, 'utf8').trim().split('\n'));
    let restartCalls = 0;
    const payments = engine(
      (_payment, ctx) => {
        restartCalls++;
        // The shop's own dedupe by idempotency key: the effect happens once per key.
        effects.add(ctx.idempotencyKey);
      },
      { store, now: () => new Date(Date.now() + 2 * 60_000) },
    );
    try {
      const report = await payments.deliverHooks();
      const jobs = await payments.listHookJobs();
      const raw = readFileSync(record, 'utf8').trim().split('\n').length + restartCalls;
      await figure(
        {
          area: 'hooks',
          scenario: `SIGKILL during delivery of ${count} onPaid, restart on SQLite`,
          sent: count,
          result: `beforeKill=${started} afterRestart=${report.delivered} calls=${raw} effects=${effects.size} done=${jobs.filter((j) => j.state === 'done').length} lost=${count - effects.size}`,
        },
        () => {
          expect(paidIds).toHaveLength(count);
          expect(jobs).toHaveLength(count);
          expect(jobs.every((j) => j.state === 'done')).toBe(true);
          expect(effects).toEqual(new Set(paidIds.map((id) => `${id}:paid:onPaid`)));
          // At most the one hook in flight at the kill runs twice; its key lets the shop drop the repeat.
          expect(raw - count).toBeLessThanOrEqual(1);
        },
      );
    } finally {
      await payments.close();
      await store.close();
    }
  });
});
