import { createPayments, memoryStore, type Payments } from '@paymount/core';
import { fetchRequestTarget, handleFetchRequest, readFetchBody, toFetchResponse } from '@paymount/core/fetch';
import { testProvider } from '@paymount/core/testing';
import { afterEach, describe, expect, it } from 'vitest';

const TOKEN = 'fetch-conversion-token';
let payments: Payments | undefined;
afterEach(async () => {
  await payments?.close();
  payments = undefined;
});

function newPayments(): Payments {
  payments = createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: 'fetch-conversion-secret-0123456789abcdef',
    store: memoryStore(),
    providers: { test: testProvider({ token: TOKEN }) },
    loadOrder: () => ({ amount: '10.00', currency: 'USD' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hookDelivery: { pollIntervalMs: 0 },
    maxBodyBytes: 256,
  });
  return payments;
}

/** A body of `count` chunks of `size` bytes that records how many chunks were pulled and whether it was cancelled. */
function countedBody(count: number, size: number) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === count) return controller.close();
      seen.pulled++;
      controller.enqueue(new Uint8Array(size).fill(120));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

const post = (body: string | ReadableStream<Uint8Array> | null, headers: Record<string, string> = {}) =>
  new Request('https://shop.example/pay/callback/test', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-token': TOKEN, ...headers },
    body,
    duplex: 'half',
  } as RequestInit);

describe('@paymount/core/fetch', () => {
  it('takes path and query from the URL exactly as sent', () => {
    expect(fetchRequestTarget('https://shop.example/pay/status/pm_1?a=%20b&c')).toEqual({
      path: '/pay/status/pm_1',
      rawQuery: 'a=%20b&c',
    });
    expect(fetchRequestTarget('http://127.0.0.1:3000')).toEqual({ path: '/', rawQuery: '' });
    expect(fetchRequestTarget('https://shop.example/a%2Fb/../c#frag')).toEqual({
      path: '/a%2Fb/../c',
      rawQuery: '',
    });
  });

  it('reads a chunked body up to the limit, and cancels the rest past it without reading on', async () => {
    const small = countedBody(2, 16);
    expect((await readFetchBody(post(small.stream), 64)).byteLength).toBe(32);
    const large = countedBody(1000, 16);
    await expect(readFetchBody(post(large.stream), 64)).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(large.seen.cancelled).toBe(true);
    expect(large.seen.pulled).toBeLessThan(10);
  });

  it('refuses a declared Content-Length over the limit before reading anything', async () => {
    const { stream, seen } = countedBody(10, 16);
    await expect(readFetchBody(post(stream, { 'content-length': '160' }), 64)).rejects.toMatchObject({
      code: 'payload_too_large',
    });
    expect(seen.pulled).toBeLessThanOrEqual(1);
  });

  it('answers a callback from the Request, and raw_body_unavailable when its body was read before', async () => {
    const handler = newPayments();
    const checkout = await handleFetchRequest(
      handler,
      new Request('https://shop.example/pay/checkout/o-1', { headers: { accept: 'application/json' } }),
      { path: '/checkout/o-1', rawQuery: '' },
    );
    const { paymentId } = JSON.parse(checkout?.body ?? '{}') as { paymentId: string };
    const fields = JSON.stringify({ paymentId, status: 'paid', amount: '10.00', currency: 'USD' });
    const eaten = post(fields);
    await eaten.text();
    const refused = await handleFetchRequest(handler, eaten, { path: '/callback/test', rawQuery: '' });
    expect(refused?.status).toBe(500);
    expect(JSON.parse(refused?.body ?? '{}')).toMatchObject({ error: { code: 'raw_body_unavailable' } });
    expect((await handler.get(paymentId))?.status).toBe('pending');
    const accepted = await handleFetchRequest(handler, post(fields), {
      path: '/callback/test',
      rawQuery: '',
    });
    expect([accepted?.status, accepted?.body]).toEqual([200, 'OK']);
    expect((await handler.get(paymentId))?.status).toBe('paid');
    const tooLarge = await handleFetchRequest(handler, post('x'.repeat(300)), {
      path: '/callback/test',
      rawQuery: '',
    });
    expect(tooLarge?.status).toBe(413);
    const outside = await handleFetchRequest(handler, post(fields), { path: '/elsewhere', rawQuery: '' });
    expect(outside).toBeUndefined();
  });

  it('writes answers as Responses: no body where none is allowed, no hop-by-hop header, 500 for what cannot be sent', async () => {
    const empty = toFetchResponse({ status: 204, headers: { allow: 'GET' }, body: '' });
    expect([empty.status, empty.body, empty.headers.get('allow')]).toEqual([204, null, 'GET']);
    const closing = toFetchResponse({ status: 413, headers: { connection: 'close' }, body: '{}' });
    expect(closing.headers.has('connection')).toBe(false);
    const broken = toFetchResponse({ status: 200, headers: { 'x-bad': 'a\nb' }, body: 'hi' });
    expect(broken.status).toBe(500);
    expect(await broken.json()).toMatchObject({ error: { code: 'internal_error' } });
    expect(toFetchResponse({ status: 42, headers: {}, body: '' }).status).toBe(500);
  });
});
