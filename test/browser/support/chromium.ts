import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/**
 * Launches the system Chromium (Debian's package) headless. Playwright gives each
 * launch a fresh temporary profile. A missing browser is an error, never a skip:
 * `npm test` installs it through scripts/setup/chromium.mjs.
 */
export async function launchChromium(): Promise<Browser> {
  const path = process.env['PAYMOUNT_CHROMIUM'] || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium is not at ${path}. Run the tests through \`npm test\` (scripts/setup/chromium.mjs installs it), ` +
        'install it with `apt-get install -y chromium`, or set PAYMOUNT_CHROMIUM to its path.',
    );
  }
  return chromium.launch({ executablePath: path, args: FLAGS, timeout: 30_000 });
}
