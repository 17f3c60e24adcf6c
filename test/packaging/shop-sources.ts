/**
 * The source of the small shops the packaging test runs from the installed tarballs:
 * the README's integration (createPayments + one mount), a fake order book, a shop
 * route of its own next to paymount, written as plain Node ESM or CommonJS.
 */

export type ShopFramework = 'express' | 'koa' | 'koa-router' | 'fastify' | 'hono';

export interface ShopSource {
  /** The npm name the shop imports its framework by (an alias like `express4`). */
  readonly frameworkPackage: string;
  readonly framework: ShopFramework;
  readonly moduleSystem: 'esm' | 'cjs';
  /** Express only: `express.json()` and `express.urlencoded()` run before paymount. */
  readonly parsersBeforePaymount?: boolean;
}

/** Each framework's paymount package, and what the shop imports from it. */
const ADAPTERS: Record<ShopFramework, [string, string]> = {
  express: ['{ paymount }', '@paymount/express'],
  koa: ['{ paymount }', '@paymount/koa'],
  'koa-router': ['{ paymount }', '@paymount/koa'],
  fastify: ['{ paymount }', '@paymount/fastify'],
  hono: ['{ paymountFetch }', '@paymount/fetch'],
};

/** The framework's own default import (Hono's are named ones). */
const FRAMEWORK_DEFAULTS: Record<ShopFramework, string | undefined> = {
  express: 'express',
  koa: 'Koa',
  'koa-router': 'Koa',
  fastify: 'Fastify',
  hono: undefined,
};

function imports({ frameworkPackage, framework, moduleSystem }: ShopSource): string {
  const named: Array<[string, string]> = [
    ['{ aaio }', '@paymount/aaio'],
    ['{ aurpay }', '@paymount/aurpay'],
    ['{ createPayments, memoryStore }', '@paymount/core'],
    ADAPTERS[framework],
  ];
  if (framework === 'hono') {
    named.push(['{ Hono }', frameworkPackage], ['{ serve }', '@hono/node-server']);
    named.push(['{ getConnInfo }', '@hono/node-server/conninfo']);
  }
  const defaultName = FRAMEWORK_DEFAULTS[framework];
  const defaults: Array<[string, string]> = defaultName ? [[defaultName, frameworkPackage]] : [];
  if (framework === 'koa-router') defaults.push(['Router', '@koa/router']);
  if (moduleSystem === 'esm') {
    return [...named, ...defaults].map(([what, from]) => `import ${what} from '${from}';`).join('\n');
  }
  return [
    ...named.map(([what, from]) => `const ${what} = require('${from}');`),
    ...defaults.map(([what, from]) => `const ${what} = require('${from}');`),
  ].join('\n');
}

/** Everything but the framework: the README's createPayments with a fake order book. */
const paymentsSetup = `
const env = process.env;
const book = new Map([
  ['42', { total: '100.00', currency: 'RUB', paid: false }],
  ['43', { total: '10.00', currency: 'USD', paid: false }],
]);
const paidKeys = new Map();
const waiting = new Map();
const orders = {
  async get(id) { return book.get(id) ?? null; },
  async markPaid(id, key) {
    book.get(id).paid = true;
    paidKeys.set(id, [...(paidKeys.get(id) ?? []), key]);
    for (const wake of waiting.get(id) ?? []) wake();
    waiting.delete(id);
  },
};
/** Answers once onPaid has run for the order (or after 10 s, with what is known then). */
async function paidKeysOf(id) {
  if (!paidKeys.has(id)) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 10000);
      waiting.set(id, [...(waiting.get(id) ?? []), () => { clearTimeout(timer); resolve(); }]);
    });
  }
  return paidKeys.get(id) ?? [];
}

const payments = createPayments({
  publicUrl: \`\${env.PAYMOUNT_PUBLIC_URL}/pay\`,
  secret: env.PAYMOUNT_SECRET,
  store: memoryStore(),
  providers: {
    aurpay: aurpay({ apiKey: env.AURPAY_API_KEY, baseUrl: env.AURPAY_BASE_URL }),
    aaio: aaio({
      merchantId: env.AAIO_MERCHANT_ID,
      secret1: env.AAIO_SECRET_1,
      secret2: env.AAIO_SECRET_2,
      apiKey: env.AAIO_API_KEY,
      baseUrl: env.AAIO_BASE_URL,
    }),
  },
  loadOrder: async (orderId) => {
    const order = await orders.get(orderId);
    return order && !order.paid ? { amount: order.total, currency: order.currency } : null;
  },
  returnUrls: { success: '/orders/{orderId}/thanks', pending: '/orders/{orderId}', failure: '/orders/{orderId}' },
  hooks: { onPaid: (payment, { idempotencyKey }) => orders.markPaid(payment.orderId, idempotencyKey) },
});
`;

