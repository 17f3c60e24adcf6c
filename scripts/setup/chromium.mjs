// Makes Debian's Chromium available to the browser tests and returns its path as PAYMOUNT_CHROMIUM.
// Order of preference: a path already given in PAYMOUNT_CHROMIUM; a Chromium already installed;
// `apt-get install chromium` when we are root on Debian/Ubuntu. Playwright's own browser
// download is never used: the tests drive the system browser through playwright-core.
// When Chromium cannot be had, the browser tests fail with the reason (they never skip in CI).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

const status = (message) => console.log(`• chromium: ${message}`);

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function installed() {
  return CANDIDATES.find((path) => existsSync(path)) ?? null;
}

function aptInstall() {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', 'chromium'],
  ]) {
    const result = spawnSync('apt-get', args, { encoding: 'utf8', env });
    if (result.status !== 0) {
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
      throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal}): ${output}`);
    }
  }
}

export default async function setUpChromium() {
  const given = process.env.PAYMOUNT_CHROMIUM;
  if (given && existsSync(given)) {
    status(`using ${given}`);
    return { PAYMOUNT_CHROMIUM: given };
  }
  let path = installed();
  if (!path) {
    if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
      // Left unset: the browser tests then fail and say how to install it.
      status('not installed and cannot install it here (needs root and apt-get)');
      return {};
    }
    try {
      aptInstall();
    } catch (error) {
      status(error instanceof Error ? error.message : String(error));
      return {};
    }
    path = installed();
    if (!path) {
      status('apt-get finished but no chromium binary was found');
      return {};
    }
    status(`installed with apt-get, using ${path}`);
    return { PAYMOUNT_CHROMIUM: path };
  }
  status(`using ${path}`);
  return { PAYMOUNT_CHROMIUM: path };
}
