import { activeTraceIds } from '../telemetry/active.js';

/** The subset of pino's interface paymount calls. A pino logger fits as it is. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => {};

/** Logs nothing: what `logger: false` gives. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

const REDACTED = '[redacted]';

/** Shortest secret scrubbed: shorter ones would mangle ordinary words. */
export const MIN_REDACTED_SECRET_LENGTH = 6;
/** Nesting depth below which logged objects are scrubbed; deeper values are logged as they are. */
const MAX_SCRUB_DEPTH = 6;

function scrub(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') {
    let text = value;
    for (const secret of secrets) if (text.includes(secret)) text = text.split(secret).join(REDACTED);
    return text;
  }
  if (depth > MAX_SCRUB_DEPTH || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return {
      name: value.name,
      message: scrub(value.message, secrets, depth + 1),
      code: (value as { code?: unknown }).code,
      stack: scrub(value.stack, secrets, depth + 1),
      // The cause is where a wrapped failure says why (loadOrder's own exception).
      ...(value.cause === undefined ? {} : { cause: scrub(value.cause, secrets, depth + 1) }),
    };
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, secrets, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = scrub(item, secrets, depth + 1);
  return copy;
}

/** Replaces every occurrence of the given secrets in a text. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return scrub(text, secrets, 0) as string;
}

/**
 * Wraps a logger so that no configured secret reaches it, whatever object or
 * error carries it. Secrets shorter than 6 characters are not scrubbed: they
 * would mangle ordinary words.
 */
export function redactingLogger(target: Logger, secrets: readonly string[]): Logger {
  const list = [...new Set(secrets.filter((s) => s.length >= MIN_REDACTED_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  const wrap =
    (level: keyof Logger) =>
    (obj: object, msg?: string): void => {
      // Inside a span, the line names it, so a log search finds the trace and back.
      const ids = activeTraceIds();
      const safeObj = scrub(ids ? { ...obj, ...ids } : obj, list, 0) as object;
      const safeMsg = msg === undefined ? undefined : (scrub(msg, list, 0) as string);
      target[level](safeObj, safeMsg);
    };
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}
