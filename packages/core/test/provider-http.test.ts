import { createServer, type Server } from 'node:http';
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

async function upstream(bytes: number): Promise<string> {
  server = createServer((_req, res) => {
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
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
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
});
