import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderHttpClient } from '../src/provider.js';

// A provider answer is read up to a bound: an upstream that streams without end (or a
// hostile one) gets a provider_error, never the shop's memory.

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Starts `server` with `handler` on a free port and returns its base URL. */
async function listen(handler: RequestListener): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

/** Sends one GET that must end as provider_timeout; the milliseconds it took. Closes the client. */
async function msToTimeout(client: ProviderHttpClient): Promise<number> {
  const started = Date.now();
  try {
    await expect(client.send({ method: 'GET', path: '/', idempotent: true })).rejects.toMatchObject({
      code: 'provider_timeout',
    });
    return Date.now() - started;
  } finally {
    await client.close();
  }
}

function upstream(bytes: number): Promise<string> {
  return listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes) {
        sent += chunk.byteLength;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end('{}');
    };
    pump();
  });
}

describe('ProviderHttpClient', () => {
  it('refuses an answer larger than 1 MiB with provider_error, and still reads a normal one', async () => {
    const big = new ProviderHttpClient({
      provider: 'huge',
      baseUrl: await upstream(8 * 1024 * 1024),
      retries: 0,
    });
    try {
      await expect(big.send({ method: 'GET', path: '/', idempotent: true })).rejects.toMatchObject({
        code: 'provider_error',
      });
    } finally {
      await big.close();
    }
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const small = new ProviderHttpClient({ provider: 'small', baseUrl: await upstream(1000), retries: 0 });
    try {
      const answer = await small.send({ method: 'GET', path: '/', idempotent: true });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({});
    } finally {
      await small.close();
    }
  });

  it('holds an attempt to timeoutMs even when the answer trickles in (provider_timeout)', async () => {
    const baseUrl = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // A byte every 200 ms: never idle long enough for a per-chunk timeout to fire.
      const timer = setInterval(() => res.write(' '), 200);
      res.on('close', () => clearInterval(timer));
    });
    const client = new ProviderHttpClient({ provider: 'slow', baseUrl, retries: 0, timeoutMs: 600 });
    expect(await msToTimeout(client)).toBeLessThan(1_500);
  });

  it('holds an attempt to timeoutMs on a busy event loop, by the wall clock', async () => {
    const baseUrl = await listen((_req, res) => {
      setTimeout(() => res.end('{}'), 5_000);
    });
    const client = new ProviderHttpClient({ provider: 'late', baseUrl, retries: 0, timeoutMs: 1_000 });
    // The shop's process is busy: its loop comes up for air only every 900 ms.
    const busy = setInterval(() => {
      const until = Date.now() + 900;
      while (Date.now() < until) {}
    }, 10);
    try {
      // A couple of blocked stretches past the budget at most, not a count of timer ticks.
      expect(await msToTimeout(client)).toBeLessThan(3_500);
    } finally {
      clearInterval(busy);
    }
  });
});
