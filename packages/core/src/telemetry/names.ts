/** The instrumentation scope paymount's tracer and meter are named after. */
export const SCOPE = '@paymount/core';

/** The OpenTelemetry context key under which a provider call names its operation for its HTTP spans. */
export const OPERATION = Symbol.for('paymount.operation');

/** Metric names, as the README lists them. */
export const METRICS = {
  checkouts: 'paymount.checkouts',
  callbacks: 'paymount.callbacks',
  transitions: 'paymount.transitions',
  hookDeliveries: 'paymount.hook.deliveries',
  providerRequestDuration: 'paymount.provider.request.duration',
  hookDuration: 'paymount.hook.duration',
  hookJobsPending: 'paymount.hook.jobs.pending',
  hookJobsDead: 'paymount.hook.jobs.dead',
} as const;

/** Span names: low-cardinality, the variable parts are attributes. */
export const SPANS = {
  request: 'paymount.request',
  providerCall: 'paymount.provider.call',
  providerHttp: 'paymount.provider.http',
  hook: 'paymount.hook',
  reconcile: 'paymount.reconcile',
} as const;

/** What a checkout ended as. */
export type CheckoutOutcomeLabel = 'created' | 'resumed' | 'reused' | 'already_paid' | 'failed';
/** What a provider callback ended as: taken, a repeat, or not taken (the error code says why). */
export type CallbackOutcomeLabel = 'accepted' | 'duplicate' | 'refused';
/** What one hook attempt ended as. */
export type HookOutcomeLabel = 'delivered' | 'failed' | 'dead';
