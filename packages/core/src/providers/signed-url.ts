import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * paymount's own signature on the callback URLs it publishes. A provider that
 * signs nothing still cannot be forged: only a URL we issued carries a valid
 * `sig` for its payment id and event.
 */
export class CallbackUrlSigner {
  readonly #key: Buffer;

  constructor(secret: string) {
    // A derived key keeps the shop's secret out of every other use.
    this.#key = createHmac('sha256', secret).update('paymount/callback-url/v1').digest();
  }

  sign(provider: string, paymentId: string, event: string): string {
    return createHmac('sha256', this.#key).update(`${provider}\n${paymentId}\n${event}`).digest('base64url');
  }

  /** Constant-time check of a `sig` received in a callback URL. */
  verify(provider: string, paymentId: string, event: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(provider, paymentId, event));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** Constant-time comparison of two strings (keys, tokens, hex signatures). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    // Still spend the comparison so the length alone leaks as little as possible.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
