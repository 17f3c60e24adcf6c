/**
 * What the shop should do about a logged failure, by its error code. The default console
 * logger ends each warning and error with this, so the first thing a new shop sees of a
 * problem already says where to look. A log line can carry its own `hint` instead.
 */
export const ADVICE: Readonly<Record<string, string>> = {
  invalid_request:
    'check the checkout link or form of the shop (several providers are configured: name one with ?provider= or a provider field, or set defaultProvider)',
  invalid_order_id:
    'order ids are 1–64 letters, digits and . _ : - [ ] |, starting with a letter or digit: check the ids the shop links to',
  invalid_amount:
    'give amounts as decimal strings in the currency precision ("10.00"), whole numbers, or integer minor units (amountMinor)',
  unknown_provider:
    'the checkout named a provider that is not configured: compare the names in the shop links and forms with createPayments({ providers })',
  callback_invalid:
    'the callback body could not be read; if a body parser runs before paymount, mount paymount before it',
  callback_unauthorized:
    'a forgery, or the provider credentials (API key, secret #2, callback secret) in createPayments differ from the provider dashboard: compare them',
  callback_replayed:
    "a signed callback's date is outside the allowed window: check this server's clock (NTP)",
  callback_forbidden:
    'the source address is not allowed: behind a proxy, make the framework trust it (Express "trust proxy", Koa app.proxy), or check ipAllowlist',
  not_found:
    'a callback arrived for a provider that is not configured: check the callback URL set at the provider',
  order_not_found: 'loadOrder returned null for this order (unknown, already paid, or not this buyer)',
  payment_not_found:
    'a link named a payment that does not exist (an old link, or a payment store that was reset)',
  method_not_allowed: 'a client used the wrong HTTP method; nothing to do unless it is the shop’s own page',
  conflict: 'the payment kept changing concurrently; the same request can be sent again as it is',
  provider_ref_taken:
    'the provider order named here already pays another payment: a person should look at both payments',
  refund_not_allowed:
    'only a paid payment (or an anomaly, whose money is real) can be refunded, and only until all of it is: see payments.refunds(paymentId)',
  refund_exceeds_payment:
    'the refund asks more than what is still refundable (the message says how much): refund less, or look at payments.refunds(paymentId)',
  refund_unsupported:
    'this provider has no refund API: refund in its dashboard or by other means, then payments.recordRefund(paymentId, { amount, reference })',
  payload_too_large: 'raise maxBodyBytes only if a genuine provider callback is this large',
  unsupported_media_type:
    'the provider sent a body type paymount cannot read: report it with the Content-Type',
  amount_out_of_range:
    "the order's payment method does not take this amount at the provider (its limits are in the message): offer another method or provider for it",
  order_invalid:
    'fix what loadOrder returns for this order: { amount: "10.00" (or a whole or exact JS number), currency: "USD" }, or { amountMinor: 1000, currency }',
  raw_body_unavailable:
    'mount paymount before any body parser or body-reading middleware (app.use("/pay", paymount(payments)) first)',
  config_invalid: 'fix the createPayments options listed in the message',
  store_error:
    'the payment store failed in a way a retry will not fix (closed store, schema of a newer paymount, SQL error): see the error',
  internal_error:
    'something threw while paymount handled the request; when the stack points at the shop’s own code (loadOrder, a hook), fix it there',
  provider_error:
    'the provider refused the call or answered something paymount cannot use: check the provider credentials, baseUrl and the message',
  provider_rate_limited:
    'the provider is rate-limiting paymount; it is tried again later (lower reconcile.batchSize if this repeats)',
  provider_unavailable:
    'the provider API cannot be reached: check its baseUrl and the network (a sandbox simulator that is not running, or restarted on another port?)',
  store_unavailable:
    'the payment database cannot be reached for a moment; paymount answered 503 so the caller retries: check the database',
  provider_timeout:
    'the provider API did not answer in time; nothing changed. If it persists, check its status page',
};

/** The advice for a log line: its own `hint`, else the advice for its code or its error's code. */
export function adviceFor(fields: Readonly<Record<string, unknown>>): string | undefined {
  if (typeof fields['hint'] === 'string') return fields['hint'];
  const err = fields['err'];
  const errCode = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  for (const code of [fields['code'], errCode]) {
    if (typeof code === 'string' && Object.hasOwn(ADVICE, code)) return ADVICE[code];
  }
  return undefined;
}
