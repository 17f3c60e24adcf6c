/**
 * What the CLI prints for people: aligned tables and key–value lists. Every value is
 * cleaned of control characters first, so an order description or a provider's answer
 * cannot move the cursor or recolour the operator's terminal.
 */

// C0 and C1 control characters (ESC among them), and DEL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what is removed.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A value as one printable line: null as `-`, control characters as `?`, long text cut. */
export function cell(value: unknown, maxChars = 80): string {
  if (value === null || value === undefined || value === '') return '-';
  const text = (typeof value === 'string' ? value : JSON.stringify(value)).replace(CONTROL, '?');
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

/** An ISO time without its milliseconds, easier to scan in a column. */
export function time(iso: string | number | null): string {
  if (iso === null) return '-';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? cell(iso) : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Rows under a header, each column as wide as its widest cell, two spaces apart. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row
      .map((value, i) => (i === row.length - 1 ? value : value.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** `key: value` lines with the keys aligned. */
export function fields(pairs: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...pairs.map(([key]) => key.length));
  return pairs.map(([key, value]) => `${`${key}:`.padEnd(width + 1)}  ${value}`);
}
