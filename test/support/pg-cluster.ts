// A throwaway PostgreSQL cluster that belongs to one test file (or one soak run): its own
// data folder under /tmp and its own port, so a test may stop, kill and restart it while
// other test files keep using the shared server on 54329. The binaries come from
// /usr/lib/postgresql/<version>/bin (`node scripts/setup/postgres.mjs` installs them).
// As root, initdb and pg_ctl run as the `postgres` user, which they require.
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** How `pg_ctl stop` ends the server: `fast` is a managed database's restart, `immediate` a crash. */
export type PgStopMode = 'smart' | 'fast' | 'immediate';

export interface PgCluster {
  /** Superuser URL of the cluster's `postgres` database (trust auth, 127.0.0.1 only). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Starts the server and waits until it accepts connections. */
  start(): Promise<void>;
  stop(mode: PgStopMode): Promise<void>;
  /** `pg_ctl restart -m <mode>`: stops, starts and waits until it accepts connections. */
  restart(mode: PgStopMode): Promise<void>;
  /** Stops the server at once (if running) and deletes its folder. */
  destroy(): Promise<void>;
}

function binDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) {
    throw new Error(
      'No PostgreSQL server binaries under /usr/lib/postgresql. Run `node scripts/setup/postgres.mjs` ' +
        '(or `npm test`, which runs it) to install them.',
    );
  }
  return join(base, versions[0], 'bin');
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** The command line for a server binary: through `runuser -u postgres` when we are root. */
function command(bin: string, args: readonly string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, [...args]];
}

/** Runs a server binary without blocking the event loop: the test keeps sending requests meanwhile. */
function run(bin: string, args: readonly string[]): Promise<string> {
  const [file, argv] = command(bin, args);
  return new Promise((resolve, reject) => {
    execFile(file, argv, { cwd: '/tmp', encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${bin} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const running = new Set<string>();
// A test that fails or is interrupted must not leave a server behind.
process.once('exit', () => {
  const pgCtl = running.size > 0 ? join(binDir(), 'pg_ctl') : '';
  for (const dataDir of running) {
    const [file, argv] = command(pgCtl, ['-D', dataDir, '-m', 'immediate', '-s', 'stop']);
    spawnSync(file, argv, { cwd: '/tmp', stdio: 'ignore' });
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  }
});

/**
 * Makes a new cluster (initdb, a few seconds) on a free port, not yet started unless
 * `start` is true. Commits survive a killed server; only an operating system crash could lose them.
 */
export async function createPgCluster(options: { name: string; start?: boolean }): Promise<PgCluster> {
  const bin = binDir();
  const root = mkdtempSync(join('/tmp', `paymount-${options.name}-`));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  if (isRoot()) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(root, uid, gid);
  }
  await run(join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth',
    'trust',
    '--encoding',
    'UTF8',
    '--no-sync',
  ]);
  const port = await freePort();
  const settings = [
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    `unix_socket_directories = '${root}'`,
    'max_connections = 100',
    // A killed server (-m immediate) must keep every commit it acknowledged, as a real one does,
    // so synchronous_commit stays on. fsync only matters when the machine itself loses power.
    'fsync = off',
  ];
  writeFileSync(join(dataDir, 'postgresql.auto.conf'), `${settings.join('\n')}\n`, { flag: 'a' });
  running.add(dataDir);
  const pgCtl = join(bin, 'pg_ctl');
  const cluster: PgCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    start: () => run(pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-s', 'start']).then(() => {}),
    stop: (mode) => run(pgCtl, ['-D', dataDir, '-m', mode, '-w', '-t', '60', '-s', 'stop']).then(() => {}),
    restart: (mode) =>
      run(pgCtl, ['-D', dataDir, '-l', logFile, '-m', mode, '-w', '-t', '60', '-s', 'restart']).then(
        () => {},
      ),
    async destroy() {
      await run(pgCtl, ['-D', dataDir, '-m', 'immediate', '-s', 'stop']).catch(() => {});
      running.delete(dataDir);
      rmSync(root, { recursive: true, force: true });
    },
  };
  if (options.start) await cluster.start();
  return cluster;
}
