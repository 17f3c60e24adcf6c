// @paymount/cli — the `paymount` command. Its bin is `paymount`; this entry lets a shop
// run the same commands from its own scripts and types its config file.
export type { Command, CommandContext, Output } from './commands/command.js';
export { COMMANDS } from './commands/index.js';
export type { CliContext, PaymountCliConfig } from './config.js';
export { EXIT, type ExitCode } from './exit-codes.js';
export { DEFAULT_CONFIG, processOutput, run } from './main.js';
