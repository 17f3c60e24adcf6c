import { decodeCallbackBody, stringFields } from '../contracts/callback-body.js';
import { type HeaderMap, headerValue, type PaymentsRequest } from '../contracts/http.js';
import { PaymentsError } from '../domain/errors.js';

/** The client asked for JSON (`?format=json`, or an Accept that prefers it to HTML). */
export function wantsJson(headers: HeaderMap, query: URLSearchParams): boolean {
  if (query.get('format') === 'json') return true;
  const accept = headerValue(headers, 'accept') ?? '';
  const jsonAt = accept.indexOf('application/json');
  if (jsonAt === -1) return false;
  const htmlAt = accept.indexOf('text/html');
  return htmlAt === -1 || jsonAt < htmlAt;
}

/** A browser navigating: it accepts HTML and did not ask for JSON (a fetch() or an API client). */
export function wantsHtml(headers: HeaderMap, query: URLSearchParams): boolean {
  return (headerValue(headers, 'accept') ?? '').includes('text/html') && !wantsJson(headers, query);
}

/** The query as parsed pairs and as the raw text (signatures cover the exact text). */
export function searchParamsOf(query: PaymentsRequest['query']): { params: URLSearchParams; raw: string } {
  if (query === undefined) return { params: new URLSearchParams(), raw: '' };
  if (typeof query === 'string') {
    const raw = query.startsWith('?') ? query.slice(1) : query;
    return { params: new URLSearchParams(raw), raw };
  }
  if (query instanceof URLSearchParams) return { params: query, raw: query.toString() };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string') params.append(key, value);
    else if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
  }
  return { params, raw: params.toString() };
}

/**
 * The `provider` field of a checkout POST (`<button name="provider" value="aaio">`), from
 * a url-encoded, multipart or JSON body, or from what a body parser in front produced.
 */
export async function providerFromForm(request: PaymentsRequest): Promise<string | undefined> {
  if (request.body === undefined) return undefined;
  try {
    const provider = stringFields(await decodeCallbackBody(request.body, request.headers))['provider'];
    return provider === undefined || provider === '' ? undefined : provider;
  } catch {
    throw new PaymentsError('invalid_request', 'The checkout form could not be read.');
  }
}
