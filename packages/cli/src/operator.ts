import { userInfo } from 'node:os';

/**
 * Who runs the command, for the journal: `--operator`, else the OS user name (a
 * container without a passwd entry has none: then `USER`, else `unknown`).
 */
export function operatorName(given: string | undefined): string {
  const named = given?.trim();
  if (named) return named;
  try {
    const { username } = userInfo();
    if (username) return username;
  } catch {
    // No passwd entry for this uid: fall through to the environment.
  }
  return process.env['USER'] || process.env['USERNAME'] || 'unknown';
}
