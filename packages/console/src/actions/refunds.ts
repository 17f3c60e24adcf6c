import { randomUUID } from 'node:crypto';
import { isPaymentsError, type Payment, PaymentsError, type Refund, type RefundTotals } from '@paymount/core';
import { money } from '../html/components.js';
import { html, type SafeHtml } from '../html/template.js';
import { type PageContext, paymentLink } from '../pages/context.js';
import { type ActionFields, type ActionSpec, paymentDone, paymentOf, type Target } from './spec.js';

/** A form field as core takes it: absent when the operator left it blank. */
function given(fields: ActionFields, name: string): string | undefined {
  const value = fields[name]?.trim();
  return value ? value : undefined;
}

function totalsText(totals: RefundTotals): SafeHtml {
  return html`<p>Paid ${money(totals.paid, totals.currency)} · refunded ${money(totals.refunded, totals.currency)} · reserved by unfinished refunds ${money(totals.pending, totals.currency)} · <strong>still refundable ${money(totals.refundable, totals.currency)}</strong>.</p>`;
}

async function refundTarget(ctx: PageContext, fields: ActionFields): Promise<Target> {
  const payment = await paymentOf(ctx, fields);
  return { payment, totals: await ctx.payments.refundTotals(payment.id) };
}

/** The ids of a payment's refunds now: a refund not among them afterwards is the one this action made. */
async function refundIds(ctx: PageContext, paymentId: string): Promise<ReadonlySet<string>> {
  return new Set((await ctx.payments.refunds(paymentId)).map((r) => r.id));
}

function journal(ctx: PageContext, what: string, payment: Payment, note: string): Promise<void> {
  return ctx.payments.recordOperatorAction({
    who: ctx.operator.id,
    what,
    paymentId: payment.id,
    note,
    source: 'console',
  });
}

/**
 * Asks core for the refund and journals who asked. A refund core stored before failing
 * (the provider refused it, or could not be reached) is journalled too; a repeat of the
 * same form (its idempotency key) gives back the earlier refund and is not journalled again.
 */
async function refundAsked(ctx: PageContext, payment: Payment, fields: ActionFields): Promise<Refund> {
  const earlier = await refundIds(ctx, payment.id);
  const input = {
    amount: given(fields, 'amount'),
    reason: given(fields, 'reason'),
    address: given(fields, 'address'),
    idempotencyKey: given(fields, 'key'),
  };
  const asked = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  let made: Refund;
  try {
    made = await ctx.payments.refund(payment.id, asked);
  } catch (error) {
    const refundId = isPaymentsError(error) ? error.details?.['refundId'] : undefined;
    if (isPaymentsError(error) && typeof refundId === 'string' && !earlier.has(refundId)) {
      await journal(
        ctx,
        'payment.refund',
        payment,
        `${refundId}: ${String(error.details?.['refundStatus'])} (${error.code})`,
      );
    }
    throw error;
  }
  if (!earlier.has(made.id)) {
    await journal(
      ctx,
      'payment.refund',
      payment,
      `${made.id}: ${made.amount} ${made.currency} ${made.status}`,
    );
  }
  return made;
}

function refusedByHand(ctx: PageContext, payment: Payment): void {
  if (!ctx.refundsByHand.includes(payment.provider)) return;
  throw new PaymentsError(
    'refund_unsupported',
    `${payment.provider} has no refund API: refund the payment where it was paid (the provider's cabinet), then record it here with "Record a refund made elsewhere".`,
    { details: { paymentId: payment.id, provider: payment.provider } },
  );
}

/** Refund through the provider: all that is still refundable, or part of it. */
export const refund: ActionSpec = {
  title: 'Refund',
  verb: 'Refund',
  async target(ctx, fields) {
    const target = await refundTarget(ctx, fields);
    refusedByHand(ctx, target.payment!);
    return target;
  },
  describe: (_ctx, { payment, totals }) =>
    html`<p>paymount asks <strong>${payment!.provider}</strong> to send money of payment <code>${payment!.id}</code> (order <code>${payment!.orderId}</code>) back to the buyer.</p>
${totalsText(totals!)}
<input type="hidden" name="key" value="console-${randomUUID()}">
<label for="amount">Amount in ${payment!.currency} (blank: everything still refundable)</label>
<input id="amount" name="amount" inputmode="decimal" autocomplete="off" placeholder="${totals!.refundable}">
<label for="reason">Reason (optional, kept with the refund)</label>
<input id="reason" name="reason" maxlength="500" autocomplete="off">
<label for="address">Buyer's wallet address (Aurpay sends the refund there)</label>
<input id="address" name="address" maxlength="500" autocomplete="off" aria-describedby="address-help">
<p id="address-help" class="muted">This form carries a key of its own: sending it twice makes one refund.</p>`,
  back: (ctx, { payment }) => paymentLink(ctx, payment!.id),
  async perform(ctx, { payment }, fields) {
    refusedByHand(ctx, payment!);
    const made = await refundAsked(ctx, payment!, fields);
    return paymentDone(payment!, made.status === 'succeeded' ? 'refunded' : 'refund-pending');
  },
};

/** Record a refund made outside paymount: the only refund there is for a provider without a refund API. */
export const recordRefund: ActionSpec = {
  title: 'Record a refund made elsewhere',
  verb: 'Record the refund',
  target: refundTarget,
  describe: (ctx, { payment, totals }) => {
    const byHand = ctx.refundsByHand.includes(payment!.provider)
      ? html`<p><strong>${payment!.provider}</strong> has no refund API: refund the buyer in its cabinet first, then record it here.</p>`
      : '';
    return html`${byHand}<p>You sent money of payment <code>${payment!.id}</code> back outside paymount (a provider's dashboard, a bank transfer): it is recorded as a succeeded refund, the shop's <code>onRefunded</code> hook runs, and no money moves through paymount.</p>
${totalsText(totals!)}
<label for="amount">Amount in ${payment!.currency} (required)</label>
<input id="amount" name="amount" inputmode="decimal" autocomplete="off" required placeholder="${totals!.refundable}">
<label for="reference">Reference where it was made (optional; the same reference is recorded once)</label>
<input id="reference" name="reference" maxlength="500" autocomplete="off">
<label for="note">Note (optional)</label>
<textarea id="note" name="note" maxlength="500"></textarea>`;
  },
  back: (ctx, { payment }) => paymentLink(ctx, payment!.id),
  async perform(ctx, { payment }, fields) {
    const earlier = await refundIds(ctx, payment!.id);
    const reference = given(fields, 'reference');
    const note = given(fields, 'note');
    const recorded = await ctx.payments.recordRefund(payment!.id, {
      amount: given(fields, 'amount') ?? '',
      ...(reference === undefined ? {} : { reference }),
      ...(note === undefined ? {} : { note }),
    });
    if (!earlier.has(recorded.id)) {
      const text = `${recorded.id}: ${recorded.amount} ${recorded.currency}${note ? ` — ${note}` : ''}`;
      await journal(ctx, 'payment.refund.record', payment!, text);
    }
    return paymentDone(payment!, 'refund-recorded');
  },
};
