import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  request,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payments } from '@paymount/core';
import { handleNodeRequest, readRawBody, splitUrl, writeNodeResponse } from '@paymount/core/node';
import { adapterConformance, type ShopAppOptions } from '@paymount/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The adapter contract with no framework at all: a plain node:http listener that calls
// @paymount/core/node itself, the way a new adapter would, run through the same suite.

type ShopRequest = IncomingMessage & { body?: unknown; _body?: boolean };

/** A body parser in the style of body-parser: reads JSON and forms, leaves `req.body` and `_body`. */
async function parseBody(req: ShopRequest): Promise<void> {
  const type = req.headers['content-type'] ?? '';
  if (req.method !== 'POST' || !/json|urlencoded/.test(type)) return;
  const text = Buffer.from(await readRawBody(req, 1_000_000)).toString('utf8');
  req._body = true;
  req.body = type.includes('json') ? JSON.parse(text || '{}') : Object.fromEntries(new URLSearchParams(text));
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

async function shopRoutes(
  req: ShopRequest,
  res: ServerResponse,
  path: string,
  mountPath: string,
): Promise<void> {
  if (req.method === 'GET' && path === '/hello') return send(res, 200, 'text/plain', 'hello from the shop');
  if (req.method === 'GET' && path === '/boom') throw new Error('shop boom');
  if (req.method === 'GET' && path === `${mountPath}/shop-page`)
    return send(res, 200, 'text/plain', 'shop page');
  if (req.method === 'POST' && path === '/echo') {
    if (req.body === undefined) await parseBody(req);
    return send(res, 200, 'application/json', JSON.stringify({ received: req.body }));
  }
  send(res, 404, 'text/plain', 'not found');
}

function bareShop(payments: Payments, options: ShopAppOptions, mountPath: string): RequestListener {
  return (incoming, res) => {
    const req = incoming as ShopRequest;
    const shopError = (error: unknown): void => {
      options.onShopError(error);
      if (!res.headersSent) send(res, 500, 'application/json', JSON.stringify({ handledBy: 'shop' }));
    };
    void (async () => {
      if (options.swallowBody) await new Promise((resolve) => req.on('end', resolve).resume());
      else if (options.bodyParser) await parseBody(req);
      const { path, rawQuery } = splitUrl(req.url ?? '/');
      const below =
        mountPath === '' ? path : path.startsWith(`${mountPath}/`) ? path.slice(mountPath.length) : undefined;
      const matched = below === undefined ? undefined : payments.match(req.method ?? 'GET', below);
      if (below === undefined || !matched) return shopRoutes(req, res, path, mountPath);
      const forwarded = req.headers['x-forwarded-for'];
      const ip =
        options.trustProxy && typeof forwarded === 'string'
          ? forwarded.split(',')[0]!.trim()
          : req.socket.remoteAddress;
      const details = { path: below, rawQuery, ip, parsedBody: req.body };
      const response = await handleNodeRequest(payments, req, details, matched);
      if (response) writeNodeResponse(res, response);
    })().catch(shopError);
  };
}

for (const mountPath of ['', '/pay']) {
  adapterConformance({
    name: `bare node:http ${mountPath === '' ? 'at the root' : `under '${mountPath}'`}`,
    mountPath,
    parserKeepsRawBody: false,
    makeApp: (payments, options) => bareShop(payments, options, mountPath),
  });
}

describe('writeNodeResponse', () => {
  // Each path answers one fixed paymount response.
  const answers: Record<string, { status: number; body: string }> = {
    '/redirect': { status: 303, body: '' },
    '/ok': { status: 200, body: 'OK' },
    '/text': { status: 200, body: 'grüße' },
    '/empty': { status: 204, body: '' },
  };
  const server = createServer((req, res) => {
    const answer = answers[req.url ?? ''] ?? { status: 404, body: 'none' };
    writeNodeResponse(res, { ...answer, headers: { 'cache-control': 'no-store' } });
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function headersOf(method: string, path: string): Promise<IncomingMessage['headers']> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('sends an answer whole with its length in bytes, not in chunks', async () => {
    for (const [path, length] of [
      ['/redirect', '0'],
      ['/ok', '2'],
      ['/text', String(Buffer.byteLength('grüße'))],
    ] as const) {
      const headers = await headersOf('GET', path);
      expect(headers['content-length'], path).toBe(length);
      expect(headers['transfer-encoding'], path).toBeUndefined();
    }
  });

  it('gives no length to a HEAD answer or a 204', async () => {
    expect((await headersOf('HEAD', '/ok'))['content-length']).toBeUndefined();
    expect((await headersOf('GET', '/empty'))['content-length']).toBeUndefined();
  });
});
