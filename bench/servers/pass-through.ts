// A shop route with paymount mounted in front of it, or the same app without paymount.
import { createPayments, memoryStore } from '@paymount/core';
import { testProvider } from '@paymount/core/testing';
import { announce, arg } from './listen.js';
import { shopServer } from './shop-apps.js';

const framework = arg('framework') as 'express' | 'koa';
const mode = arg('paymount'); // on | off | noop
const withPaymount = mode === 'on';
const payments = withPaymount
  ? createPayments({
      publicUrl: 'http://127.0.0.1/pay',
      secret: 'bench-secret-bench-secret-bench-secret',
      store: memoryStore(),
      providers: { test: testProvider() },
      loadOrder: async () => ({ amount: '10.00', currency: 'USD' }),
      returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    })
  : null;
const server = shopServer(framework, payments, mode === 'noop');
announce(server);
server.listen(0, '127.0.0.1');
