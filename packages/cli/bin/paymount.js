#!/usr/bin/env node
// The command's own file, so a workspace install links `paymount` before the first build
// (pnpm warns about a bin whose file does not exist yet); the build writes dist/bin.js.
import '../dist/bin.js';
