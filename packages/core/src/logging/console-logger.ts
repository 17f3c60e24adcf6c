import { adviceFor } from './advice.js';
import type { Logger } from './logger.js';

/** Where the default logger writes: `console`, or anything with its `warn` and `error`. */
export interface ConsoleLike {
  warn(message: string): void;
  error(message: string): void;
}

/** Longest text of one logged field: a log line is read by a person, not parsed. */
const MAX_FIELD_CHARS = 200;

function fieldText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return undefined;
  const short = text.length > MAX_FIELD_CHARS ? `${text.slice(0, MAX_FIELD_CHARS)}…` : text;
  // Quoted, not escaped: a person reads this line, and a message's own quotes stay readable.
  return typeof value === 'string' && /[\s=]/.test(short) ? `"${short.replace(/[\r\n]+/g, ' ')}"` : short;
}

/** For a line that names no code and carries no hint of its own: where to look next. */
const GENERIC_ADVICE =
  'read the error above; a stack in the shop’s own code points at the fix, a stack inside paymount is worth a bug report';

interface LoggedError {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly stack?: unknown;
  readonly cause?: unknown;
}

/**
 * The error part of a line: its message (and its cause's), and the stack of an error that
 * is not paymount's own — a `loadOrder` or a hook that threw — since that is where the fix is.
 */
function errorText(err: unknown): { summary: string; stack: string | undefined } {
  if (typeof err !== 'object' || err === null) return { summary: String(err), stack: undefined };
  const chain: LoggedError[] = [err as LoggedError];
  const cause = (err as LoggedError).cause;
  if (typeof cause === 'object' && cause !== null) chain.push(cause as LoggedError);
  const summary = chain
    .map((e) => {
      const code = typeof e.code === 'string' ? ` (${e.code})` : '';
      return `${String(e.name ?? 'Error')}${code}: ${String(e.message ?? '')}`;
    })
    .join(' ← ')
    // One line per event: a newline in a message (a provider's answer) cannot fake another.
    .replace(/[\r\n]+/g, ' ');
  const foreign = chain.find((e) => e.name !== 'PaymentsError' && typeof e.stack === 'string');
  return { summary, stack: foreign?.stack as string | undefined };
}

/** One readable line: level, message, the fields, the error, and what to do. */
export function formatLogLine(level: 'warn' | 'error', obj: object, msg: string | undefined): string {
  const fields = obj as Record<string, unknown>;
  const parts = [`paymount ${level}: ${(msg ?? '').replace(/^paymount(\/\w+)?: /, '')}`];
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'err' || key === 'hint') continue;
    const text = fieldText(value);
    if (text !== undefined) pairs.push(`${key}=${text}`);
  }
  if (pairs.length > 0) parts.push(`(${pairs.join(' ')})`);
  const error = fields['err'] === undefined ? undefined : errorText(fields['err']);
  if (error) parts.push(`— ${error.summary}`);
  parts.push(`→ what to do: ${adviceFor(fields) ?? GENERIC_ADVICE}`);
  const line = parts.join(' ');
  return level === 'error' && error?.stack ? `${line}\n${error.stack}` : line;
}

/**
 * The logger paymount uses when the shop passes none: warnings and errors go to the
 * console, one readable line each that ends with what to do; debug and info lines are
 * dropped. Pass `logger: yourLogger` (pino-compatible) to get everything, or
 * `logger: false` to silence paymount.
 */
export function consoleLogger(sink: ConsoleLike = console): Logger {
  const drop = (): void => {};
  return {
    debug: drop,
    info: drop,
    warn: (obj, msg) => sink.warn(formatLogLine('warn', obj, msg)),
    error: (obj, msg) => sink.error(formatLogLine('error', obj, msg)),
  };
}
