// Profiles the callback server under load: starts bench/servers/callback.ts (paymount on the
// memory store) with --cpu-prof, sends 8 s of valid AAIO notifications over 32 connections,
// stops it, and leaves the profile in /tmp/paymount-profile (open it in Chrome's DevTools).
//   node --import tsx bench/profile.mjs [express|koa]
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { aaioNotificationBody } from './servers/aaio-fixture.ts';

const framework = process.argv[2] ?? 'express';
const srv = await new Promise((resolve) => {
  const c = spawn(
    process.execPath,
    [
      '--cpu-prof',
      '--cpu-prof-dir=/tmp/paymount-profile',
      '--import',
      'tsx',
      'bench/servers/callback.ts',
      `--framework=${framework}`,
      '--mode=paymount',
      '--payments=120000',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  createInterface({ input: c.stdout }).once('line', (l) => resolve({ c, info: JSON.parse(l) }));
});
let n = 0;
const r = await autocannon({
  url: `http://127.0.0.1:${srv.info.port}`,
  connections: 32,
  duration: 8,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  requests: [
    {
      method: 'POST',
      setupRequest: (req) => ({ ...req, path: '/pay/callback/aaio', body: aaioNotificationBody(n++) }),
    },
  ],
});
console.log('rps', r.requests.average, 'non2xx', r.non2xx);
srv.c.kill('SIGTERM');
await new Promise((r) => setTimeout(r, 2000));
