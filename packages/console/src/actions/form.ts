import type { PaymentsRequest } from '@paymount/core/node';
import { headerValue } from '../auth/header.js';

/** A form the console cannot read: answered 415 (not a form) or 400. */
export class FormError extends Error {
  constructor(
    readonly status: 400 | 415,
    readonly code: 'invalid_request' | 'unsupported_media_type',
    message: string,
  ) {
    super(message);
  }
}

/**
 * An action's form fields, from the bytes the adapter read or from what a body parser in
 * front already produced. Only `application/x-www-form-urlencoded`: what a `<form>` sends.
 */
export function readForm(request: PaymentsRequest): Readonly<Record<string, string>> {
  const { body } = request;
  if (body !== undefined && typeof body === 'object' && !(body instanceof Uint8Array)) {
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(body)) if (typeof value === 'string') fields[name] = value;
    return fields;
  }
  // No body at all: no fields, so the CSRF check refuses it.
  if (body === undefined) return {};
  const type = (headerValue(request.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new FormError(
      415,
      'unsupported_media_type',
      'Actions take a form (application/x-www-form-urlencoded).',
    );
  }
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text))
    if (!Object.hasOwn(fields, name)) fields[name] = value;
  return fields;
}
