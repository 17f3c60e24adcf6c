import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PaymentsRequest, PaymountHandler, RouteMatch } from '@paymount/core';
import { silentLogger } from '@paymount/core';
import { paymount as expressPaymount } from '@paymount/express';
import { paymount as koaPaymount } from '@paymount/koa';
import express from 'express5';
import Koa from 'koa3';
import { afterEach, describe, expect, it } from 'vitest';

// Any handler with core's HTTP contract mounts through the adapters the way the payments
// routes do (the operator console is the next one): at a path, or at the root with `prefix`.

interface HelloMatch extends RouteMatch {
  readonly name: string;
}

/** A handler of one route, `GET /hello/:name`, that counts how often it was matched. */
function helloHandler(): PaymountHandler<HelloMatch> & { matches: number } {
  const handler = {
    matches: 0,
    maxBodyBytes: 1024,
    logger: silentLogger,
    match(method: string, path: string): HelloMatch | undefined {
      handler.matches++;
      const found = /^\/hello\/([a-z]+)$/.exec(path);
      return method === 'GET' && found ? { needsBody: false, name: found[1]! } : undefined;
    },
    async respond(request: PaymentsRequest, matched: HelloMatch) {
      return {
        status: 200,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: `hello ${matched.name} (${request.method})`,
      };
    },
  };
  return handler;
}

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(listener: http.RequestListener): Promise<string> {
  server = http.createServer(listener);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const mounts: ReadonlyArray<{
  label: string;
  app: (h: ReturnType<typeof helloHandler>) => http.RequestListener;
}> = [
  {
    label: "Express, app.use('/x', paymount(handler))",
    app: (h) => express().use('/x', expressPaymount(h)),
  },
  {
    label: "Express, app.use(paymount(handler, { prefix: '/x' }))",
    app: (h) => express().use(expressPaymount(h, { prefix: '/x' })),
  },
  {
    label: "Koa, app.use(paymount(handler, { prefix: '/x' }))",
    app: (h) => new Koa().use(koaPaymount(h, { prefix: '/x' })).callback(),
  },
];

describe('the adapters mount any paymount handler', () => {
  for (const { label, app } of mounts) {
    it(`${label}: serves its routes below /x, matched once per request, and passes the rest on`, async () => {
      const handler = helloHandler();
      const base = await serve(app(handler));
      const hello = await fetch(`${base}/x/hello/ada`);
      expect([hello.status, await hello.text()]).toEqual([200, 'hello ada (GET)']);
      expect(handler.matches).toBe(1);
      const outside = await fetch(`${base}/hello/ada`);
      expect(outside.status).toBe(404);
      await outside.arrayBuffer();
      const unknown = await fetch(`${base}/x/bye/ada`);
      expect(unknown.status).toBe(404);
      await unknown.arrayBuffer();
    });
  }
});
