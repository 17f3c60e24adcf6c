import type { ReconcileReport } from '@paymount/core';
import { type Command, printJson, recordAction } from './command.js';

const line = (r: ReconcileReport): string => `checked ${r.checked}, changed ${r.changed}, errors ${r.errors}`;

export const reconcile: Command = {
  name: 'reconcile',
  summary: 'check due payments with their providers (--all: every live payment, now)',
  usage: '[--all] [--operator NAME] [--json]',
  options: { all: { type: 'boolean' } },
  async run(context) {
    const all = context.values['all'] === true;
    const { output } = context;
    // A progress line only where a person watches it; a pipe or a log gets the result alone.
    const showProgress = all && output.isTTY && !context.json;
    const report = await context.payments.reconcile({
      all,
      ...(showProgress
        ? { onBatch: (soFar: ReconcileReport) => output.progress(`reconciling: ${line(soFar)}`) }
        : {}),
    });
    if (showProgress) output.progress('');
    await recordAction(context, all ? 'reconcile.all' : 'reconcile', { note: line(report) });
    if (context.json) printJson(context, report);
    else output.out(line(report));
  },
};
