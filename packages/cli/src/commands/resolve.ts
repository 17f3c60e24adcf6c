import { usageError } from '../exit-codes.js';
import { type Command, printJson } from './command.js';
import { statusText } from './list.js';
import { paymentNamed } from './show.js';

export const resolve: Command = {
  name: 'resolve',
  summary: 'resolve an anomaly: accept its money as paid, or record that you refunded it by hand',
  usage: '<paymentId> --as paid|refunded --note "why" [--operator NAME] [--json]',
  args: ['paymentId'],
  options: { as: { type: 'string' }, note: { type: 'string' } },
  async run(context) {
    const as = context.values['as'];
    if (as !== 'paid' && as !== 'refunded') throw usageError('--as must be paid or refunded.');
    const note = context.values['note'];
    if (typeof note !== 'string' || note.trim() === '') {
      throw usageError('--note is required: say why, for the next person who reads the journal.');
    }
    const before = await paymentNamed(context, context.args['paymentId']!);
    const after = await context.payments.resolveAnomaly(before.id, {
      as,
      note,
      operator: { id: context.operator },
      source: 'cli',
    });
    if (context.json) printJson(context, { payment: after });
    else context.output.out(`${after.id}: ${statusText(before)} → ${statusText(after)}`);
  },
};
