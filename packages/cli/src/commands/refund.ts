import { isPaymentsError, type Refund, type RefundInput } from '@paymount/core';
import { type Command, type CommandContext, printJson, recordAction } from './command.js';
import { refundLine } from './refunds-view.js';
import { paymentNamed } from './show.js';

function optionText(context: CommandContext, name: string): string | undefined {
  const value = context.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** The refund asked, with only the options given (core checks each one). */
function inputOf(context: CommandContext): RefundInput {
  const input: { -readonly [K in keyof RefundInput]: RefundInput[K] } = {};
  const amount = optionText(context, 'amount');
  const reason = optionText(context, 'reason');
  const address = optionText(context, 'address');
  const key = optionText(context, 'key');
  if (amount !== undefined) input.amount = amount;
  if (reason !== undefined) input.reason = reason;
  if (address !== undefined) input.address = address;
  if (key !== undefined) input.idempotencyKey = key;
  return input;
}

/**
 * Asks core for the refund and journals the operator's part. A refund that core stored
 * before it failed (the provider refused it, or could not be reached) is journalled too,
 * so the timeline says who asked for it; a repeat that gave back an earlier refund (the
 * same --key) is not journalled again.
 */
async function refundAsked(context: CommandContext, paymentId: string, input: RefundInput): Promise<Refund> {
  const earlier = new Set((await context.payments.refunds(paymentId)).map((r) => r.id));
  let refund: Refund;
  try {
    refund = await context.payments.refund(paymentId, input);
  } catch (error) {
    const refundId = isPaymentsError(error) ? error.details?.['refundId'] : undefined;
    if (isPaymentsError(error) && typeof refundId === 'string') {
      await recordAction(context, 'payment.refund', {
        paymentId,
        note: `${refundId}: ${error.details?.['refundStatus'] ?? 'unknown'} (${error.code})`,
      });
    }
    throw error;
  }
  if (earlier.has(refund.id)) return refund;
  await recordAction(context, 'payment.refund', {
    paymentId,
    note: `${refund.id}: ${refund.amount} ${refund.currency} ${refund.status}`,
  });
  return refund;
}

export const refund: Command = {
  name: 'refund',
  summary: 'refund a paid payment through its provider: all that is still refundable, or --amount of it',
  usage: '<paymentId> [--amount A] [--reason R] [--address WALLET] [--key K] [--operator NAME] [--json]',
  args: ['paymentId'],
  options: {
    amount: { type: 'string' },
    reason: { type: 'string' },
    address: { type: 'string' },
    key: { type: 'string' },
  },
  async run(context) {
    const payment = await paymentNamed(context, context.args['paymentId']!);
    const made = await refundAsked(context, payment.id, inputOf(context));
    const totals = await context.payments.refundTotals(payment.id);
    if (context.json) {
      printJson(context, { refund: made, totals });
      return;
    }
    context.output.out(refundLine(made));
    context.output.out(`refundable now: ${totals.refundable} ${totals.currency}`);
  },
};
