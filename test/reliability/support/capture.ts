// Everything paymount says during the suite — log lines, HTTP answers, thrown errors —
// kept so the last test can prove that no secret ever left the process.
import type { Logger, Payments } from '@paymount/core';

/** Every secret configured anywhere in the suite. Long and distinctive, so a leak cannot hide. */
export const SECRETS = {
  paymount: 'rel-paymount-secret-7f3a9c0d5e1b4a6f8c2d',
  aurpayApiKey: 'rel-aurpay-api-key-4b8e1f0a93',
  aurpayCallbackSecret: 'rel-aurpay-callback-secret-9d2c7e5a',
  aaioSecret1: 'rel-aaio-secret-one-2c6f8a1e07',
  aaioSecret2: 'rel-aaio-secret-two-5e9b3d7c41',
  aaioApiKey: 'rel-aaio-api-key-8a1d4f6b2e55',
} as const;

const logLines: string[] = [];
const responses: string[] = [];
const errors: string[] = [];
const journal: string[] = [];

function serialize(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof Error) {
      return { name: item.name, message: item.message, stack: item.stack, cause: item.cause };
    }
    return typeof item === 'bigint' ? item.toString() : item;
  });
}

/** A pino-like logger that keeps every line it is given. */
export function captureLogger(): Logger {
  const line = (level: string) => (obj: object, msg?: string) => {
    logLines.push(`${level} ${msg ?? ''} ${serialize(obj)}`);
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/** Records one answer paymount sent: status, headers and body. */
export function captureResponse(status: number, headers: unknown, body: string): void {
  responses.push(`${status} ${serialize(headers)} ${body}`);
}

/** Records an error paymount threw to calling code. */
export function captureError(error: unknown): void {
  errors.push(
    error instanceof Error
      ? `${error.name}: ${error.message} ${serialize(error)} ${serialize((error as { toJSON?: () => unknown }).toJSON?.())}`
      : serialize(error),
  );
}

/** Records log lines a child process printed. */
export function captureLogText(text: string): void {
  logLines.push(text);
}

/** Records every journal entry a shop's payments kept. */
export async function captureJournal(payments: Payments): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await payments.journal({ limit: 500, ...(cursor ? { cursor } : {}) });
    for (const entry of page.entries) journal.push(serialize(entry));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

export interface CaptureTotals {
  readonly logLines: number;
  readonly responses: number;
  readonly errors: number;
  readonly journalEntries: number;
  /** `"where: secret name"` for every leak found. */
  readonly leaks: string[];
}

/** Scans everything captured so far for every secret. */
export function scanForSecrets(): CaptureTotals {
  const leaks: string[] = [];
  const sources = { log: logLines, response: responses, error: errors, journal };
  for (const [where, texts] of Object.entries(sources)) {
    for (const text of texts) {
      for (const [name, secret] of Object.entries(SECRETS)) {
        if (text.includes(secret)) leaks.push(`${where}: ${name}`);
      }
    }
  }
  return {
    logLines: logLines.length,
    responses: responses.length,
    errors: errors.length,
    journalEntries: journal.length,
    leaks,
  };
}
