#!/usr/bin/env node
import { processOutput, run } from './main.js';

// The shop's payments are closed by run(); a store or pool the config left open must not
// keep the process alive, so it exits once its output is written.
run(process.argv.slice(2), processOutput()).then((code) => {
  process.stdout.write('', () => process.exit(code));
});
