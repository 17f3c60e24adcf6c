import { DEFAULTS } from '../config/defaults.js';
import type { ClaimOptions, HookJob, PaymentStore, TransitionWrite } from '../contracts/store.js';
import { CHECKABLE_STATUSES, isLive, type Payment } from '../domain/payment.js';
import { memoryJournal } from './memory-journal.js';
import { countPayments, listPayments } from './memory-listing.js';
import { memoryRefunds } from './memory-refunds.js';
import { providerRefTaken } from './store-rules.js';

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

const isCheckable = (payment: Payment): boolean => CHECKABLE_STATUSES.includes(payment.status);

/**
 * The in-process store: fast and exact, but it forgets everything on restart.
 * For tests, demos and single-process development; use `@paymount/sqlite` or
 * `@paymount/postgres` for real money.
 */
export function memoryStore(options: MemoryStoreOptions = {}): PaymentStore {
  const payments = new Map<string, Payment>();
  const byOrder = new Map<string, string[]>();
  const events = new Map<string, string>();
  // "provider\0providerRef" → the payment the reference is bound to, for good.
  const bindings = new Map<string, string>();
  const bindingKey = (provider: string, ref: string): string => `${provider}\u0000${ref}`;
  const checks = new Map<string, CheckSlot>();
  const jobs = new Map<string, JobSlot>();
  const journal = memoryJournal(options.journalEntries ?? DEFAULTS.memoryStore.journalEntries);
  // Claims scan only jobs that can still run, not every job ever written.
  const pendingJobs = new Set<JobSlot>();
  // Counted by countHookJobs without walking the done ones.
  const deadJobs = new Set<JobSlot>();
  let closed = false;

  const findPaidSibling = (payment: Payment): boolean =>
    (byOrder.get(payment.orderId) ?? []).some(
      (id) => id !== payment.id && payments.get(id)?.status === 'paid',
    );

  // The check queue after a transition: as the write says, else kept for a live payment only.
  const scheduleAfterWrite = (write: TransitionWrite): void => {
    const id = write.payment.id;
    if (write.nextCheckAt === undefined) {
      if (!isLive(write.payment)) checks.delete(id);
      return;
    }
    if (write.nextCheckAt === null) {
      checks.delete(id);
      return;
    }
    const slot = checks.get(id) ?? { nextCheckAt: null, leaseUntil: 0, owner: null };
    slot.nextCheckAt = write.nextCheckAt;
    checks.set(id, slot);
  };

  const addJobs = (written: readonly HookJob[]): void => {
    for (const job of written) {
      if (jobs.has(job.id)) continue;
      const slot: JobSlot = { job, leaseUntil: 0, owner: null };
      jobs.set(job.id, slot);
      pendingJobs.add(slot);
    }
  };
  // The compare-and-set of a transition, done at once (refund writes join it in their own step).
  const transition = (write: TransitionWrite): boolean => {
    const next = write.payment;
    const current = payments.get(next.id);
    if (!current || current.version !== write.expectedVersion) return false;
    if (next.status === 'paid' && findPaidSibling(next)) return false;
    const ref = next.providerRef;
    const newBinding = ref !== null && ref !== current.providerRef;
    if (newBinding) {
      const key = bindingKey(next.provider, ref);
      const boundTo = bindings.get(key);
      if (boundTo !== undefined && boundTo !== next.id) throw providerRefTaken(next, boundTo);
      bindings.set(key, next.id);
    }
    payments.set(next.id, next);
    addJobs(write.jobs);
    scheduleAfterWrite(write);
    if (write.journal) journal.append(write.journal);
    if (write.rememberEvent !== undefined && !events.has(write.rememberEvent)) {
      events.set(write.rememberEvent, next.id);
    }
    return true;
  };

  // Every method does its whole work synchronously before its promise resolves, so
  // JavaScript's run-to-completion makes each one atomic without locks.
  const open = (): void => {
    if (closed) throw new Error('memoryStore is closed');
  };

  const refunds = memoryRefunds({
    open: () => open(),
    transition,
    addJobs,
    appendJournal: (entries) => journal.append(entries),
  });

  return {
    ...refunds,

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
      return transition(write);
    },

    async findByProviderRef(provider, providerRef) {
      open();
      const id = bindings.get(bindingKey(provider, providerRef));
      return id === undefined ? null : (payments.get(id) ?? null);
    },

    async findUnbound(provider, createdSince, limit) {
      open();
      const since = Date.parse(createdSince);
      return [...payments.values()]
        .filter((p) => p.provider === provider && p.providerRef === null && isLive(p))
        .filter((p) => Date.parse(p.createdAt) >= since)
        .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
        .slice(0, limit);
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
        if (!payment || !isCheckable(payment)) continue;
        slot.leaseUntil = now + leaseMs;
        slot.owner = owner;
        due.push(payment);
      }
      return due;
    },

    async scheduleCheck(paymentId, nextCheckAt, owner) {
      open();
      const slot = checks.get(paymentId);
      const payment = payments.get(paymentId);
      if (!slot || !payment || (slot.owner !== null && slot.owner !== owner)) return;
      if (!isCheckable(payment)) {
        checks.delete(paymentId);
        return;
      }
      slot.nextCheckAt = nextCheckAt;
      slot.leaseUntil = 0;
      slot.owner = null;
    },

    async checkAllLiveAt(now) {
      open();
      let made = 0;
      for (const [id, payment] of payments) {
        if (!isLive(payment)) continue;
        const slot = checks.get(id) ?? { nextCheckAt: null, leaseUntil: 0, owner: null };
        if (slot.nextCheckAt !== null && slot.nextCheckAt <= now) continue;
        slot.nextCheckAt = now;
        checks.set(id, slot);
        made++;
      }
      return made;
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
      if (nextAttemptAt === null) {
        pendingJobs.delete(slot);
        deadJobs.add(slot);
      }
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

    async countHookJobs() {
      open();
      let oldestPendingAt: number | null = null;
      for (const { job } of pendingJobs) {
        if (oldestPendingAt === null || job.createdAt < oldestPendingAt) oldestPendingAt = job.createdAt;
      }
      return { pending: pendingJobs.size, dead: deadJobs.size, oldestPendingAt };
    },

    async replayHookJob(id, now) {
      open();
      const slot = jobs.get(id);
      if (!slot || slot.job.state !== 'dead') return false;
      slot.job = { ...slot.job, state: 'pending', attempts: 0, nextAttemptAt: now };
      pendingJobs.add(slot);
      deadJobs.delete(slot);
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

    async listPayments(listing) {
      open();
      return listPayments(payments.values(), listing);
    },

    async countPayments(window) {
      open();
      return countPayments(payments.values(), window);
    },

    async close() {
      closed = true;
    },
  };
}
