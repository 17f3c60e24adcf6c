import { PaymentsError } from '../domain/errors.js';
import { type CallbackBody, type HeaderMap, headerValue } from './http.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new PaymentsError('callback_invalid', 'The request body is not valid UTF-8.');
  }
}

/** Marks a form component `decodeURIComponent` refuses (a stray `%`, broken UTF-8). */
const UNDECODABLE = Symbol('undecodable');

/** One name or value of a form, decoded as URLSearchParams does when it decodes cleanly. */
function formComponent(text: string, from: number, to: number): string | typeof UNDECODABLE {
  let part = text.slice(from, to);
  if (part.includes('+')) part = part.replaceAll('+', ' ');
  if (!part.includes('%')) return part;
  try {
    return decodeURIComponent(part);
  } catch {
    return UNDECODABLE;
  }
}

/**
 * Sets `name` as an own, enumerable field of `fields`. A field named `__proto__` is defined
 * rather than assigned: assigning it would set the record's prototype and lose the field.
 */
export function setField(fields: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') {
    Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
  } else fields[name] = value;
}

/**
 * Adds a posted field unless the form already had one of that name: duplicates must not
 * let a later value override a signed one. Only own fields count, so a field named
 * `constructor` or `toString` is a field like any other.
 */
function addFirst(fields: Record<string, string>, name: string, value: string): void {
  if (!Object.hasOwn(fields, name)) setField(fields, name, value);
}

function formFieldsBySearchParams(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    addFirst(fields, key, value);
  }
  return fields;
}

/**
 * The fields of a url-encoded form, exactly as URLSearchParams reads them, each name's
 * first value kept ({@link addFirst}). Split by hand, since a notification's fields
 * rarely need decoding; a component with a `%` that `decodeURIComponent` refuses (where
 * URLSearchParams keeps the bytes or puts U+FFFD) sends the whole form through
 * URLSearchParams.
 */
function formFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      let eq = text.indexOf('=', start);
      if (eq === -1 || eq > end) eq = end;
      const key = formComponent(text, start, eq);
      const value = eq === end ? '' : formComponent(text, eq + 1, end);
      if (key === UNDECODABLE || value === UNDECODABLE) return formFieldsBySearchParams(text);
      addFirst(fields, key, value);
    }
    start = end + 1;
  }
  return fields;
}

async function multipartFields(bytes: Uint8Array, contentType: string): Promise<Record<string, string>> {
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new PaymentsError('callback_invalid', 'The multipart body could not be parsed.');
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of form) {
    if (typeof value === 'string') addFirst(fields, key, value);
  }
  return fields;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PaymentsError('callback_invalid', 'The request body is not valid JSON.');
  }
}

/**
 * True for a value a body parser in front of paymount left that paymount can read as
 * fields: a plain object (from a JSON or form parser). An array, a number, `null` or a
 * boolean (what `express.json()` makes of some bodies) is not.
 */
export function isParsedFields(value: unknown): value is Readonly<Record<string, unknown>> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/**
 * Decodes a callback body by its content type: JSON, url-encoded form or
 * multipart. An unknown or missing type is sniffed (JSON object, else form),
 * since providers do not always say what they send. A parsed value that is not a
 * plain object is `callback_invalid`.
 */
export async function decodeCallbackBody(
  body: Uint8Array | string | Readonly<Record<string, unknown>> | undefined,
  headers: HeaderMap,
): Promise<CallbackBody> {
  if (body === undefined) return { kind: 'empty', value: {}, raw: null };
  if (isParsedFields(body)) return { kind: 'parsed', value: body, raw: null };
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw new PaymentsError(
      'callback_invalid',
      'The request body was parsed into something that is not fields.',
    );
  }
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  if (bytes.byteLength === 0) return { kind: 'empty', value: {}, raw: '' };
  const rawContentType = headerValue(headers, 'content-type') ?? '';
  const contentType = rawContentType.toLowerCase();
  if (contentType.startsWith('multipart/form-data')) {
    // The boundary is case-sensitive: hand the header over as it came.
    return { kind: 'multipart', value: await multipartFields(bytes, rawContentType), raw: null };
  }
  const text = decodeText(bytes);
  if (contentType.includes('json')) return { kind: 'json', value: parseJson(text), raw: text };
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    return { kind: 'form', value: formFields(text), raw: text };
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('['))
    return { kind: 'json', value: parseJson(text), raw: text };
  return { kind: 'form', value: formFields(text), raw: text };
}

/**
 * The body's fields as strings, for providers that post flat forms. Non-string values are
 * dropped. A form paymount decoded itself is all strings already and comes back as it is.
 */
export function stringFields(body: CallbackBody): Readonly<Record<string, string>> {
  if (body.kind === 'form' || body.kind === 'multipart')
    return body.value as Readonly<Record<string, string>>;
  const fields: Record<string, string> = {};
  if (typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) return fields;
  for (const [key, value] of Object.entries(body.value)) {
    if (typeof value === 'string') fields[key] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) fields[key] = String(value);
    else if (Array.isArray(value) && typeof value[0] === 'string') fields[key] = value[0];
  }
  return fields;
}
