import { type Command, printJson, recordAction } from './command.js';
import { statusText } from './list.js';
import { paymentNamed } from './show.js';

export const refresh: Command = {
  name: 'refresh',
  summary: 'ask the provider where a payment stands now, and apply its answer',
  usage: '<paymentId> [--operator NAME] [--json]',
  args: ['paymentId'],
  async run(context) {
    const before = await paymentNamed(context, context.args['paymentId']!);
    const after = await context.payments.refresh(before.id);
    await recordAction(context, 'payment.refresh', { paymentId: before.id });
    if (context.json) {
      printJson(context, { payment: after, changed: after.status !== before.status });
      return;
    }
    context.output.out(
      after.status === before.status
        ? `${after.id}: still ${statusText(after)}`
        : `${after.id}: ${statusText(before)} → ${statusText(after)}`,
    );
  },
};
