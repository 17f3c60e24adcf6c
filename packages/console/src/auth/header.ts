import type { HeaderMap } from '@paymount/core/node';

export type { HeaderMap };

/** First value of a header, whatever shape the framework gave it. */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value[0];
}
