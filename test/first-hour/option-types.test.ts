// Issue 22, item 11: under exactOptionalPropertyTypes, `baseUrl: process.env.X` was a type
// error although paymount accepts undefined at run time. fixtures/env-options.ts fills every
// optional option of createPayments, the providers, the adapters and the simulators from
// process.env (string | undefined) and must compile in that mode.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = `${root}node_modules/.bin/tsc`;
const project = fileURLToPath(new URL('./fixtures/tsconfig.exact.json', import.meta.url));

describe('option types under exactOptionalPropertyTypes', () => {
  it('accept options read from process.env as they are', async () => {
    const { stdout: config } = await run(tsc, ['-p', project, '--showConfig']);
    expect(JSON.parse(config).compilerOptions).toMatchObject({
      exactOptionalPropertyTypes: true,
      strict: true,
    });
    const compiled = await run(tsc, ['-p', project]).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(compiled).toBe('');
  }, 60_000);
});
