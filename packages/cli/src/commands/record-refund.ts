import { usageError } from '../exit-codes.js';
import { type Command, printJson, recordAction } from './command.js';
import { refundLine } from './refunds-view.js';
import { paymentNamed } from './show.js';

export const recordRefund: Command = {
  name: 'record-refund',
  summary: 'record a refund made outside paymount (the provider dashboard, a bank transfer)',
  usage: '<paymentId> --amount A [--reference R] [--note N] [--operator NAME] [--json]',
  args: ['paymentId'],
  options: { amount: { type: 'string' }, reference: { type: 'string' }, note: { type: 'string' } },
  async run(context) {
    const amount = context.values['amount'];
    if (typeof amount !== 'string' || amount.trim() === '') {
      throw usageError('--amount is required: how much went back to the buyer, e.g. --amount 5.00.');
    }
    const reference = context.values['reference'];
    const note = context.values['note'];
    const payment = await paymentNamed(context, context.args['paymentId']!);
    // A reference recorded before gives back its refund: that repeat is not journalled again.
    const earlier = new Set((await context.payments.refunds(payment.id)).map((r) => r.id));
    const recorded = await context.payments.recordRefund(payment.id, {
      amount,
      ...(typeof reference === 'string' ? { reference } : {}),
      ...(typeof note === 'string' ? { note } : {}),
    });
    if (!earlier.has(recorded.id)) {
      await recordAction(context, 'payment.refund.record', {
        paymentId: payment.id,
        note: `${recorded.id}: ${recorded.amount} ${recorded.currency}${typeof note === 'string' ? ` — ${note}` : ''}`,
      });
    }
    const totals = await context.payments.refundTotals(payment.id);
    if (context.json) {
      printJson(context, { refund: recorded, totals });
      return;
    }
    context.output.out(refundLine(recorded));
    context.output.out(`refundable now: ${totals.refundable} ${totals.currency}`);
  },
};
