import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPayments, memoryStore, type Payments } from '@paymount/core';
import { testProvider } from '@paymount/core/testing';
import { paymount } from '@paymount/express';
import express from 'express5';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';

// What the shared Node conversion (@paymount/core/node) does with bodies that the
// conformance suite's parsers do not produce: raw/text parsers, chunked uploads.

const TOKEN = 'node-conversion-token';
let server: http.Server | undefined;
let payments: Payments | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await payments?.close();
  server = undefined;
  payments = undefined;
});

async function serve(install: (app: ReturnType<typeof express>) => void): Promise<string> {
  payments = createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: 'node-conversion-secret-0123456789abcdef',
    store: memoryStore(),
    providers: { test: testProvider({ token: TOKEN }) },
    loadOrder: () => ({ amount: '10.00', currency: 'USD' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hookDelivery: { pollIntervalMs: 0 },
    maxBodyBytes: 1024,
  });
  const app = express();
  install(app);
  app.use('/pay', paymount(payments));
  server = http.createServer(app);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function newPayment(base: string): Promise<string> {
  const res = await request(base).get('/pay/checkout/o-1').set('accept', 'application/json').expect(200);
  return (res.body as { paymentId: string }).paymentId;
}

describe('Node conversion for adapters', () => {
  for (const [name, parser] of [
    ['express.raw()', express.raw({ type: '*/*' })],
    ['express.text()', express.text({ type: '*/*' })],
  ] as const) {
    it(`takes the bytes a global ${name} kept as the raw body`, async () => {
      const base = await serve((app) => app.use(parser));
      const id = await newPayment(base);
      await request(base)
        .post('/pay/callback/test')
        .set('x-test-token', TOKEN)
        .type('json')
        .send(JSON.stringify({ paymentId: id, status: 'paid', amount: '10.00', currency: 'USD' }))
        .expect(200, 'OK');
      expect((await payments?.get(id))?.status).toBe('paid');
    });
  }

  /** Posts a callback padded with `padding` in chunks, with no content-length, and returns the answer. */
  function postChunked(
    base: string,
    id: string,
    padding = `"${'x'.repeat(4096)}"`,
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${base}/pay/callback/test`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-test-token': TOKEN,
          'transfer-encoding': 'chunked',
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write(`{"paymentId":"${id}","status":"paid","amount":"10.00","currency":"USD","padding":`);
      req.end(`${padding}}`);
    });
  }

  it('answers 413 to a chunked callback that grows past the limit, without a content-length', async () => {
    const base = await serve(() => {});
    const id = await newPayment(base);
    const { status, body } = await postChunked(base, id);
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect((await payments?.get(id))?.status).toBe('pending');
  });

  it('answers 413 to a chunked callback past the limit that a global express.json() with a larger limit parsed', async () => {
    const base = await serve((app) => app.use(express.json({ limit: '1mb' })));
    const id = await newPayment(base);
    const { status, body } = await postChunked(base, id);
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect((await payments?.get(id))?.status).toBe('pending');
  });

  it('answers 413, not 500, to a chunked callback whose parsed fields hold a huge array', async () => {
    const base = await serve((app) => app.use(express.json({ limit: '10mb' })));
    const id = await newPayment(base);
    const { status, body } = await postChunked(base, id, `[${Array(300_000).fill('0').join(',')}]`);
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect((await payments?.get(id))?.status).toBe('pending');
  });
});
