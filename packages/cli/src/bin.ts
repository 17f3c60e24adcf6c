#!/usr/bin/env node
import { processOutput, run } from './main.js';

// `paymount list | head -1` closes the pipe early: that is the reader being done, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// The shop's payments are closed by run(); a store or pool the config left open must not
// keep the process alive, so it exits once its output is written.
run(process.argv.slice(2), processOutput()).then((code) => {
  process.stdout.write('', () => process.exit(code));
});
