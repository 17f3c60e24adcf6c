import { type ParseArgsConfig, parseArgs } from 'node:util';
import { isPaymentsError } from '@paymount/core';
import type { Command, CommandContext, Output } from './commands/command.js';
import { COMMANDS } from './commands/index.js';
import { loadConfig } from './config.js';
import { EXIT, type ExitCode, exitCodeOf, usageError } from './exit-codes.js';
import { operatorName } from './operator.js';

/** The options every command takes. */
const GLOBAL: NonNullable<ParseArgsConfig['options']> = {
  config: { type: 'string', short: 'c' },
  operator: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** The config file when `--config` names none. */
export const DEFAULT_CONFIG = './paymount.config.mjs';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: paymount [--config FILE] <command> [options]',
    '',
    `  --config, -c FILE   the file that exports your payments (default ${DEFAULT_CONFIG}, or $PAYMOUNT_CONFIG)`,
    '  --operator NAME     who acts, for the journal (default: your OS user name)',
    '  --json              print one JSON document',
    '',
    'Commands:',
    ...COMMANDS.map(
      (c) => `  ${c.name.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  paymount ${c.name} ${c.usage}`,
    ),
    '',
    'Exit codes: 0 ok, 1 usage error, 2 config file missing or broken, 3 not found,',
    '4 store unavailable, 5 refused, 6 another failure (a provider, say).',
  ].join('\n');
}

/** The command named on the line, and the rest parsed strictly for it. */
function parse(argv: readonly string[]): {
  command: Command | undefined;
  values: CommandContext['values'];
  rest: string[];
} {
  // A first loose pass finds the command name: the first word that is no option's value.
  const loose = parseArgs({ args: [...argv], options: GLOBAL, allowPositionals: true, strict: false });
  const name = loose.positionals[0];
  const command = COMMANDS.find((c) => c.name === name);
  if (name !== undefined && !command) throw usageError(`Unknown command "${name}". Run paymount --help.`);
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { ...GLOBAL, ...command?.options },
      allowPositionals: true,
      strict: true,
    });
    // No option is both a boolean and multiple, so a list holds strings only.
    return { command, values: parsed.values as CommandContext['values'], rest: parsed.positionals.slice(1) };
  } catch (error) {
    throw usageError(`${(error as Error).message}. Run paymount --help.`);
  }
}

function argsOf(command: Command, rest: readonly string[]): Record<string, string> {
  const names = command.args ?? [];
  if (rest.length !== names.length) {
    throw usageError(`Usage: paymount ${command.name} ${command.usage}`);
  }
  return Object.fromEntries(names.map((name, i) => [name, rest[i]!]));
}

/** What goes to the terminal when a command fails: the message, and for the store a hint. */
function failureMessage(error: unknown, code: ExitCode): string {
  const message = error instanceof Error ? error.message : String(error);
  if (code === EXIT.storeUnavailable)
    return `${message}\nIs the database running, and does the config file point at it?`;
  if (code === EXIT.failed && !isPaymentsError(error) && error instanceof Error && error.stack)
    return error.stack;
  return message;
}

/**
 * Runs one `paymount` command line and resolves to its exit code; never rejects. The
 * shop's payments are closed before it resolves.
 */
export async function run(argv: readonly string[], output: Output, env = process.env): Promise<ExitCode> {
  let close: (() => Promise<void>) | undefined;
  try {
    const { command, values, rest } = parse(argv);
    if (values['help'] === true) {
      output.out(help());
      return EXIT.ok;
    }
    if (!command) throw usageError(`Name a command.\n\n${help()}`);
    const args = argsOf(command, rest);
    const configPath = (values['config'] as string | undefined) ?? env['PAYMOUNT_CONFIG'] ?? DEFAULT_CONFIG;
    const config = await loadConfig(configPath, command.name);
    close = () => config.close();
    await command.run({
      payments: config.payments,
      values,
      args,
      json: values['json'] === true,
      operator: operatorName(values['operator'] as string | undefined),
      output,
    });
    return EXIT.ok;
  } catch (error) {
    const code = exitCodeOf(error);
    output.err(`paymount: ${failureMessage(error, code)}`);
    return code;
  } finally {
    await close?.().catch((error: unknown) =>
      output.err(`paymount: closing failed: ${(error as Error).message}`),
    );
  }
}

/** The process's own stdout and stderr. */
export function processOutput(): Output {
  const isTTY = process.stderr.isTTY === true;
  return {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
    progress: (line) => void process.stderr.write(`\r\u001b[2K${line}`),
    isTTY,
  };
}
