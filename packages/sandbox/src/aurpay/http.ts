import type { ServerResponse } from 'node:http';

/** Writes an answer that no cache keeps (API answers and cashier pages alike). */
export function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...extra });
  res.end(body);
}
