import { DEFAULTS } from '../config/defaults.js';
import type { ClaimOptions, HookJob, PaymentStore, TransitionWrite } from '../contracts/store.js';
import { CHECKABLE_STATUSES, isLive, type Payment } from '../domain/payment.js';
import { memoryJournal } from './memory-journal.js';
import { countPayments, listPayments } from './memory-listing.js';
import { memoryRefunds } from './memory-refunds.js';
import { providerRefTaken } from './store-rules.js';

interface CheckSlot {
  readonly of: PaymentSlot;
  nextCheckAt: number | null;
  leaseUntil: number;
  owner: string | null;
}

interface JobSlot {
  job: HookJob;
  leaseUntil: number;
  owner: string | null;
}

/**
 * A payment as the memory store holds it: one map lookup reaches the payment, the other
 * payments of its order and its place in the check queue, so a transition reads no map
 * a second time.
 */
interface PaymentSlot {
  payment: Payment;
  /** Every slot of the payment's order, this one included (one array shared by them). */
  readonly order: PaymentSlot[];
  /** The same object the check queue holds, while the payment is in it. */
  check: CheckSlot | undefined;
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
  const payments = new Map<string, PaymentSlot>();
  const byOrder = new Map<string, PaymentSlot[]>();
  const events = new Map<string, string>();
  // provider → providerRef → the payment the reference is bound to, for good. Two levels
  // rather than one joined key: the reference as the callback carried it is the key itself.
  const bindings = new Map<string, Map<string, string>>();
  const boundOf = (provider: string): Map<string, string> => {
    const known = bindings.get(provider);
    if (known) return known;
    const added = new Map<string, string>();
    bindings.set(provider, added);
    return added;
  };
  const checks = new Map<string, CheckSlot>();
  const jobs = new Map<string, JobSlot>();
  const journal = memoryJournal(options.journalEntries ?? DEFAULTS.memoryStore.journalEntries);
  // Claims scan only jobs that can still run, not every job ever written.
  const pendingJobs = new Set<JobSlot>();
  // Counted by countHookJobs without walking the done ones.
  const deadJobs = new Set<JobSlot>();
  let closed = false;

  const paymentOf = (id: string): Payment | null => payments.get(id)?.payment ?? null;
  function* allPayments(): Generator<Payment> {
    for (const slot of payments.values()) yield slot.payment;
  }

  const queueCheck = (slot: PaymentSlot, nextCheckAt: number | null): void => {
    if (slot.check) {
      slot.check.nextCheckAt = nextCheckAt;
      return;
    }
    slot.check = { of: slot, nextCheckAt, leaseUntil: 0, owner: null };
    checks.set(slot.payment.id, slot.check);
  };
  const dropCheck = (slot: PaymentSlot): void => {
    if (!slot.check) return;
    slot.check = undefined;
    checks.delete(slot.payment.id);
  };

  // The check queue after a transition: as the write says, else kept for a live payment only.
  const scheduleAfterWrite = (slot: PaymentSlot, write: TransitionWrite): void => {
    if (write.nextCheckAt === undefined) {
      if (!isLive(write.payment)) dropCheck(slot);
    } else if (write.nextCheckAt === null) dropCheck(slot);
    else queueCheck(slot, write.nextCheckAt);
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
    const slot = payments.get(next.id);
    if (!slot || slot.payment.version !== write.expectedVersion) return false;
    const current = slot.payment;
    if (next.status === 'paid' && slot.order.some((s) => s !== slot && s.payment.status === 'paid')) {
      return false;
    }
    const ref = next.providerRef;
    if (ref !== null && ref !== current.providerRef) {
      const bound = boundOf(next.provider);
      const boundTo = bound.get(ref);
      if (boundTo !== undefined && boundTo !== next.id) throw providerRefTaken(next, boundTo);
      bound.set(ref, next.id);
    }
    slot.payment = next;
    addJobs(write.jobs);
    scheduleAfterWrite(slot, write);
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
      const order = byOrder.get(payment.orderId);
      for (const { payment: existing } of order ?? []) {
        if (existing.provider === payment.provider && isLive(existing))
          return { payment: existing, created: false };
      }
      if (payments.has(payment.id)) throw new Error(`payment ${payment.id} exists`);
      const slot: PaymentSlot = { payment, order: order ?? [], check: undefined };
      slot.order.push(slot);
      if (!order) byOrder.set(payment.orderId, slot.order);
      payments.set(payment.id, slot);
      queueCheck(slot, firstCheckAt);
      return { payment, created: true };
    },

    async get(id) {
      open();
      return paymentOf(id);
    },

    async findByOrder(orderId) {
      open();
      return (byOrder.get(orderId) ?? []).map((slot) => slot.payment);
    },

    async transition(write: TransitionWrite) {
      open();
      return transition(write);
    },

    async findByProviderRef(provider, providerRef) {
      open();
      const id = bindings.get(provider)?.get(providerRef);
      return id === undefined ? null : paymentOf(id);
    },

    async findUnbound(provider, createdSince, limit) {
      open();
      const since = Date.parse(createdSince);
      return [...allPayments()]
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
      for (const check of checks.values()) {
        if (due.length >= limit) break;
        if (check.nextCheckAt === null || check.nextCheckAt > now || check.leaseUntil > now) continue;
        const { payment } = check.of;
        if (!isCheckable(payment)) continue;
        check.leaseUntil = now + leaseMs;
        check.owner = owner;
        due.push(payment);
      }
      return due;
    },

    async scheduleCheck(paymentId, nextCheckAt, owner) {
      open();
      const slot = payments.get(paymentId);
      const check = slot?.check;
      if (!slot || !check || (check.owner !== null && check.owner !== owner)) return;
      if (!isCheckable(slot.payment)) {
        dropCheck(slot);
        return;
      }
      check.nextCheckAt = nextCheckAt;
      check.leaseUntil = 0;
      check.owner = null;
    },

    async checkAllLiveAt(now) {
      open();
      let made = 0;
      for (const slot of payments.values()) {
        if (!isLive(slot.payment)) continue;
        const due = slot.check?.nextCheckAt;
        if (due !== undefined && due !== null && due <= now) continue;
        queueCheck(slot, now);
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
      return listPayments(allPayments(), listing);
    },

    async countPayments(window) {
      open();
      return countPayments(allPayments(), window);
    },

    async close() {
      closed = true;
    },
  };
}