const expressApp = (parsersFirst: boolean) => `
const app = express();
${parsersFirst ? 'app.use(express.json(), express.urlencoded({ extended: false }));' : ''}
app.use('/pay', paymount(payments)); // before any body parser
app.use(express.json());
app.post('/api/echo', (req, res) => res.json({ shop: 'express', got: req.body }));
app.get('/orders/:id/paid', async (req, res) => res.json(await paidKeysOf(req.params.id)));
app.get('/orders/:id/thanks', (req, res) => res.type('text').send('thanks'));
const server = app.listen(Number(env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
`;

/** Koa's own routes, by hand: the shop reads its JSON body itself. */
const koaShopRoutes = `
async function shopRoutes(ctx, next) {
  let match;
  if (ctx.method === 'POST' && ctx.path === '/api/echo') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    ctx.body = { shop: 'koa', got: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } else if ((match = /^\\/orders\\/([^/]+)\\/paid$/.exec(ctx.path))) {
    ctx.body = await paidKeysOf(match[1]);
  } else if (/^\\/orders\\/[^/]+\\/thanks$/.test(ctx.path)) {
    ctx.body = 'thanks';
  } else {
    await next();
  }
}
`;

const koaApp = `${koaShopRoutes}
const app = new Koa();
app.use(paymount(payments, { prefix: '/pay' })); // before any body parser
app.use(shopRoutes);
const server = app.listen(Number(env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
`;

const koaRouterApp = `${koaShopRoutes}
const app = new Koa();
const router = new Router();
router.all('/pay/{*rest}', paymount(payments));
app.use(router.routes());
app.use(shopRoutes);
const server = app.listen(Number(env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
`;

const fastifyApp = `
const app = Fastify();
app.register(paymount, { payments, prefix: '/pay' });
app.post('/api/echo', async (request) => ({ shop: 'fastify', got: request.body }));
app.get('/orders/:id/paid', async (request) => paidKeysOf(request.params.id));
app.get('/orders/:id/thanks', async (request, reply) => reply.type('text/plain').send('thanks'));
const server = app.server;
app.listen({ port: Number(env.PORT), host: '127.0.0.1' }).then(() => console.log(JSON.stringify({ port: server.address().port })));
`;

const honoApp = `
const app = new Hono();
const pay = paymountFetch(payments, { prefix: '/pay' });
app.all('/pay/*', async (c, next) => (await pay(c.req.raw, { ip: getConnInfo(c).remote.address, frameworkRequest: c })) ?? next());
app.post('/api/echo', async (c) => c.json({ shop: 'hono', got: await c.req.json() }));
app.get('/orders/:id/paid', async (c) => c.json(await paidKeysOf(c.req.param('id'))));
app.get('/orders/:id/thanks', (c) => c.text('thanks'));
const server = serve({ fetch: app.fetch, port: Number(env.PORT), hostname: '127.0.0.1' }, (info) => console.log(JSON.stringify({ port: info.port })));
`;

const shutdown = `
process.on('SIGTERM', () => {
  payments.close().finally(() => server.close(() => process.exit(0)));
  server.closeAllConnections?.();
});
`;

/** The whole shop file. */
export function shopSource(shop: ShopSource): string {
  const apps: Record<ShopFramework, string> = {
    express: expressApp(shop.parsersBeforePaymount ?? false),
    koa: koaApp,
    'koa-router': koaRouterApp,
    fastify: fastifyApp,
    hono: honoApp,
  };
  const app = apps[shop.framework];
  return `${imports(shop)}\n${paymentsSetup}${app}${shutdown}`;
}
