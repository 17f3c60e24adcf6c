import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Payments } from '@paymount/core';
import { paymountFetch } from '@paymount/fetch';
import { adapterConformance, type ShopAppOptions } from '@paymount/testing';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { describe, expect, it } from 'vitest';
import { serveOnce, shopPayments, TOKEN } from './support/shop-payments.js';

/** The first X-Forwarded-For address: what a shop behind a proxy it trusts passes as `info.ip`. */
function forwardedFor(header: string | null | undefined): string | undefined {
  return header?.split(',')[0]?.trim() || undefined;
}

/** A Hono shop: its own error handler and routes around paymount, mounted with `app.all(mount/*)`. */
function honoShop(
  payments: Payments,
  options: ShopAppOptions,
  mountPath: string,
  extra?: (app: Hono) => void,
) {
  const app = new Hono();
  const pay = paymountFetch(payments, { prefix: mountPath });
  app.onError((error, c) => {
    options.onShopError(error);
    return c.json({ handledBy: 'shop' }, 500);
  });
  extra?.(app);
  if (options.swallowBody) {
    // Hono's own body reading, shop-wide, in front of paymount: the bytes are gone afterwards.
    app.use(async (c, next) => {
      await c.req.text();
      await next();
    });
  }
  app.all(mountPath === '' ? '*' : `${mountPath}/*`, async (c, next) => {
    const ip = options.trustProxy
      ? forwardedFor(c.req.header('x-forwarded-for'))
      : getConnInfo(c).remote.address;
    const answer = await pay(c.req.raw, { ip, frameworkRequest: c });
    if (answer) return answer;
    await next();
  });
  app.get('/hello', (c) => c.text('hello from the shop'));
  app.post('/echo', async (c) => c.json({ received: await c.req.json() }));
  app.get('/boom', () => {
    throw new Error('shop boom');
  });
  app.get(`${mountPath}/shop-page`, (c) => c.text('shop page'));
  return app;
}

/** A Node request as a Fetch `Request`, its body streamed (never buffered here). */
function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value])
      headers.append(name, item);
  }
  const method = req.method ?? 'GET';
  const body =
    method === 'GET' || method === 'HEAD' ? null : (Readable.toWeb(req) as ReadableStream<Uint8Array>);
  return new Request(`http://${req.headers.host}${req.url}`, {
    method,
    headers,
    body,
    duplex: 'half',
  } as RequestInit);
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** The bare Fetch contract: a `(Request) => Response` shop served through node:http, no framework. */
function bareFetchShop(payments: Payments, options: ShopAppOptions, mountPath: string): RequestListener {
  const pay = paymountFetch(payments, { prefix: mountPath });
  const shop = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    const route = `${request.method} ${pathname}`;
    if (route === 'GET /hello') return new Response('hello from the shop');
    if (route === 'GET /boom') throw new Error('shop boom');
    if (route === `GET ${mountPath}/shop-page`) return new Response('shop page');
    if (route === 'POST /echo') return Response.json({ received: await request.json() });
    return new Response('not found', { status: 404 });
  };
  return (req, res) => {
    void (async () => {
      const request = toRequest(req);
      try {
        if (options.swallowBody)
          await request
            .clone()
            .arrayBuffer()
            .then(() => request.arrayBuffer());
        const ip = options.trustProxy
          ? forwardedFor(request.headers.get('x-forwarded-for'))
          : req.socket.remoteAddress;
        await writeResponse(res, (await pay(request, { ip })) ?? (await shop(request)));
      } catch (error) {
        options.onShopError(error);
        await writeResponse(res, Response.json({ handledBy: 'shop' }, { status: 500 }));
      }
    })();
  };
}

