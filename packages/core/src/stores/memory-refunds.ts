import type { JournalEntry } from '../contracts/journal.js';
import type { Refund } from '../contracts/refunds.js';
import type { HookJob, PaymentStore, RefundWrite, TransitionWrite } from '../contracts/store.js';
import { checkRefundFits, sameKeyRefund } from './refund-rules.js';

type RefundMethods = Pick<
  PaymentStore,
  'createRefund' | 'getRefund' | 'listRefunds' | 'updateRefund' | 'unsettledRefunds'
>;

/** What the memory store lends its refunds: synchronous steps, so each method stays atomic. */
export interface MemoryRefundHost {
  open(): void;
  /** The payment transition's compare-and-set, done at once; false when refused. */
  transition(write: TransitionWrite): boolean;
  addJobs(jobs: readonly HookJob[]): void;
  appendJournal(entries: readonly JournalEntry[]): void;
}

/**
 * The memory store's refunds. Like the rest of the memory store, every method does its
 * whole work before its promise resolves, so the reservation check and the insert are
 * one step that no concurrent call can split.
 */
export function memoryRefunds(host: MemoryRefundHost): RefundMethods {
  const refunds = new Map<string, Refund>();
  const byPayment = new Map<string, Refund[]>();
  const ofPayment = (paymentId: string): Refund[] =>
    (byPayment.get(paymentId) ?? []).map((r) => refunds.get(r.id) as Refund);

  return {
    async createRefund(refund, limit) {
      host.open();
      const existing = ofPayment(refund.paymentId);
      const same = sameKeyRefund(existing, refund);
      if (same) return { refund: same, created: false };
      checkRefundFits(existing, refund, limit);
      refunds.set(refund.id, refund);
      byPayment.set(refund.paymentId, [...(byPayment.get(refund.paymentId) ?? []), refund]);
      return { refund, created: true };
    },

    async getRefund(id) {
      host.open();
      return refunds.get(id) ?? null;
    },

    async listRefunds(paymentId) {
      host.open();
      return ofPayment(paymentId);
    },

    async updateRefund(write: RefundWrite) {
      host.open();
      const current = refunds.get(write.refund.id);
      if (!current || current.version !== write.expectedVersion) return false;
      // The payment's transition is checked and applied first: refused, nothing is written.
      if (write.transition && !host.transition(write.transition)) return false;
      refunds.set(write.refund.id, write.refund);
      host.addJobs(write.jobs);
      host.appendJournal(write.journal);
      return true;
    },

    async unsettledRefunds(updatedBefore, limit) {
      host.open();
      return [...refunds.values()]
        .filter((r) => (r.status === 'requested' || r.status === 'pending') && r.updatedAt < updatedBefore)
        .sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0))
        .slice(0, limit);
    },
  };
}
