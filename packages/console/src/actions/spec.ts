import { type HookJob, type Payment, PaymentsError, type RefundTotals } from '@paymount/core';
import type { SafeHtml } from '../html/template.js';
import type { ConsolePath, PageContext } from '../pages/context.js';
import type { DoneCode } from '../pages/done.js';

/** An action's fields, from the confirm page's query or the posted form. */
export type ActionFields = Readonly<Record<string, string | undefined>>;

/** What an action was about, looked up before it is confirmed and again before it is done. */
export interface Target {
  readonly payment?: Payment;
  readonly job?: HookJob;
  readonly as?: 'paid' | 'refunded';
  /** For a refund: what of the payment is refunded and still refundable. */
  readonly totals?: RefundTotals;
}

/** Where an action sends the operator when it is done. */
export interface ActionDone {
  readonly path: ConsolePath;
  readonly done: DoneCode;
}

/** One operator action: what it shows on its confirm page and what it does when confirmed. */
export interface ActionSpec {
  readonly title: string;
  /** The confirm button's label. */
  readonly verb: string;
  target(ctx: PageContext, fields: ActionFields): Promise<Target>;
  /** What the confirm page says will happen, and any fields the operator fills in. */
  describe(ctx: PageContext, target: Target): SafeHtml;
  /** Where "Cancel" goes. */
  back(ctx: PageContext, target: Target): string;
  perform(ctx: PageContext, target: Target, fields: ActionFields): Promise<ActionDone>;
}

/** The payment an action's `payment` field names; `payment_not_found` when there is none. */
export async function paymentOf(ctx: PageContext, fields: ActionFields): Promise<Payment> {
  const id = fields['payment'] ?? '';
  const payment = id ? await ctx.payments.get(id) : null;
  if (!payment) throw new PaymentsError('payment_not_found', 'There is no payment with this id.');
  return payment;
}

/** Back to the payment's page with a `?done=` notice. */
export function paymentDone(payment: Payment, done: DoneCode): ActionDone {
  return { path: `/payments/${encodeURIComponent(payment.id)}`, done };
}

/** The operator as core's journal entries name them. */
export function operatorOf(ctx: PageContext): { id: string; name?: string } {
  return ctx.operator.name === undefined
    ? { id: ctx.operator.id }
    : { id: ctx.operator.id, name: ctx.operator.name };
}
