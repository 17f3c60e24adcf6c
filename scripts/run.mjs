#!/usr/bin/env node
// The one entry behind `npm test`, `npm run demo` and `npm run bench`: it needs only
// Node.js 20+ and npm. It fetches the pinned pnpm through npx, installs, builds, starts
// what the tests need (scripts/setup/*.mjs), and runs the task.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const task = process.argv[2];
const extra = process.argv.slice(3);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = pkg.packageManager.split('@')[1];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env, ...options });
  if (result.status !== 0) {
    console.error(`\n✗ ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

function pnpm(args, options) {
  const local = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (local.status === 0 && local.stdout.trim() === pnpmVersion) run('pnpm', args, options);
  else run('npx', ['--yes', `pnpm@${pnpmVersion}`, ...args], options);
}

function installIfNeeded() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lock = join(root, 'pnpm-lock.yaml');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs && !process.env.CI) return;
  console.log('• installing dependencies (pnpm %s)', pnpmVersion);
  pnpm(['install', '--frozen-lockfile', '--config.confirmModulesPurge=false']);
}

function build() {
  console.log('• building packages');
  pnpm(['-r', '--filter', './packages/*', 'build'], { stdio: ['inherit', 'ignore', 'inherit'] });
}

async function setUpServices() {
  const dir = join(root, 'scripts', 'setup');
  const env = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .sort()) {
    const setup = await import(pathToFileURL(join(dir, file)).href);
    Object.assign(env, await setup.default({ root }));
  }
  Object.assign(process.env, env);
}

function summarize(reportFile) {
  if (!existsSync(reportFile)) return;
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(
    `\ntests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`,
  );
}

installIfNeeded();
switch (task) {
  case 'test': {
    build();
    console.log('• typecheck');
    pnpm(['run', 'typecheck']);
    console.log('• lint');
    pnpm(['run', 'lint']);
    await setUpServices();
    console.log('• tests');
    const reportFile = join(root, 'artifacts', 'vitest-report.json');
    const result = spawnSync(
      join(root, 'node_modules', '.bin', 'vitest'),
      ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...extra],
      { cwd: root, stdio: 'inherit', env: process.env },
    );
    summarize(reportFile);
    process.exit(result.status ?? 1);
    break;
  }
  case 'demo':
    build();
    run(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'examples', 'demo.ts'), ...extra]);
    break;
  case 'bench':
    build();
    await setUpServices();
    run(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'bench', 'run.ts'), ...extra]);
    break;
  default:
    console.error('usage: node scripts/run.mjs test|demo|bench');
    process.exit(2);
}
