#!/usr/bin/env node
// The one entry behind `npm test`, `npm run demo`, `npm run bench`, `npm run check:packages`
// and `npm run soak`: it needs only Node.js 20+ and npm. It fetches the pinned pnpm through
// npx, installs, builds, starts what the tests need (scripts/setup/*.mjs), and runs the task.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/**
 * Packs every package as `pnpm publish` would ship it and checks each tarball: LICENSE (the
 * root one, unchanged) and README.md inside, then publint (warnings count as errors) and attw
 * with the strict profile (node10 through typesVersions, node16 CJS and ESM, bundler). Tarballs
 * rather than folders, so the checks see exactly what a user installs. Any problem fails the run.
 */
function checkPackages() {
  console.log('• package checks');
  const dir = mkdtempSync(join(tmpdir(), 'paymount-package-checks-'));
  const problems = [];
  let checked = 0;
  try {
    const packed = spawnSync(process.execPath, [join(root, 'scripts', 'pack-packages.mjs'), dir], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (packed.status !== 0) problems.push('packing the packages failed');
    else {
      const license = readFileSync(join(root, 'LICENSE'), 'utf8');
      for (const { name, filename } of JSON.parse(packed.stdout)) {
        problems.push(...tarballProblems(filename, license).map((problem) => `${name}: ${problem}`));
        checked++;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    console.error(`\n✗ package checks failed:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`  ${checked} packages: LICENSE and README packed, publint and attw clean`);
}

/** What is wrong with one packed tarball, as messages (none when it is fit to publish). */
function tarballProblems(tarball, license) {
  const problems = [];
  const listing = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout.split('\n');
  if (!listing.includes('package/README.md')) problems.push('README.md is not in the tarball');
  if (!listing.includes('package/LICENSE')) problems.push('LICENSE is not in the tarball');
  else if (spawnSync('tar', ['-xzOf', tarball, 'package/LICENSE'], { encoding: 'utf8' }).stdout !== license)
    problems.push("LICENSE differs from the repository's root LICENSE (copy it again)");
  const checks = [
    ['publint', ['run', '--strict', tarball]],
    ['attw', [tarball, '--profile', 'strict', '--format', 'ascii', '--no-color', '--no-emoji']],
  ];
  for (const [tool, args] of checks) {
    const result = spawnSync(join(root, 'node_modules', '.bin', tool), args, { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) problems.push(`${tool} failed:\n${result.stdout}${result.stderr}`);
  }
  return problems;
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
    checkPackages();
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
  case 'check-packages':
    build();
    checkPackages();
    break;
  case 'demo':
    build();
    run(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'examples', 'demo.ts'), ...extra]);
    break;
  case 'bench':
    build();
    await setUpServices();
    run(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'bench', 'run.ts'), ...extra]);
    break;
  case 'soak': {
    build();
    // The soak runs its own PostgreSQL cluster (it restarts it); it only needs the server
    // binaries, which the PostgreSQL setup installs when they are missing.
    const setup = await import(pathToFileURL(join(root, 'scripts', 'setup', 'postgres.mjs')).href);
    await setup.default({ root });
    run(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'test', 'soak', 'soak.ts'), ...extra]);
    break;
  }
  default:
    console.error('usage: node scripts/run.mjs test|check-packages|demo|bench|soak');
    process.exit(2);
}
