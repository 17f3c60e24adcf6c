import { type HeaderMap, headerValue } from './header.js';

/** The cookies of a request by name; the first of a repeated name wins, undecodable values are kept as sent. */
export function parseCookies(headers: HeaderMap): Record<string, string> {
  const cookies: Record<string, string> = {};
  const header = headerValue(headers, 'cookie');
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    if (name === '' || Object.hasOwn(cookies, name)) continue;
    let value = part.slice(at + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
}
