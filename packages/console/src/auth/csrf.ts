import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Operator } from '../options.js';

/**
 * CSRF tokens bound to the operator: the HMAC of their id under the console's secret.
 * A form rendered for one operator is refused for another, and a page of another site
 * cannot know any operator's token. Stateless, so nothing is stored per session.
 */
export class CsrfTokens {
  readonly #key: Buffer;

  /** `secret` undefined: a random key for this process. */
  constructor(secret: string | undefined) {
    this.#key = secret === undefined ? randomBytes(32) : Buffer.from(secret, 'utf8');
  }

  /** The token to put in the operator's forms. */
  tokenFor(operator: Operator): string {
    return createHmac('sha256', this.#key).update(`paymount-console:${operator.id}`).digest('base64url');
  }

  /** True when `sent` is this operator's token; constant time. */
  verify(operator: Operator, sent: unknown): boolean {
    if (typeof sent !== 'string' || sent === '') return false;
    const expected = Buffer.from(this.tokenFor(operator));
    const given = Buffer.from(sent);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
