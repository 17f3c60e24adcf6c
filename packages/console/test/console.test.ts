import { createConsole, escapeHtml, html } from '@paymount/console';
import {
  createPayments,
  memoryStore,
  type OrderDetails,
  type PaymentProvider,
  type Payments,
  PaymentsConfigError,
} from '@paymount/core';
import type { PaymentsRequest, PaymentsResponse } from '@paymount/core/node';
import { testProvider } from '@paymount/core/testing';
import { afterEach, describe, expect, it } from 'vitest';

const opened: Payments[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((p) => p.close()));
});

function shopPayments(
  now?: () => Date,
  order: Partial<OrderDetails> = {},
  provider: PaymentProvider = testProvider(),
): Payments {
  const payments = createPayments({
    ...(now ? { now } : {}),
    publicUrl: 'https://shop.test/pay',
    secret: 'console-unit-secret-console-unit-secret',
    store: memoryStore(),
    providers: { test: provider },
    loadOrder: () => ({ amount: '10.00', currency: 'USD', ...order }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/failed' },
    hookDelivery: { pollIntervalMs: 0 },
    logger: false,
  });
  opened.push(payments);
  return payments;
}

const ana = { id: 'ana@shop.test' };

/** Asks the console as an adapter would: match, then respond. */
async function ask(
  ops: ReturnType<typeof createConsole>,
  method: string,
  path: string,
  init: { query?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<PaymentsResponse> {
  const match = ops.match(method, path);
  expect(match, `${method} ${path}`).toBeDefined();
  const request: PaymentsRequest = {
    method,
    path,
    query: init.query ?? '',
    headers: {
      ...(init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...init.headers,
    },
    body: init.body,
  };
  return ops.respond(request, match!);
}

function tokenIn(page: string): string {
  return /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
}

describe('createConsole', () => {
  it('refuses to build a console without authorize, and lists every problem at once', () => {
    const payments = shopPayments();
    expect(() => createConsole(payments, {} as never)).toThrow(PaymentsConfigError);
    try {
      createConsole(payments, { secret: 'short', pageSize: 0 } as never);
    } catch (error) {
      const problems = (error as PaymentsConfigError).problems.join('\n');
      expect(problems).toMatch(/authorize: required/);
      expect(problems).toMatch(/secret: at least 32/);
      expect(problems).toMatch(/pageSize/);
    }
  });

  it('claims only its own paths, so the shop keeps the rest', () => {
    const ops = createConsole(shopPayments(), { authorize: () => ana });
    expect(ops.match('GET', '/')).toMatchObject({ kind: 'page', page: 'overview' });
    expect(ops.match('GET', '/payments/pm_x')).toMatchObject({ kind: 'page', paymentId: 'pm_x' });
    expect(ops.match('POST', '/actions/replay')).toMatchObject({ kind: 'act', needsBody: true });
    expect(ops.match('GET', '/elsewhere')).toBeUndefined();
    expect(ops.match('POST', '/payments')).toMatchObject({ kind: 'method_not_allowed' });
    expect(ops.servesProviderCallbacks).toBe(false);
  });
});

describe('the console over its handler contract', () => {
  it('answers 401 with no payment data when authorize says null, and 500 with none when it throws', async () => {
    const payments = shopPayments();
    const {
      payment: { id: paymentId },
    } = await payments.checkout({ orderId: 'o-1', provider: 'test' });
    const closed = createConsole(payments, { authorize: () => null, signInUrl: '/login' });
    const refused = await ask(closed, 'GET', `/payments/${paymentId}`);
    expect(refused.status).toBe(401);
    expect(refused.body).not.toContain(paymentId);
    expect(refused.body).toContain('href="/login"');
    expect(refused.headers['content-security-policy']).toMatch(/script-src|default-src 'none'/);
    const broken = createConsole(payments, {
      authorize: () => {
        throw new Error('session store down');
      },
    });
    const failed = await ask(broken, 'GET', '/');
    expect(failed.status).toBe(500);
    expect(failed.body).not.toContain('session store down');
  });

  it('read-only: shows no action and refuses each one with 403, even with a valid token', async () => {
    const payments = shopPayments();
    const {
      payment: { id: paymentId },
    } = await payments.checkout({ orderId: 'o-2', provider: 'test' });
    const secret = 'a-console-secret-of-at-least-32-chars!';
    const acting = createConsole(payments, { authorize: () => ana, secret });
    const token = tokenIn(
      (await ask(acting, 'GET', '/actions/refresh', { query: `payment=${paymentId}` })).body,
    );
    expect(token).not.toBe('');
    const viewing = createConsole(payments, { authorize: () => ana, secret, readOnly: true });
    const page = await ask(viewing, 'GET', `/payments/${paymentId}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('/actions/');
    expect((await ask(viewing, 'GET', '/actions/refresh', { query: `payment=${paymentId}` })).status).toBe(
      403,
    );
    const post = await ask(viewing, 'POST', '/actions/refresh', {
      body: `payment=${paymentId}&csrf=${token}`,
    });
    expect(post.status).toBe(403);
    expect((await payments.history(paymentId)).some((e) => e.type === 'operator.action')).toBe(false);
  });

  it('refunds by hand for a provider in refundsByHand: only Record is offered, and refusals are 4xx pages', async () => {
    const payments = shopPayments();
    expect(() => createConsole(payments, { authorize: () => ana, refundsByHand: 'test' as never })).toThrow(
      /refundsByHand/,
    );
    const ops = createConsole(payments, { authorize: () => ana, refundsByHand: ['test'] });
    const { payment: waiting } = await payments.checkout({ orderId: 'o-wait', provider: 'test' });
    const { payment: open } = await payments.checkout({ orderId: 'o-paid', provider: 'test' });
    await payments.applyEvent(open.id, { status: 'paid', amount: '10.00', currency: 'USD' });
    const page = await ask(ops, 'GET', `/payments/${open.id}`);
    expect(page.body).toContain('test has no refund API');
    expect(page.body).toContain('/actions/record?payment=');
    expect(page.body).not.toContain('/actions/refund?payment=');
    const asked = await ask(ops, 'GET', '/actions/refund', { query: `payment=${open.id}` });
    expect([asked.status, asked.body]).toEqual([422, expect.stringContaining('refund_unsupported')]);
    const form = await ask(ops, 'GET', '/actions/record', { query: `payment=${open.id}` });
    const csrf = tokenIn(form.body);
    const done = await ask(ops, 'POST', '/actions/record', {
      body: `payment=${open.id}&csrf=${csrf}&amount=10&reference=bank-1&note=`,
    });
    expect(done.status).toBe(303);
    expect((await payments.get(open.id))?.status).toBe('refunded');
    expect(await payments.refundTotals(open.id)).toMatchObject({ refunded: '10.00', refundable: '0.00' });
    expect((await ask(ops, 'GET', `/payments/${open.id}`)).body).not.toContain('/actions/record?payment=');
    // A payment not paid: refused with core's code, nothing recorded.
    const refused = await ask(ops, 'POST', '/actions/record', {
      body: `payment=${waiting.id}&csrf=${csrf}&amount=1.00`,
    });
    expect([refused.status, refused.body]).toEqual([409, expect.stringContaining('refund_not_allowed')]);
    const bad = await ask(ops, 'POST', '/actions/record', {
      body: `payment=${open.id}&csrf=${csrf}&amount=`,
    });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect(await payments.refunds(waiting.id)).toEqual([]);
  });

  it('binds the CSRF token to the operator and the secret: another operator’s token is refused', async () => {
    const payments = shopPayments();
    const {
      payment: { id: paymentId },
    } = await payments.checkout({ orderId: 'o-3', provider: 'test' });
    const secret = 'a-console-secret-of-at-least-32-chars!';
    let who = ana;
    const ops = createConsole(payments, { authorize: () => who, secret });
    const anaToken = tokenIn(
      (await ask(ops, 'GET', '/actions/refresh', { query: `payment=${paymentId}` })).body,
    );
    who = { id: 'bob@shop.test' };
    const asBob = await ask(ops, 'POST', '/actions/refresh', {
      body: `payment=${paymentId}&csrf=${anaToken}`,
    });
    expect(asBob.status).toBe(403);
    expect(asBob.body).toContain('csrf_invalid');
    who = ana;
    // Another process with the same secret accepts the form.
    const other = createConsole(payments, { authorize: () => ana, secret });
    const done = await ask(other, 'POST', '/actions/refresh', {
      body: `payment=${paymentId}&csrf=${anaToken}`,
    });
    expect(done.status).toBe(303);
    expect(done.headers['location']).toBe(`/payments/${paymentId}?done=refreshed`);
    const action = (await payments.history(paymentId)).find((e) => e.type === 'operator.action');
    expect(action?.data).toMatchObject({ who: 'ana@shop.test', what: 'payment.refresh' });
    // Without a secret, each console has its own random key.
    const random = createConsole(payments, { authorize: () => ana });
    const refused = await ask(random, 'POST', '/actions/refresh', {
      body: `payment=${paymentId}&csrf=${anaToken}`,
    });
    expect(refused.status).toBe(403);
  });

  it('lists a payment still pending a day after it was made as overdue, and reconciles on request', async () => {
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    const payments = shopPayments(() => twoDaysAgo);
    const { payment } = await payments.checkout({ orderId: 'o-old', provider: 'test' });
    const ops = createConsole(payments, { authorize: () => ana });
    const overview = await ask(ops, 'GET', '/');
    expect(overview.body).toMatch(new RegExp(`data-kind="pending"[^]*?${payment.id}`));
    const patient = createConsole(payments, { authorize: () => ana, overdueAfterMs: 3 * 86_400_000 });
    expect((await ask(patient, 'GET', '/')).body).not.toContain('data-kind="pending"');
    const token = tokenIn((await ask(ops, 'GET', '/actions/reconcile')).body);
    const done = await ask(ops, 'POST', '/actions/reconcile', { body: `csrf=${token}` });
    expect(done.status).toBe(303);
    expect(done.headers['location']).toBe('/?done=reconciled');
    const { entries } = await payments.journal({ type: 'operator.action' });
    expect(entries.map((e) => e.data['what'])).toEqual(['reconcile']);
    expect(entries[0]?.data['who']).toBe('ana@shop.test');
  });

  it('shows a payment its lost-order search could not match, with the candidates, under attention', async () => {
    // A provider like Aurpay's pay-url: no order id until the first callback, which never came.
    const unbound: PaymentProvider = {
      ...testProvider(),
      createCheckout: async ({ payment }) => ({ payUrl: `https://pay.example.test/${payment.id}` }),
      lostPayments: {
        lookBackMs: 86_400_000,
        async find(search) {
          for (const p of search.payments)
            search.unsure(p.id, { providerRefs: ['A-1', 'A-2'], otherPaymentIds: [] });
          return [];
        },
      },
    };
    const payments = shopPayments(undefined, {}, unbound);
    const { payment } = await payments.checkout({ orderId: 'o-lost', provider: 'test' });
    await payments.reconcile();
    const ops = createConsole(payments, { authorize: () => ana });
    expect((await ask(ops, 'GET', '/')).body).toMatch(new RegExp(`Unanswered check[^]*?${payment.id}`));
    const page = (await ask(ops, 'GET', `/payments/${payment.id}`)).body;
    expect(page).toContain('could not tell which order');
    expect(page).toContain('A-1, A-2');
  });

  it("shows no buyer's e-mail address on a payment's page", async () => {
    const payments = shopPayments(undefined, {
      email: 'buyer@example.test',
      description: 'Mug for jo@example.test',
      metadata: { contact: 'jo@example.test', buyerEmail: 'x', color: 'blue' },
    });
    const { payment } = await payments.checkout({ orderId: 'o-mail', provider: 'test' });
    const ops = createConsole(payments, { authorize: () => ana });
    const page = await ask(ops, 'GET', `/payments/${payment.id}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toMatch(/@example\.test/);
    expect(page.body).toContain('blue');
  });

  it('takes a form a body parser in front already read', async () => {
    const payments = shopPayments();
    const { payment } = await payments.checkout({ orderId: 'o-parsed', provider: 'test' });
    const ops = createConsole(payments, { authorize: () => ana });
    const token = tokenIn(
      (await ask(ops, 'GET', '/actions/refresh', { query: `payment=${payment.id}` })).body,
    );
    const match = ops.match('POST', '/actions/refresh')!;
    const parsed = { payment: payment.id, csrf: token };
    const done = await ops.respond(
      { method: 'POST', path: '/actions/refresh', headers: {}, body: parsed },
      match,
    );
    expect(done.status).toBe(303);
    const json = await ops.respond(
      {
        method: 'POST',
        path: '/actions/refresh',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(parsed),
      },
      match,
    );
    expect(json.status).toBe(415);
  });

  it('takes its links from the mount path, and never leaves the site through them', async () => {
    const ops = createConsole(shopPayments(), { authorize: () => ana });
    const mounted = await ops.respond(
      {
        method: 'GET',
        path: '/hooks',
        headers: {},
        frameworkRequest: { originalUrl: '/admin/payments/hooks?x=1' },
      },
      ops.match('GET', '/hooks')!,
    );
    expect(mounted.body).toContain('href="/admin/payments/payments"');
    const sneaky = await ops.respond(
      { method: 'GET', path: '/', headers: {}, frameworkRequest: { originalUrl: '//evil.test/' } },
      ops.match('GET', '/')!,
    );
    expect(sneaky.body).not.toContain('//evil.test');
  });

  it('serves its stylesheet, and no page carries a script', async () => {
    const ops = createConsole(shopPayments(), { authorize: () => ana });
    const css = await ask(ops, 'GET', '/assets/console.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    for (const path of ['/', '/payments', '/hooks']) {
      const page = await ask(ops, 'GET', path);
      expect(page.status, path).toBe(200);
      expect(page.body, path).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('html', () => {
  it('escapes every interpolated value, once', () => {
    const hostile = `<script>alert("x")</script>' \``;
    const inner = html`<b>${hostile}</b>`;
    expect(html`<p title="${hostile}">${inner}${[hostile, null, false]}</p>`.toString()).toBe(
      `<p title="${escapeHtml(hostile)}"><b>${escapeHtml(hostile)}</b>${escapeHtml(hostile)}</p>`,
    );
    expect(escapeHtml(hostile)).not.toMatch(/[<>"'`]/);
  });
});