for (const mountPath of ['', '/pay']) {
  const where = mountPath === '' ? 'at the root' : `under '${mountPath}'`;
  adapterConformance({
    name: `Hono on @hono/node-server ${where}`,
    mountPath,
    parserKeepsRawBody: false,
    shopWideParsers: false,
    makeApp: (payments, options) => getRequestListener(honoShop(payments, options, mountPath).fetch),
  });
  adapterConformance({
    name: `a bare Fetch handler on node:http ${where}`,
    mountPath,
    parserKeepsRawBody: false,
    shopWideParsers: false,
    makeApp: (payments, options) => bareFetchShop(payments, options, mountPath),
  });
}

const quiet: ShopAppOptions = {
  bodyParser: false,
  trustProxy: false,
  swallowBody: false,
  onShopError: () => {},
};

describe('@paymount/fetch inside a Hono shop', () => {
  it("keeps the shop's secure headers and body limit, and takes the callback through them", async () => {
    const payments = shopPayments();
    const app = honoShop(payments, quiet, '/pay', (shop) => {
      shop.use(secureHeaders());
      shop.use(bodyLimit({ maxSize: 1024 * 1024 }));
    });
    await serveOnce(getRequestListener(app.fetch), async (agent) => {
      const checkout = await agent.get('/pay/checkout/o-1').set('accept', 'application/json').expect(200);
      expect(checkout.headers).toMatchObject({
        'x-frame-options': 'SAMEORIGIN',
        'cache-control': 'no-store',
      });
      const { paymentId } = checkout.body as { paymentId: string };
      const paid = { paymentId, status: 'paid', amount: '10.00', currency: 'USD' };
      await agent.post('/pay/callback/test').set('x-test-token', TOKEN).send(paid).expect(200, 'OK');
      expect((await payments.get(paymentId))?.status).toBe('paid');
      await agent
        .post('/echo')
        .send({ a: 1 })
        .expect(200, { received: { a: 1 } });
    });
    await payments.close();
  });

  it("gives loadOrder Hono's context, and a buyer's error to app.onError with browserErrors 'framework'", async () => {
    const payments = shopPayments({
      browserErrors: 'framework',
      loadOrder: (_orderId, { reason, request }) => {
        const c = request?.frameworkRequest as { get(key: 'user'): string | undefined } | undefined;
        return reason === 'checkout' && c?.get('user') !== 'ada'
          ? null
          : { amount: '10.00', currency: 'USD' };
      },
    });
    const shopErrors: unknown[] = [];
    const options = { ...quiet, onShopError: (error: unknown) => void shopErrors.push(error) };
    const app = honoShop(payments, options, '/pay', (shop) => {
      shop.use(async (c, next) => {
        c.set('user' as never, /user=(\w+)/.exec(c.req.header('cookie') ?? '')?.[1] as never);
        await next();
      });
    });
    await serveOnce(getRequestListener(app.fetch), async (agent) => {
      await agent
        .get('/pay/checkout/o-1')
        .set('accept', 'application/json')
        .set('cookie', 'user=ada')
        .expect(200);
      await agent.get('/pay/checkout/o-2').set('accept', 'text/html').set('cookie', 'user=eve').expect(500);
    });
    expect(shopErrors).toEqual([expect.objectContaining({ code: 'order_not_found', status: 404 })]);
    await payments.close();
  });

  it('answers 413 to a chunked callback that grows past the limit, without a content-length', async () => {
    const payments = shopPayments();
    await serveOnce(getRequestListener(honoShop(payments, quiet, '/pay').fetch), async (_agent, base) => {
      const id = await fetch(`${base}/pay/checkout/o-2`, { headers: { accept: 'application/json' } })
        .then((r) => r.json())
        .then((b) => (b as { paymentId: string }).paymentId);
      const chunks = [`{"paymentId":"${id}","status":"paid","padding":"`, 'x'.repeat(4096), '"}'];
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      });
      const answer = await fetch(`${base}/pay/callback/test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test-token': TOKEN },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(answer.status).toBe(413);
      expect(await answer.json()).toMatchObject({ error: { code: 'payload_too_large' } });
      expect((await payments.get(id))?.status).toBe('pending');
    });
    await payments.close();
  });
});
