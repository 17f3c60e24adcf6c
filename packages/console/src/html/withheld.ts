/**
 * What the console keeps off its pages of a payment's own fields. The journal is scrubbed
 * by core before it is written; a payment's `metadata` and `description` come straight
 * from the shop's `loadOrder`, and a buyer's e-mail address must never show on a page.
 */

/** Metadata names whose values are withheld: contact details and anything named like a credential. */
const WITHHELD_NAME = /mail|phone|tel|token|secret|key|sign|hash|pass|auth|card/i;
const EMAIL = /[^\s@<>"']+@[^\s@<>"']+\.[^\s@<>"']+/g;

/** Shown in place of a withheld value. */
export const WITHHELD = '[withheld]';

/** Text with every e-mail address replaced. */
export function withoutEmails(text: string): string {
  return text.replace(EMAIL, WITHHELD);
}

/** A metadata value as the console may show it. */
export function shownMetadata(name: string, value: string): string {
  return WITHHELD_NAME.test(name) ? WITHHELD : withoutEmails(value);
}
