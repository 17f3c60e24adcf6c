#!/usr/bin/env node
// Packs every package under packages/ into a folder, as `pnpm publish` would ship it
// (pnpm turns `workspace:^` into the real version range), and prints a JSON list of
// { name, version, filename } on stdout. Builds first when a package's dist/ is missing
// or older than its src/, so the tarballs never carry stale code.
//
//   node scripts/pack-packages.mjs <destination folder>
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const destination = process.argv[2];
if (!destination) {
  console.error('usage: node scripts/pack-packages.mjs <destination folder>');
  process.exit(2);
}
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

/** Runs the pinned pnpm (the local one when it is that version), failing loudly. */
function pnpm(args) {
  const local = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  const [command, prefix] =
    local.status === 0 && local.stdout.trim() === pnpmVersion
      ? ['pnpm', []]
      : ['npx', ['--yes', `pnpm@${pnpmVersion}`]];
  const result = spawnSync(command, [...prefix, ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout ?? '');
    process.stderr.write(result.stderr ?? '');
    throw new Error(`pnpm ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
  return result.stdout;
}

/** The newest modification time of any file below `dir` (0 when it does not exist). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const packagesDir = join(root, 'packages');
const stale = readdirSync(packagesDir).filter((name) => {
  const dist = join(packagesDir, name, 'dist');
  return !existsSync(dist) || newest(join(packagesDir, name, 'src')) > newest(dist);
});
if (stale.length > 0) {
  console.error(`pack-packages: building (${stale.join(', ')} not built or older than src)`);
  pnpm(['-r', '--filter', './packages/*', 'build']);
}

const out = resolve(destination);
mkdirSync(out, { recursive: true });
const packed = JSON.parse(
  pnpm(['-r', '--filter', './packages/*', 'pack', '--pack-destination', out, '--json']),
);
const list = (Array.isArray(packed) ? packed : [packed]).map(({ name, version, filename }) => ({
  name,
  version,
  filename: resolve(out, filename),
}));
process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
