import { DEFAULTS } from '../config/defaults.js';
import type { ClaimOptions, HookJob, PaymentStore, TransitionWrite } from '../contracts/store.js';
import { isLive, type Payment } from '../domain/payment.js';
import { memoryJournal } from './memory-journal.js';

interface CheckSlot {
  nextCheckAt: number | null;
  leaseUntil: number;
  owner: string | null;
}

interface JobSlot {
  job: HookJob;
  leaseUntil: number;
  owner: string | null;
}

export interface MemoryStoreOptions {
  /**
   * How many journal entries to keep, newest first (older ones are dropped): the memory
   * store lives as long as its process. Default 10 000.
   */
  readonly journalEntries?: number;
}

/**
 * The in-process store: fast and exact, but it forgets everything on restart.
 * For tests, demos and single-process development; use `@paymount/sqlite` or
 * `@paymount/postgres` for real money.
 */
export function memoryStore(options: MemoryStoreOptions = {}): PaymentStore {
  const payments = new Map<string, Payment>();
  const byOrder = new Map<string, string[]>();
  const events = new Map<string, string>();
  const checks = new Map<string, CheckSlot>();
  const jobs = new Map<string, JobSlot>();
  const journal = memoryJournal(options.journalEntries ?? DEFAULTS.memoryStore.journalEntries);
  // Claims scan only jobs that can still run, not every job ever written.
  const pendingJobs = new Set<JobSlot>();
  let closed = false;

  // Every method does its whole work synchronously before its promise resolves, so
  // JavaScript's run-to-completion makes each one atomic without locks.
  const open = (): void => {
    if (closed) throw new Error('memoryStore is closed');
  };

  return {
    async createOrReuse(payment, firstCheckAt) {
      open();
      const ids = byOrder.get(payment.orderId) ?? [];
      for (const id of ids) {
        const existing = payments.get(id)!;
        if (existing.provider === payment.provider && isLive(existing))
          return { payment: existing, created: false };
      }
      if (payments.has(payment.id)) throw new Error(`payment ${payment.id} exists`);
      payments.set(payment.id, payment);
      byOrder.set(payment.orderId, [...ids, payment.id]);
      checks.set(payment.id, { nextCheckAt: firstCheckAt, leaseUntil: 0, owner: null });
      return { payment, created: true };
    },

    async get(id) {
      open();
      return payments.get(id) ?? null;
    },

    async findByOrder(orderId) {
      open();
      return (byOrder.get(orderId) ?? []).map((id) => payments.get(id)!);
    },

    async transition(write: TransitionWrite) {
      open();
      const current = payments.get(write.payment.id);
      if (!current || current.version !== write.expectedVersion) return false;
      payments.set(write.payment.id, write.payment);
      for (const job of write.jobs) {
        if (jobs.has(job.id)) continue;
        const slot: JobSlot = { job, leaseUntil: 0, owner: null };
        jobs.set(job.id, slot);
        pendingJobs.add(slot);
      }
      if (!isLive(write.payment)) checks.delete(write.payment.id);
      if (write.journal) journal.append(write.journal);
      return true;
    },

    async hasEvent(key) {
      open();
      return events.has(key);
    },

    async rememberEvent(key, paymentId) {
      open();
      if (events.has(key)) return false;
      events.set(key, paymentId);
      return true;
    },

    async claimDueChecks({ now, limit, leaseMs, owner }: ClaimOptions) {
      open();
      const due: Payment[] = [];
      for (const [id, slot] of checks) {
        if (due.length >= limit) break;
        if (slot.nextCheckAt === null || slot.nextCheckAt > now || slot.leaseUntil > now) continue;
        const payment = payments.get(id);
        if (!payment || !isLive(payment)) continue;
        slot.leaseUntil = now + leaseMs;
        slot.owner = owner;
        due.push(payment);
      }
      return due;
    },

    async scheduleCheck(paymentId, nextCheckAt, owner) {
      open();
      const slot = checks.get(paymentId);
      if (!slot || (slot.owner !== null && slot.owner !== owner)) return;
      slot.nextCheckAt = nextCheckAt;
      slot.leaseUntil = 0;
      slot.owner = null;
    },

    async claimHookJobs({ now, limit, leaseMs, owner }: ClaimOptions) {
      open();
      const claimed: HookJob[] = [];
      for (const slot of pendingJobs) {
        if (claimed.length >= limit) break;
        if (slot.job.state !== 'pending' || slot.job.nextAttemptAt > now || slot.leaseUntil > now) continue;
        slot.leaseUntil = now + leaseMs;
        slot.owner = owner;
        claimed.push(slot.job);
      }
      return claimed;
    },

    async completeHookJob(id, owner) {
      open();
      const slot = jobs.get(id);
      if (!slot || slot.owner !== owner || slot.job.state !== 'pending') return;
      slot.job = { ...slot.job, state: 'done', attempts: slot.job.attempts + 1, lastError: null };
      pendingJobs.delete(slot);
      slot.owner = null;
      slot.leaseUntil = 0;
    },

    async failHookJob(id, owner, error, nextAttemptAt) {
      open();
      const slot = jobs.get(id);
      if (!slot || slot.owner !== owner || slot.job.state !== 'pending') return;
      slot.job = {
        ...slot.job,
        state: nextAttemptAt === null ? 'dead' : 'pending',
        attempts: slot.job.attempts + 1,
        nextAttemptAt: nextAttemptAt ?? slot.job.nextAttemptAt,
        lastError: error,
      };
      if (nextAttemptAt === null) pendingJobs.delete(slot);
      slot.owner = null;
      slot.leaseUntil = 0;
    },

    async listHookJobs(filter = {}) {
      open();
      const list: HookJob[] = [];
      for (const { job } of jobs.values()) {
        if (filter.state && job.state !== filter.state) continue;
        if (filter.paymentId && job.paymentId !== filter.paymentId) continue;
        list.push(job);
      }
      return list;
    },

    async replayHookJob(id, now) {
      open();
      const slot = jobs.get(id);
      if (!slot || slot.job.state !== 'dead') return false;
      slot.job = { ...slot.job, state: 'pending', attempts: 0, nextAttemptAt: now };
      pendingJobs.add(slot);
      return true;
    },

    async appendJournal(entries) {
      open();
      journal.append(entries);
    },

    async listJournal(query) {
      open();
      return journal.list(query);
    },

    async pruneJournal(before) {
      open();
      return journal.prune(before);
    },

    async close() {
      closed = true;
    },
  };
}
