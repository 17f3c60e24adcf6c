// Minimal demo until the storefronts land: one order, the test provider, plain node:http.
import { createServer } from 'node:http';
import { createPayments, memoryStore } from '@paymount/core';
import { handleNodeRequest, splitUrl, writeNodeResponse } from '@paymount/core/node';
import { testProvider } from '@paymount/core/testing';

const port = Number(process.env.PORT ?? 3000);
const base = `http://localhost:${port}`;
const payments = createPayments({
  publicUrl: `${base}/pay`,
  secret: 'demo-secret-demo-secret-demo-secret!',
  store: memoryStore(),
  providers: { test: testProvider({ payBaseUrl: `${base}/fake-pay-page` }) },
  loadOrder: async (orderId) => (orderId === 'demo-1' ? { amount: '10.00', currency: 'USD' } : null),
  returnUrls: { success: '/thanks', pending: '/pending', failure: '/failed' },
});

createServer(async (req, res) => {
  const { path, rawQuery } = splitUrl(req.url ?? '/');
  if (path.startsWith('/pay/')) {
    const response = await handleNodeRequest(payments, req, { path: path.slice(4), rawQuery });
    if (response) return writeNodeResponse(res, response);
  }
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(`<h1>paymount demo</h1><a href="/pay/checkout/demo-1">Pay order demo-1</a>`);
}).listen(port, () => console.log(`demo shop on ${base}`));
