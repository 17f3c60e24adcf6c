import { type Command, printJson, recordAction } from './command.js';

export const pruneJournal: Command = {
  name: 'prune-journal',
  summary: 'delete journal entries older than journal.retainDays',
  usage: '[--operator NAME] [--json]',
  async run(context) {
    const removed = await context.payments.pruneJournal();
    await recordAction(context, 'journal.prune', { note: `removed ${removed} entries` });
    if (context.json) printJson(context, { removed });
    else context.output.out(`removed ${removed} journal entries`);
  },
};
