import type { Command } from './command.js';
import { hooks } from './hooks.js';
import { list } from './list.js';
import { pruneJournal } from './prune-journal.js';
import { reconcile } from './reconcile.js';
import { recordRefund } from './record-refund.js';
import { refresh } from './refresh.js';
import { refund } from './refund.js';
import { replay } from './replay.js';
import { resolve } from './resolve.js';
import { show } from './show.js';

/** Every command, in the order the help lists them. A new command is one file and one line here. */
export const COMMANDS: readonly Command[] = [
  list,
  show,
  refresh,
  reconcile,
  hooks,
  replay,
  resolve,
  refund,
  recordRefund,
  pruneJournal,
];
