// The reliability suite: every scenario module registers its tests here, in one process,
// so that one summary table and one secrets scan cover the whole run.
import { afterAll, describe, expect, it } from 'vitest';
import { scanForSecrets } from './support/capture.js';
import { figure, figureTable, writeFigures } from './support/figures.js';
import { removeStores } from './support/stores.js';
import './scenarios/duplicate-callbacks.js';
import './scenarios/forged-callbacks.js';
import './scenarios/callback-fuzzing.js';
import './scenarios/callback-races.js';
import './scenarios/provider-faults.js';
import './scenarios/hook-delivery.js';
import './scenarios/open-redirects.js';
import './scenarios/reconciler-instances.js';

describe('secrets', () => {
  it('no secret appears in any log line, error, response or journal entry of the whole suite', async () => {
    const totals = scanForSecrets();
    await figure(
      {
        area: 'secrets',
        scenario: 'log lines + responses + errors + journal entries scanned for 6 secrets',
        sent: totals.logLines + totals.responses + totals.errors + totals.journalEntries,
        result: `logs=${totals.logLines} responses=${totals.responses} errors=${totals.errors} journal=${totals.journalEntries} leaks=${totals.leaks.length}`,
      },
      () => {
        expect(totals.logLines).toBeGreaterThan(0);
        expect(totals.responses).toBeGreaterThan(0);
        expect(totals.journalEntries).toBeGreaterThan(0);
        expect(totals.leaks).toEqual([]);
      },
    );
  });
});

afterAll(async () => {
  await removeStores();
  const file = writeFigures();
  console.log(`\nReliability figures (counts; also in ${file}):\n${figureTable()}\n`);
});
