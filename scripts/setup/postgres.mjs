// Makes a PostgreSQL server available to the tests and returns its URL as PAYMOUNT_TEST_PG_URL.
// Order of preference: a URL already given in the environment; the server this script
// started earlier (still running, or stopped but with its data folder intact); a new
// throwaway cluster, installing PostgreSQL first when it is missing (Debian/Ubuntu, as root).
// The cluster listens on 127.0.0.1 only, on an uncommon port, with durability switched off
// for speed: it holds test data and nothing else.
import { spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PORT = Number(process.env.PAYMOUNT_TEST_PG_PORT ?? 54329);
const DATA_ROOT = process.env.PAYMOUNT_TEST_PG_DIR ?? '/tmp/paymount-pg';
const DATA_DIR = join(DATA_ROOT, 'data');
const LOG_FILE = join(DATA_ROOT, 'server.log');
const SUPERUSER_PASSWORD = 'paymount-test-superuser';
const TEST_USER = 'paymount';
const TEST_PASSWORD = 'paymount';
const TEST_DB = 'paymount_test';

// Status goes to stderr so that `eval "$(node scripts/setup/postgres.mjs)"` sees only the export line.
const status = (message) => console.error(`• postgres: ${message}`);

function sh(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new Error(
      `${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}): ${output || result.error?.message || ''}`,
    );
  }
  return result.stdout ?? '';
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL server binary as the `postgres` user when we are root: initdb and pg_ctl refuse root. */
function asPostgres(binary, args) {
  if (!isRoot()) return sh(binary, args);
  return sh('runuser', ['-u', 'postgres', '--', binary, ...args], { cwd: '/tmp' });
}

function findBinDir() {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(base, versions[0], 'bin');
  }
  const found = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (found.status === 0 && found.stdout.trim()) return join(found.stdout.trim(), '..');
  return null;
}

function install() {
  if (!isRoot()) {
    throw new Error(
      'PostgreSQL is not installed and this script is not root, so it cannot install it. ' +
        'Install PostgreSQL (e.g. `sudo apt-get install -y postgresql`) or set PAYMOUNT_TEST_PG_URL.',
    );
  }
  status('installing PostgreSQL with apt-get (one time)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  sh('apt-get', ['update', '-qq'], { env });
  sh('apt-get', ['install', '-y', '-qq', 'postgresql'], { env });
}

function portOpen() {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port: PORT });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function initCluster(bin) {
  mkdirSync(DATA_ROOT, { recursive: true });
  const passwordFile = join(DATA_ROOT, 'superuser-password');
  writeFileSync(passwordFile, `${SUPERUSER_PASSWORD}\n`, { mode: 0o600 });
  if (isRoot()) {
    const uid = Number(sh('id', ['-u', 'postgres']).trim());
    const gid = Number(sh('id', ['-g', 'postgres']).trim());
    chownSync(DATA_ROOT, uid, gid);
    chownSync(passwordFile, uid, gid);
  }
  asPostgres(join(bin, 'initdb'), [
    '-D',
    DATA_DIR,
    '-U',
    'postgres',
    '--pwfile',
    passwordFile,
    '--auth-local',
    'scram-sha-256',
    '--auth-host',
    'scram-sha-256',
    '--encoding',
    'UTF8',
    '--no-sync',
  ]);
  const settings = [
    "listen_addresses = '127.0.0.1'",
    `port = ${PORT}`,
    `unix_socket_directories = '${DATA_ROOT}'`,
    'max_connections = 200',
    // Test data only: trade crash safety of the server for speed.
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
  ];
  const conf = join(DATA_DIR, 'postgresql.conf');
  // Appending keeps the file's owner (postgres) even when we write it as root.
  appendFileSync(conf, `\n# paymount test cluster\n${settings.join('\n')}\n`);
}

async function ensureTestDatabase() {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({
    host: '127.0.0.1',
    port: PORT,
    user: 'postgres',
    password: SUPERUSER_PASSWORD,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [TEST_USER]);
    if (role.rowCount === 0) {
      await admin.query(`CREATE ROLE ${TEST_USER} LOGIN PASSWORD '${TEST_PASSWORD}'`);
    }
    const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEST_DB]);
    if (db.rowCount === 0) await admin.query(`CREATE DATABASE ${TEST_DB} OWNER ${TEST_USER}`);
  } finally {
    await admin.end();
  }
}

export default async function setUpPostgres() {
  if (process.env.PAYMOUNT_TEST_PG_URL) {
    status('using PAYMOUNT_TEST_PG_URL from the environment');
    return { PAYMOUNT_TEST_PG_URL: process.env.PAYMOUNT_TEST_PG_URL };
  }
  const url = `postgres://${TEST_USER}:${TEST_PASSWORD}@127.0.0.1:${PORT}/${TEST_DB}`;
  if (await portOpen()) {
    await ensureTestDatabase();
    status(`reusing the server on 127.0.0.1:${PORT}`);
    return { PAYMOUNT_TEST_PG_URL: url };
  }
  let bin = findBinDir();
  if (!bin) {
    install();
    bin = findBinDir();
    if (!bin) throw new Error('PostgreSQL was installed but initdb was not found under /usr/lib/postgresql.');
  }
  const fresh = !existsSync(join(DATA_DIR, 'PG_VERSION'));
  if (fresh) initCluster(bin);
  asPostgres(join(bin, 'pg_ctl'), ['-D', DATA_DIR, '-l', LOG_FILE, '-w', '-t', '60', '-s', 'start']);
  await ensureTestDatabase();
  status(`${fresh ? 'started a new cluster' : 'restarted the cluster'} on 127.0.0.1:${PORT} (${DATA_ROOT})`);
  return { PAYMOUNT_TEST_PG_URL: url };
}

// Run directly, it prints the variable for a shell: eval "$(node scripts/setup/postgres.mjs)"
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const env = await setUpPostgres();
  console.log(`export PAYMOUNT_TEST_PG_URL='${env.PAYMOUNT_TEST_PG_URL}'`);
}
