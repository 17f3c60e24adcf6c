// GET /pay/checkout/:orderId against the AAIO simulator: through paymount, or a hand-written
// route making the same single undici call and redirect.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { aaio } from '@paymount/aaio';
import { createPayments, memoryStore } from '@paymount/core';
import { paymount } from '@paymount/express';
import express from 'express5';
import { Agent, request } from 'undici';
import { AAIO_SHOP } from './aaio-fixture.js';
import { announce, arg } from './listen.js';

const mode = arg('mode') as 'paymount' | 'hand';
const simulatorUrl = arg('simulator');
const app = express();

if (mode === 'paymount') {
  const payments = createPayments({
    publicUrl: 'http://127.0.0.1/pay',
    secret: 'bench-secret-bench-secret-bench-secret',
    store: memoryStore(),
    providers: { aaio: aaio({ ...AAIO_SHOP, baseUrl: simulatorUrl }) },
    loadOrder: async () => ({ amount: '100.00', currency: 'RUB', description: 'Bench order' }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
  });
  app.use('/pay', paymount(payments));
} else {
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 32 });
  app.get('/pay/checkout/:orderId', async (req, res) => {
    const orderId = req.params.orderId;
    const sign = createHash('sha256')
      .update(`${AAIO_SHOP.merchantId}:100.00:RUB:${AAIO_SHOP.secret1}:${orderId}`)
      .digest('hex');
    const body = new URLSearchParams({
      merchant_id: AAIO_SHOP.merchantId,
      amount: '100.00',
      currency: 'RUB',
      order_id: orderId,
      sign,
      desc: 'Bench order',
    }).toString();
    const answer = await request(`${simulatorUrl}/merchant/get_pay_url`, {
      method: 'POST',
      body,
      dispatcher: agent,
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    });
    const json = (await answer.body.json()) as { url?: string };
    if (!json.url) {
      res.status(502).send('no pay url');
      return;
    }
    res.redirect(303, json.url);
  });
}

const server = createServer(app);
announce(server);
server.listen(0, '127.0.0.1');
