import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { sameText as same } from '../shared/server.js';

const ALGORITHMS: Readonly<Record<string, string>> = {
  'HMAC-SHA256': 'sha256',
  'HMAC-SHA3_256': 'sha3-256',
};

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export interface SimulatorCredentials {
  readonly apiKey: string;
  readonly signature: { readonly token: string; readonly secret: string } | null;
  readonly maxSkewMs: number;
}

/**
 * Checks a merchant API request the way Aurpay documents it: an `API-Key` header, or
 * signature auth (`API-Token`, `Algorithm`, `Date`, `Body-MD5`, `Signature`). Returns
 * null when it passes, else the reason.
 */
export function checkApiAuth(
  request: { method: string; pathAndQuery: string; headers: IncomingHttpHeaders; body: string },
  credentials: SimulatorCredentials,
  now: Date,
): string | null {
  const token = header(request.headers, 'api-token');
  if (token === undefined) {
    const key = header(request.headers, 'api-key');
    if (!key) return 'missing API-Key';
    return same(key, credentials.apiKey) ? null : 'wrong API-Key';
  }
  const auth = credentials.signature;
  if (!auth) return 'signature auth is not set up for this merchant';
  if (!same(token, auth.token)) return 'wrong API-Token';
  const algorithm = header(request.headers, 'algorithm') ?? '';
  const hash = ALGORITHMS[algorithm];
  if (!hash) return 'unsupported Algorithm';
  const date = header(request.headers, 'date') ?? '';
  const sent = Date.parse(date);
  if (Number.isNaN(sent) || Math.abs(now.getTime() - sent) > credentials.maxSkewMs)
    return 'Date out of range';
  const bodyMd5 = request.body === '' ? '' : createHash('md5').update(request.body, 'utf8').digest('hex');
  if ((header(request.headers, 'body-md5') ?? '') !== bodyMd5) return 'Body-MD5 mismatch';
  let text = `${algorithm} | ${date} | ${request.method} ${request.pathAndQuery}`;
  if (bodyMd5 !== '') text += ` | ${bodyMd5}`;
  const expected = createHmac(hash, auth.secret).update(text).digest('base64');
  return same(header(request.headers, 'signature') ?? '', expected) ? null : 'bad Signature';
}
