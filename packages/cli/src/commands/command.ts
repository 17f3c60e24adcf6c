import type { ParseArgsConfig } from 'node:util';
import type { Payments } from '@paymount/core';

/** Where a command writes: stdout lines, stderr lines, and whether stderr is a terminal. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** Rewrites the current stderr line in place (progress); only called when `isTTY`. */
  progress(line: string): void;
  readonly isTTY: boolean;
}

/** What a command runs with. */
export interface CommandContext {
  readonly payments: Payments;
  /** The command's options as parsed (global ones included). */
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  /** The command's arguments, by the names in {@link Command.args}. */
  readonly args: Readonly<Record<string, string>>;
  /** `--json`: print one JSON document on stdout and nothing else there. */
  readonly json: boolean;
  /** Who runs the command, for the journal. */
  readonly operator: string;
  readonly output: Output;
}

/** One `paymount` command; each lives in a file of its own under `commands/`. */
export interface Command {
  readonly name: string;
  /** One line for the help. */
  readonly summary: string;
  /** The arguments and options after the name, for the help: `<paymentId> [--json]`. */
  readonly usage: string;
  /** Required arguments, in order. */
  readonly args?: readonly string[];
  readonly options?: NonNullable<ParseArgsConfig['options']>;
  run(context: CommandContext): Promise<void>;
}

/** Prints `value` as the one JSON document of a `--json` run. */
export function printJson(context: CommandContext, value: unknown): void {
  context.output.out(JSON.stringify(value, null, 2));
}

/** Notes what the operator did in the journal (source `cli`). */
export function recordAction(
  context: CommandContext,
  what: string,
  details: { paymentId?: string; note?: string } = {},
): Promise<void> {
  return context.payments.recordOperatorAction({ who: context.operator, what, source: 'cli', ...details });
}
