import type { ReconcileReport } from '../contracts/actions.js';
import type { Refund } from '../contracts/refunds.js';
import type { EngineContext } from './context.js';
import { callProvider } from './provider-calls.js';
import { failRefund, keepPending, settleRefund } from './refund-records.js';

/**
 * One unfinished refund, asked about: a recorded one (made outside paymount, stopped
 * before it settled) settles; a provider's one takes the provider's answer. Resolves to
 * true when it became final. Unchanged, it is touched, so the next round asks the
 * refunds that waited longest first.
 */
async function checkRefund(engine: EngineContext, refund: Refund): Promise<boolean> {
  if (refund.source === 'recorded') {
    await settleRefund(engine, refund);
    return true;
  }
  const payment = await engine.store.get(refund.paymentId);
  const entry = engine.providers.get(refund.provider);
  const ask = entry?.provider.refundStatus?.bind(entry.provider);
  if (!payment || !entry || !ask) {
    await keepPending(engine, refund, {});
    return false;
  }
  const answer = await callProvider(entry, 'refundStatus', () => ask({ payment, refund }, entry.ctx));
  const fields = { providerRef: answer?.providerRef ?? null, providerStatus: answer?.providerStatus ?? null };
  if (answer?.status === 'succeeded') {
    await settleRefund(engine, refund, fields);
    return true;
  }
  if (answer?.status === 'failed') {
    const error = `refused: ${engine.redact(answer.error ?? 'no reason given').slice(0, 500)}`;
    await failRefund(engine, refund, { ...fields, error });
    return true;
  }
  await keepPending(engine, refund, fields);
  return false;
}

/**
 * The refund sweep, run by every reconcile round: at most `refunds.batchSize` refunds
 * still `requested` or `pending`, unchanged for `refunds.checkIntervalMs` (every such
 * refund with `all`), each asked about once. A refund the provider cannot say anything
 * about is logged and asked again in a later round.
 */
export async function sweepRefunds(
  engine: EngineContext,
  all = false,
): Promise<{ changed: number; errors: number }> {
  const { checkIntervalMs, batchSize } = engine.options.refunds;
  const now = engine.now().getTime();
  const before = new Date(all ? now + 1 : now - checkIntervalMs).toISOString();
  const due = await engine.store.unsettledRefunds(before, batchSize);
  let changed = 0;
  let errors = 0;
  for (const refund of due) {
    try {
      if (await checkRefund(engine, refund)) changed++;
    } catch (error) {
      errors++;
      engine.logger.warn(
        { paymentId: refund.paymentId, refundId: refund.id, err: error },
        'paymount: the refund sweep could not learn where a refund stands; a later round asks again',
      );
    }
  }
  return { changed, errors };
}

/** A reconcile round's report after the round's refund sweep. */
export async function withRefundSweep(
  engine: EngineContext,
  report: ReconcileReport,
  all = false,
): Promise<ReconcileReport> {
  const swept = await sweepRefunds(engine, all);
  return { ...report, changed: report.changed + swept.changed, errors: report.errors + swept.errors };
}
