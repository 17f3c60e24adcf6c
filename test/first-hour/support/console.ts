import { vi } from 'vitest';

/** What paymount's default logger printed, captured from console.warn and console.error. */
export interface ConsoleCapture {
  readonly lines: string[];
  restore(): void;
}

export function captureConsole(): ConsoleCapture {
  const lines: string[] = [];
  const keep = (line: unknown): void => void lines.push(String(line));
  const warn = vi.spyOn(console, 'warn').mockImplementation(keep);
  const error = vi.spyOn(console, 'error').mockImplementation(keep);
  return {
    lines,
    restore() {
      warn.mockRestore();
      error.mockRestore();
    },
  };
}
