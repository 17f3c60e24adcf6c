import { PaymentsError } from '../domain/errors.js';

/**
 * Longest pay URL paymount sends as a `Location` header. Proxies in front of shops
 * commonly cap a response header line near 8 KiB; a longer URL would break there.
 */
const MAX_PAY_URL_LENGTH = 8_192;

/** Control characters (C0, DEL, C1): a URL parser drops tabs and line breaks silently, so their presence is refused, not cleaned. */
const CONTROL = /\p{Cc}/u;
/** What a header value may hold, and all a normalised URL ever needs: visible ASCII. */
const VISIBLE_ASCII = /^[\u0021-\u007e]+$/;

/**
 * A provider's pay URL in the one form paymount stores and sends to buyers:
 * `new URL(…).href`, so an internationalised host becomes punycode and any other
 * character outside ASCII is percent-encoded. Throws `provider_error` for anything
 * that cannot be sent as a `Location` header: not text, not http(s), with
 * credentials, with control characters, or over {@link MAX_PAY_URL_LENGTH}.
 *
 * @param value what the provider answered (or what was stored before this check existed)
 * @param provider the provider's configured name, for the error message
 */
export function normalizePayUrl(value: unknown, provider: string): string {
  const refuse = (why: string): PaymentsError =>
    new PaymentsError('provider_error', `${provider} answered a pay URL that cannot be used: ${why}.`, {
      details: { provider },
    });
  if (typeof value !== 'string') throw refuse('it is not text');
  if (value.length > MAX_PAY_URL_LENGTH) throw refuse('it is too long');
  if (CONTROL.test(value)) throw refuse('it holds control characters');
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw refuse('it is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('it is not http(s)');
  if (url.username !== '' || url.password !== '') throw refuse('it carries credentials');
  const { href } = url;
  if (href.length > MAX_PAY_URL_LENGTH || !VISIBLE_ASCII.test(href)) {
    throw refuse('it cannot be sent as a header');
  }
  return href;
}
