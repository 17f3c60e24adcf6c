/** Every default and limit of the console, named once. */
export const CONSOLE_DEFAULTS = {
  title: 'Payments',
  pageSize: 50,
  /** Largest form the console reads: an action's fields and a note. */
  maxBodyBytes: 16 * 1024,
  /** Shortest CSRF secret accepted. */
  minSecretLength: 32,
  /** Journal entries read for the "needs attention" list, per kind. */
  attentionEntries: 50,
  /** Dead hook jobs shown on the hooks page and counted on the overview. */
  hookRows: 200,
  /** Refused callbacks count as recent for this long on the overview. */
  recentRefusalsMs: 60 * 60 * 1000,
  /** `overdueAfterMs`: a live payment a day old is past the pay window of Aurpay and AAIO. */
  overdueAfterMs: 24 * 60 * 60 * 1000,
  /** `refundsByHand`: AAIO has no refund API; its refunds are made in its cabinet and recorded. */
  refundsByHand: ['aaio'] as readonly string[],
} as const;
