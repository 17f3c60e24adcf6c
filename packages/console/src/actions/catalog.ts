import { type HookJob, PaymentsError } from '@paymount/core';
import { html } from '../html/template.js';
import { paymentLink } from '../pages/context.js';
import type { ActionName } from '../routes.js';
import { recordRefund, refund } from './refunds.js';
import { type ActionFields, type ActionSpec, operatorOf, paymentDone, paymentOf } from './spec.js';

export type { ActionFields } from './spec.js';

const refresh: ActionSpec = {
  title: 'Check with the provider now',
  verb: 'Check now',
  target: async (ctx, fields) => ({ payment: await paymentOf(ctx, fields) }),
  describe: (_ctx, { payment }) =>
    html`<p>paymount asks <strong>${payment!.provider}</strong> where payment <code>${payment!.id}</code> stands and applies its answer, as a status check would. It can move the payment forward (to paid, expired, anomaly), never back.</p>`,
  back: (ctx, { payment }) => paymentLink(ctx, payment!.id),
  async perform(ctx, { payment }) {
    await ctx.payments.refresh(payment!.id);
    await ctx.payments.recordOperatorAction({
      who: ctx.operator.id,
      what: 'payment.refresh',
      paymentId: payment!.id,
    });
    return paymentDone(payment!, 'refreshed');
  },
};

async function deadJob(ctx: Parameters<ActionSpec['target']>[0], fields: ActionFields): Promise<HookJob> {
  const id = fields['job'] ?? '';
  const job = id ? (await ctx.payments.listHookJobs({ state: 'dead' })).find((j) => j.id === id) : undefined;
  if (!job)
    throw new PaymentsError(
      'not_found',
      'There is no dead hook job with this id (it may have been replayed already).',
    );
  return job;
}

const replay: ActionSpec = {
  title: 'Replay a dead hook',
  verb: 'Replay the hook',
  target: async (ctx, fields) => ({ job: await deadJob(ctx, fields) }),
  describe: (ctx, { job }) =>
    html`<p>The shop's <code>${job!.hook}</code> hook for payment <a class="mono" href="${paymentLink(ctx, job!.paymentId)}">${job!.paymentId}</a> (${job!.from} → ${job!.to}) failed ${job!.attempts} times; the last error was:</p>
<pre>${job!.lastError ?? '—'}</pre>
<p>It is put back in line with its attempts reset and runs again with the same idempotency key, <code>${job!.id}</code>, so a hook that did its work before failing can tell.</p>`,
  back: (ctx) => `${ctx.base}/hooks`,
  async perform(ctx, { job }) {
    if (!(await ctx.payments.replayHook(job!.id))) {
      throw new PaymentsError('conflict', 'The hook job is no longer dead: someone replayed it already.');
    }
    await ctx.payments.recordOperatorAction({
      who: ctx.operator.id,
      what: 'hook.replay',
      paymentId: job!.paymentId,
      note: `${job!.hook} (${job!.id})`,
    });
    return { path: '/hooks', done: 'replayed' };
  },
};

const reconcile: ActionSpec = {
  title: 'Reconcile now',
  verb: 'Reconcile now',
  target: async () => ({}),
  describe: () =>
    html`<p>paymount asks the providers about every live payment now, whatever its schedule, in batches until none is left, and searches for payments whose first callback never came. On a large shop this takes a while.</p>`,
  back: (ctx) => `${ctx.base}/`,
  async perform(ctx) {
    const report = await ctx.payments.reconcile({ all: true });
    await ctx.payments.recordOperatorAction({
      who: ctx.operator.id,
      what: 'reconcile',
      note: `checked ${report.checked}, changed ${report.changed}, errors ${report.errors}`,
    });
    return { path: '/', done: 'reconciled' };
  },
};

function resolutionOf(fields: ActionFields): 'paid' | 'refunded' {
  const as = fields['as'];
  if (as !== 'paid' && as !== 'refunded')
    throw new PaymentsError('invalid_request', '"as" must be paid or refunded.');
  return as;
}

const resolve: ActionSpec = {
  title: 'Resolve an anomaly',
  verb: 'Resolve',
  async target(ctx, fields) {
    const as = resolutionOf(fields);
    const payment = await paymentOf(ctx, fields);
    if (payment.status !== 'anomaly')
      throw new PaymentsError('invalid_request', 'This payment is not an anomaly.');
    return { payment, as };
  },
  describe: (_ctx, { payment, as }) => {
    const what =
      as === 'paid'
        ? html`<p>The money that arrived (<span class="mono">${payment!.paidAmount ?? '?'}</span> ${payment!.paidCurrency ?? ''} of <span class="mono">${payment!.amount}</span> ${payment!.currency}, anomaly <strong>${payment!.anomaly ?? ''}</strong>) is accepted as the payment of order <code>${payment!.orderId}</code>: the payment becomes <strong>paid</strong> and the shop's <code>onPaid</code> hook runs.</p>`
        : html`<p>You refunded payment <code>${payment!.id}</code> by hand (in the provider's dashboard): it is recorded as <strong>refunded</strong>. No money moves through paymount.</p>`;
    return html`${what}<input type="hidden" name="as" value="${as ?? ''}">
<label for="note">Note for the journal (required)</label>
<textarea id="note" name="note" required aria-describedby="note-help"></textarea>
<p id="note-help" class="muted">Why, and what you checked: the next person reads it in the timeline.</p>`;
  },
  back: (ctx, { payment }) => paymentLink(ctx, payment!.id),
  async perform(ctx, { payment, as }, fields) {
    // Core checks the note (required, bounded) and refuses what is not an anomaly.
    const note = fields['note'] ?? '';
    // Core writes the operator.action entry (who, what, the note) in the same store step as the change.
    await ctx.payments.resolveAnomaly(payment!.id, {
      as: as!,
      note,
      operator: operatorOf(ctx),
      source: 'console',
    });
    return paymentDone(payment!, as === 'paid' ? 'resolved-paid' : 'resolved-refunded');
  },
};

/** Every action, by its route name. */
export const ACTION_SPECS: Readonly<Record<ActionName, ActionSpec>> = {
  refresh,
  replay,
  reconcile,
  resolve,
  refund,
  record: recordRefund,
};
