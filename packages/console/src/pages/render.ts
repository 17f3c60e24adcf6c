import type { PaymentsResponse } from '@paymount/core/node';
import { htmlResponse } from '../html/response.js';
import type { ConsolePage } from '../routes.js';
import type { PageContext } from './context.js';
import { problemPage } from './errors.js';
import { hooksPage } from './hooks.js';
import { overviewPage } from './overview.js';
import { paymentPage } from './payment.js';
import { paymentsPage } from './payments.js';

/** Renders one of the console's pages for a signed-in operator. */
export async function renderPage(
  ctx: PageContext,
  page: ConsolePage,
  paymentId?: string,
): Promise<PaymentsResponse> {
  switch (page) {
    case 'overview':
      return htmlResponse(200, await overviewPage(ctx));
    case 'payments':
      return htmlResponse(200, await paymentsPage(ctx));
    case 'hooks':
      return htmlResponse(200, await hooksPage(ctx));
    case 'payment': {
      const payment = paymentId ? await ctx.payments.get(paymentId) : null;
      if (!payment) return problemPage(ctx, 404, 'payment_not_found', 'There is no payment with this id.');
      return htmlResponse(200, await paymentPage(ctx, payment));
    }
  }
}
