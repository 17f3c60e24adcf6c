import { CliError, EXIT } from '../exit-codes.js';
import { cell } from '../format.js';
import { type Command, printJson, recordAction } from './command.js';

/** The payment a hook job id names: `{paymentId}:{status}:{hook}`. */
const paymentOfJob = (jobId: string): string => jobId.split(':').slice(0, -2).join(':');

export const replay: Command = {
  name: 'replay',
  summary: 'put a dead hook job back in line, with its attempts reset',
  usage: '<hookJobId> [--operator NAME] [--json]',
  args: ['hookJobId'],
  async run(context) {
    const jobId = context.args['hookJobId']!;
    const paymentId = paymentOfJob(jobId);
    const job = paymentId
      ? (await context.payments.listHookJobs({ paymentId })).find((j) => j.id === jobId)
      : undefined;
    if (!job) throw new CliError(EXIT.notFound, `There is no hook job ${cell(jobId)}.`);
    if (!(await context.payments.replayHook(jobId))) {
      throw new CliError(
        EXIT.refused,
        `Hook job ${cell(jobId)} is ${job.state}, not dead: there is nothing to replay.`,
      );
    }
    await recordAction(context, 'hook.replay', { paymentId: job.paymentId, note: jobId });
    if (context.json) printJson(context, { replayed: jobId });
    else context.output.out(`${jobId}: back in line; it runs again with the same idempotency key`);
  },
};
