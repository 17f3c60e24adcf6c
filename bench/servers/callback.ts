// AAIO notifications for pending payments through paymount, or a bare route that parses the same form.

import { createServer, type Server } from 'node:http';
import { aaio } from '@paymount/aaio';
import {
  createPayments,
  memoryStore,
  type PaymentStore,
  type PaymountHandler,
  type RouteMatch,
} from '@paymount/core';
import { paymount as expressPaymount } from '@paymount/express';
import { paymount as koaPaymount } from '@paymount/koa';
import express from 'express5';
import Koa from 'koa3';
import { AAIO_SHOP, pendingPayment } from './aaio-fixture.js';
import { postgresFloorWrite } from './durable-floor.js';
import { HOOK_ROUND, handDuties } from './hand-duties.js';
import { announce, arg } from './listen.js';

const framework = arg('framework') as 'express' | 'koa';
// floor: the bare route plus the least durable write a callback can make (durable-floor.ts).
// adapter: paymount's adapter reading the body for a handler that answers at once, no engine.
// duties: the same adapter, the handler doing a callback's duties by hand (hand-duties.ts).
const mode = arg('mode') as 'paymount' | 'bare' | 'floor' | 'adapter' | 'duties';
const storeKind = arg('store', 'memory');
const count = Number(arg('payments', '100000'));
const journal = arg('journal', 'on') as 'on' | 'off';
// off: `telemetry: false`; api: @opentelemetry/api installed, no SDK (a shop that never set
// one up); sdk: an SDK registered, recording every span and metric.
const telemetry = arg('telemetry', 'api') as 'off' | 'api' | 'sdk';

/**
 * An SDK as a shop's start-up registers it, before createPayments: a context manager,
 * a tracer provider that records every span (handed to a processor that drops it, so the
 * cost is paymount's and the SDK's, not an exporter's), and a meter provider with a reader.
 */
async function registerSdk(): Promise<void> {
  const { context, metrics, trace } = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { BasicTracerProvider } = await import('@opentelemetry/sdk-trace-base');
  const { MeterProvider, MetricReader } = await import('@opentelemetry/sdk-metrics');
  class Reader extends MetricReader {
    protected override async onShutdown(): Promise<void> {}
    protected override async onForceFlush(): Promise<void> {}
  }
  const dropping = {
    onStart: () => {},
    onEnd: () => {},
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [dropping] }));
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new Reader()] }));
}

/**
 * The store as it would be without a journal: entries are dropped, so the journal pair
 * measures what the journal costs a callback, side by side with the same store.
 */
function withoutJournal(store: PaymentStore): PaymentStore {
  return {
    ...store,
    transition: ({ journal: _dropped, ...write }) => store.transition(write),
    appendJournal: async () => {},
  };
}

async function openStore(): Promise<PaymentStore> {
  if (storeKind === 'sqlite') {
    const { sqliteStore } = await import('@paymount/sqlite');
    return sqliteStore({ path: arg('sqlite-path') });
  }
  if (storeKind === 'postgres') {
    const { postgresStore } = await import('@paymount/postgres');
    return postgresStore({ connectionString: arg('pg-url'), schema: arg('pg-schema', 'paymount_bench') });
  }
  return memoryStore();
}

async function bareServer(): Promise<Server> {
  if (framework === 'express') {
    const app = express();
    const write = mode === 'floor' ? await postgresFloorWrite(arg('pg-url'), arg('pg-schema'), count) : null;
    app.post('/pay/callback/aaio', express.urlencoded({ extended: false }), async (req, res) => {
      const orderId: unknown = req.body?.order_id;
      if (write && typeof orderId === 'string') await write(orderId);
      res.type('text/plain').send(typeof orderId === 'string' ? 'OK' : 'NO');
    });
    return createServer(app);
  }
  const { default: bodyParser } = await import('koa-bodyparser');
  const app = new Koa();
  app.use(bodyParser({ enableTypes: ['form'] }));
  app.use((ctx) => {
    if (ctx.method === 'POST' && ctx.path === '/pay/callback/aaio') {
      ctx.type = 'text/plain';
      ctx.body =
        typeof (ctx.request as { body?: { order_id?: unknown } }).body?.order_id === 'string' ? 'OK' : 'NO';
    }
  });
  return createServer(app.callback());
}

async function paymountServer(): Promise<Server> {
  const opened = await openStore();
  const store = journal === 'off' ? withoutJournal(opened) : opened;
  const batch = 1_000;
  for (let i = 0; i < count; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - i) }, (_, k) =>
        store.createOrReuse(pendingPayment(i + k), Date.now() + 86_400_000),
      ),
    );
  }
  if (telemetry === 'sdk') await registerSdk();
  const payments = createPayments({
    telemetry: telemetry !== 'off',
    publicUrl: 'http://127.0.0.1/pay',
    secret: 'bench-secret-bench-secret-bench-secret',
    store,
    // Confirmation through info-pay and the IP check are off: this measures paymount's own work.
    providers: { aaio: aaio({ ...AAIO_SHOP, baseUrl: 'http://127.0.0.1:9', confirmWithInfoPay: false }) },
    // The shop's order matches every benched payment (the engine asks again before paid).
    loadOrder: async () => ({ amount: '100.00', currency: 'RUB' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hooks: { onPaid: () => {} },
  });
  return mounted(payments);
}

/** A server of the framework under test with `handler` mounted at /pay, as a shop mounts paymount. */
function mounted(handler: PaymountHandler<RouteMatch>): Server {
  if (framework === 'express') {
    const app = express();
    app.use('/pay', expressPaymount(handler));
    return createServer(app);
  }
  const app = new Koa();
  app.use(koaPaymount(handler, { prefix: '/pay' }));
  return createServer(app.callback());
}

/** What the adapter hands a handler, answered at once: the adapter's share of a callback alone. */
const answeringAtOnce: PaymountHandler<RouteMatch> = {
  logger: { debug() {}, info() {}, warn() {}, error() {} },
  maxBodyBytes: 65_536,
  match: (_method, path) => (path === '/callback/aaio' ? { needsBody: true, fromProvider: true } : undefined),
  respond: async (request) => ({
    status: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: request.body === undefined ? 'NO' : 'OK',
  }),
};

/**
 * The adapter handing the callback to the duties written by hand, onPaid delivered every
 * HOOK_ROUND callbacks: the least a callback doing paymount's duties can cost behind paymount's adapter.
 */
function dutiesByHand(): PaymountHandler<RouteMatch> {
  const duties = handDuties(count);
  let answered = 0;
  return {
    ...answeringAtOnce,
    respond: async (request) => {
      const answer = request.body instanceof Uint8Array ? await duties.handle(request.body) : 'NO';
      if (++answered % HOOK_ROUND === 0) duties.deliver();
      return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: answer };
    },
  };
}

const server =
  mode === 'paymount'
    ? await paymountServer()
    : mode === 'adapter'
      ? mounted(answeringAtOnce)
      : mode === 'duties'
        ? mounted(dutiesByHand())
        : await bareServer();
announce(server);
server.listen(0, '127.0.0.1');
