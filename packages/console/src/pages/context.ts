import type { ConsolePayments, Operator } from '../options.js';

/** What every page and action is rendered with: one request's resolved view of the console. */
export interface PageContext {
  /** The console's mount path (`/admin/payments`, or `''` at the root), for links. */
  readonly base: string;
  readonly title: string;
  readonly operator: Operator;
  /** The operator's CSRF token, for the forms of this page. */
  readonly csrf: string;
  /** Actions are shown: the console is not read-only and the operator may act. */
  readonly canAct: boolean;
  readonly payments: ConsolePayments;
  readonly query: URLSearchParams;
  readonly pageSize: number;
  /** How old a live payment is when the overview calls it overdue (ms). */
  readonly overdueAfterMs: number;
  /** Providers whose refunds are made outside paymount and only recorded here. */
  readonly refundsByHand: readonly string[];
  readonly now: Date;
}

/** A console URL: the mount path, a console path and its query (empty values left out). */
export function link(
  ctx: Pick<PageContext, 'base'>,
  path: ConsolePath,
  params: Readonly<Record<string, string | undefined>> = {},
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const text = query.toString();
  return `${ctx.base}${path}${text ? `?${text}` : ''}`;
}

/** The paths the console links to. */
export type ConsolePath = '/' | '/payments' | '/hooks' | `/payments/${string}` | `/actions/${string}`;

/** The link to one payment's page. */
export function paymentLink(ctx: Pick<PageContext, 'base'>, paymentId: string): string {
  return link(ctx, `/payments/${encodeURIComponent(paymentId)}`);
}
