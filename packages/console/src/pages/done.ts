import { notice } from '../html/components.js';
import type { SafeHtml } from '../html/template.js';

/** What an action redirects back with (`?done=`), and the sentence shown for it. Unknown codes show nothing. */
export const DONE_MESSAGES = {
  refreshed: 'Checked with the provider; the payment shows what it answered.',
  replayed: 'The hook job is due again; the next delivery round runs it.',
  reconciled: 'Reconcile ran over every live payment.',
  'resolved-paid': 'The anomaly was accepted as paid.',
  'resolved-refunded': 'The payment is recorded as refunded by hand.',
  refunded: 'The refund succeeded: the money went back to the buyer.',
  'refund-pending': 'The provider took the refund and has not finished it yet; the reconciler checks on it.',
  'refund-recorded': 'The refund made elsewhere is recorded.',
} as const;

export type DoneCode = keyof typeof DONE_MESSAGES;

/** The notice for a `?done=` code of the console's own redirects. */
export function doneNotice(query: URLSearchParams): SafeHtml {
  const code = query.get('done') ?? '';
  return notice(Object.hasOwn(DONE_MESSAGES, code) ? DONE_MESSAGES[code as DoneCode] : null);
}
