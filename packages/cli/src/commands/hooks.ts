import type { HookJob } from '@paymount/core';
import { cell, table, time } from '../format.js';
import { type Command, printJson } from './command.js';

export const hooks: Command = {
  name: 'hooks',
  summary: 'hook jobs still owed (pending and dead); --dead: dead letters only; --all: done ones too',
  usage: '[--dead | --all] [--json]',
  options: { dead: { type: 'boolean' }, all: { type: 'boolean' } },
  async run(context) {
    const dead = context.values['dead'] === true;
    const { payments } = context;
    // Done jobs pile up for good: they are read only when asked for.
    const jobs: HookJob[] = dead
      ? await payments.listHookJobs({ state: 'dead' })
      : context.values['all'] === true
        ? await payments.listHookJobs()
        : [
            ...(await payments.listHookJobs({ state: 'pending' })),
            ...(await payments.listHookJobs({ state: 'dead' })),
          ];
    if (context.json) {
      printJson(context, { hookJobs: jobs });
      return;
    }
    if (jobs.length === 0) {
      context.output.err(dead ? 'No dead hook jobs.' : 'No hook jobs owed.');
      return;
    }
    const rows = jobs.map((j) => [
      j.id,
      j.hook,
      j.state,
      String(j.attempts),
      j.state === 'pending' ? time(j.nextAttemptAt) : '-',
      cell(j.lastError, 60),
    ]);
    for (const l of table(['JOB', 'HOOK', 'STATE', 'ATTEMPTS', 'NEXT ATTEMPT', 'LAST ERROR'], rows))
      context.output.out(l);
  },
};
