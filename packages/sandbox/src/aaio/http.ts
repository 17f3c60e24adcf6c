import type { ServerResponse } from 'node:http';

/** Writes a JSON answer, as AAIO's API does for successes and errors alike. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Writes an HTML page (the pay form and its messages). */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}

/** Form or query fields as a record; of a repeated name, the first value counts. */
export function firstFields(params: URLSearchParams): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of params) if (!(key in fields)) fields[key] = value;
  return fields;
}
