import type { PaymentsRequest, PaymentsResponse } from '@paymount/core/node';
import type { CsrfTokens } from '../auth/csrf.js';
import { layout } from '../html/layout.js';
import { htmlResponse, redirectResponse } from '../html/response.js';
import { html } from '../html/template.js';
import { link, type PageContext } from '../pages/context.js';
import { problemPage } from '../pages/errors.js';
import type { ActionName } from '../routes.js';
import { ACTION_SPECS, type ActionFields } from './catalog.js';
import { FormError, readForm } from './form.js';

/** Why an action is refused before anything is looked up: the console or the operator may not act. */
function refusedToAct(ctx: PageContext): PaymentsResponse | null {
  if (ctx.canAct) return null;
  return problemPage(ctx, 403, 'read_only', 'This console is read-only for you: actions are turned off.');
}

/** The confirm step (GET): what the action will do, and the form that does it (POST). */
export async function confirmAction(ctx: PageContext, action: ActionName): Promise<PaymentsResponse> {
  const refused = refusedToAct(ctx);
  if (refused) return refused;
  const spec = ACTION_SPECS[action];
  const fields: ActionFields = Object.fromEntries(ctx.query);
  const target = await spec.target(ctx, fields);
  const hidden = (['payment', 'job'] as const)
    .filter((name) => fields[name])
    .map((name) => html`<input type="hidden" name="${name}" value="${fields[name]}">`);
  const body = html`<h1>${spec.title}</h1>
<form class="stack card" method="post" action="${link(ctx, `/actions/${action}`)}" id="confirm-form">
<input type="hidden" name="csrf" value="${ctx.csrf}">${hidden}
${spec.describe(ctx, target)}
<div class="actions"><button type="submit">${spec.verb}</button>
<a class="button secondary" href="${spec.back(ctx, target)}">Cancel</a></div>
</form>`;
  return htmlResponse(200, layout(ctx, null, spec.title, body));
}

/**
 * Does a confirmed action (POST): only for an operator who may act, only with their CSRF
 * token, then an `operator.action` journal entry (the action's own, or core's), then a
 * redirect to the page that shows the result.
 */
export async function performAction(
  ctx: PageContext,
  action: ActionName,
  request: PaymentsRequest,
  csrf: CsrfTokens,
): Promise<PaymentsResponse> {
  const refused = refusedToAct(ctx);
  if (refused) return refused;
  let fields: ActionFields;
  try {
    fields = readForm(request);
  } catch (error) {
    if (!(error instanceof FormError)) throw error;
    return problemPage(ctx, error.status, error.code, error.message);
  }
  if (!csrf.verify(ctx.operator, fields['csrf'])) {
    return problemPage(
      ctx,
      403,
      'csrf_invalid',
      'This form did not come from a console page of yours (its CSRF token is missing or wrong). Open the page again and retry.',
    );
  }
  const spec = ACTION_SPECS[action];
  const target = await spec.target(ctx, fields);
  const done = await spec.perform(ctx, target, fields);
  return redirectResponse(link(ctx, done.path, { done: done.done }));
}
