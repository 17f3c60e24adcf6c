import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AaioOptions, aaio } from '@paymount/aaio';
import { createPayments, type Logger, memoryStore, type Payments } from '@paymount/core';
import { handleNodeRequest, splitUrl, writeNodeResponse } from '@paymount/core/node';
import { afterEach, describe, expect, it } from 'vitest';

// What a merchant reads in the log when AAIO's notification is refused, and that the
// refusal itself (status, code, payment untouched) is what it always was. Notifications are
// POSTed over real HTTP, signed with AAIO's documented formula written out here.

/** `sha256_hex("{merchant_id}:{amount}:{currency}:{secret}:{order_id}")`, as AAIO documents the sign. */
function docSign(
  merchantId: string,
  amount: string,
  currency: string,
  secret: string,
  orderId: string,
): string {
  return createHash('sha256')
    .update(`${merchantId}:${amount}:${currency}:${secret}:${orderId}`)
    .digest('hex');
}

interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

interface Shop {
  readonly merchant: { merchantId: string; secret1: string; secret2: string; apiKey: string };
  readonly payments: Payments;
  readonly logs: LogLine[];
  /** A pending AAIO payment of 100.00 RUB, created without any call to AAIO. */
  pendingPayment(): Promise<string>;
  /** POSTs form fields to paymount's AAIO notification route. */
  notify(fields: Record<string, string>): Promise<{ status: number; text: string }>;
  /** The log lines in which the AAIO provider explains a refused notification. */
  refusals(): LogLine[];
}

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function recordingLogger(logs: LogLine[]): Logger {
  const at =
    (level: LogLine['level']) =>
    (fields: object, message = ''): void =>
      void logs.push({ level, fields: { ...fields } as Record<string, unknown>, message });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A framework-free shop on a loopback port serving paymount at `/pay`, as an adapter would. */
async function startShop(provider: Partial<AaioOptions> = {}): Promise<Shop> {
  let payments: Payments | undefined;
  const server: Server = createServer((req, res) => {
    const { path, rawQuery } = splitUrl(req.url ?? '/');
    if (!payments || !path.startsWith('/pay/')) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const details = { path: path.slice('/pay'.length), rawQuery, ip: req.socket.remoteAddress };
    void handleNodeRequest(payments, req, details).then((response) => {
      if (response) writeNodeResponse(res, response);
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const merchant = {
    merchantId: randomUUID(),
    secret1: 'aaio-secret-number-one-0123456789',
    secret2: 'aaio-secret-number-two-9876543210',
    apiKey: 'aaio-api-key-0123456789abcdef',
  };
  const logs: LogLine[] = [];
  const engine = createPayments({
    publicUrl: `${base}/pay`,
    secret: 'notification-diagnostics-secret-0123456789',
    store: memoryStore(),
    // No AAIO is reachable: the pay link is built locally and notifications are not confirmed.
    providers: {
      aaio: aaio({ ...merchant, checkoutMode: 'pay_url', confirmWithInfoPay: false, ...provider }),
    },
    loadOrder: () => ({ amount: '100.00', currency: 'RUB' }),
    returnUrls: { success: '/thanks', pending: '/wait', failure: '/failed' },
    hookDelivery: { pollIntervalMs: 0 },
    logger: recordingLogger(logs),
  });
  payments = engine;
  cleanups.push(async () => {
    await engine.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  let orders = 0;
  return {
    merchant,
    payments: engine,
    logs,
    async pendingPayment() {
      const { payment } = await engine.checkout({ orderId: `order-${++orders}`, provider: 'aaio' });
      return payment.id;
    },
    async notify(fields) {
      const response = await fetch(`${base}/pay/callback/aaio`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
      return { status: response.status, text: await response.text() };
    },
    refusals: () => logs.filter((line) => line.message.startsWith('paymount/aaio: notification refused')),
  };
}

/** A notification as AAIO sends it for a paid order, signed with `secret` over `signedAmount`. */
function notification(
  shop: Shop,
  paymentId: string,
  overrides: { amount?: string; signedAmount?: string; secret?: string; merchantId?: string } = {},
): Record<string, string> {
  const merchantId = overrides.merchantId ?? shop.merchant.merchantId;
  const amount = overrides.amount ?? '100.00';
  const signedAmount = overrides.signedAmount ?? amount;
  const secret = overrides.secret ?? shop.merchant.secret2;
  return {
    merchant_id: merchantId,
    invoice_id: randomUUID(),
    order_id: paymentId,
    amount,
    currency: 'RUB',
    profit: amount,
    status: 'success',
    sign: docSign(merchantId, signedAmount, 'RUB', secret, paymentId),
  };
}

/** Expects the one refusal log line, with the stable code, and returns its message. */
function onlyRefusal(shop: Shop, code: string): LogLine {
  const refusals = shop.refusals();
  expect(refusals).toHaveLength(1);
  expect(refusals[0]!.level).toBe('warn');
  expect(refusals[0]!.fields['code']).toBe(code);
  return refusals[0]!;
}

function expectNoSecretLogged(shop: Shop): void {
  const text = JSON.stringify(shop.logs);
  for (const secret of [shop.merchant.secret1, shop.merchant.secret2, shop.merchant.apiKey]) {
    expect(text).not.toContain(secret);
  }
}

describe('AAIO notification refusals say the likely cause in the log', () => {
  it('a genuine notification is accepted and logs no refusal', async () => {
    const shop = await startShop();
    const paymentId = await shop.pendingPayment();
    const answer = await shop.notify(notification(shop, paymentId));
    expect(answer).toEqual({ status: 200, text: 'OK' });
    expect((await shop.payments.get(paymentId))?.status).toBe('paid');
    expect(shop.refusals()).toEqual([]);
  });

  it('a sign made with another secret #2: 401 callback_unauthorized, the log names a wrong secret #2 or a reformatted amount', async () => {
    const shop = await startShop();
    const paymentId = await shop.pendingPayment();
    const answer = await shop.notify(
      notification(shop, paymentId, { secret: 'not-the-shops-secret-2-000000' }),
    );
    expect(answer.status).toBe(401);
    expect(answer.text).toMatch(/^callback_unauthorized: /);
    const line = onlyRefusal(shop, 'callback_unauthorized');
    expect(line.message).toContain('sign does not match');
    expect(line.message).toContain('wrong secret #2');
    expect(line.message).toContain('the amount was reformatted');
    expect(line.fields).toMatchObject({ orderId: paymentId, amount: '100.00', currency: 'RUB' });
    expect((await shop.payments.get(paymentId))?.status).toBe('pending');
    expectNoSecretLogged(shop);
  });

  it('an amount signed as "100.00" but posted as "100": the log says it was reformatted, and how', async () => {
    const shop = await startShop();
    const paymentId = await shop.pendingPayment();
    const answer = await shop.notify(
      notification(shop, paymentId, { amount: '100', signedAmount: '100.00' }),
    );
    expect(answer.status).toBe(401);
    const line = onlyRefusal(shop, 'callback_unauthorized');
    expect(line.message).toContain('the amount was reformatted: signed as "100.00" but posted as "100"');
    expect((await shop.payments.get(paymentId))?.status).toBe('pending');
  });

  it('a shop whose secret1 and secret2 options are swapped: the log says so', async () => {
    const real = {
      secret1: 'aaio-secret-number-one-0123456789',
      secret2: 'aaio-secret-number-two-9876543210',
    };
    const shop = await startShop({ secret1: real.secret2, secret2: real.secret1 });
    const paymentId = await shop.pendingPayment();
    const answer = await shop.notify(notification(shop, paymentId, { secret: real.secret2 }));
    expect(answer.status).toBe(401);
    expect(onlyRefusal(shop, 'callback_unauthorized').message).toContain('secret1 and secret2 are swapped');
    expectNoSecretLogged(shop);
  });

  it("another shop's merchant_id: 401 callback_unauthorized, the log says it is another shop's notification", async () => {
    const shop = await startShop();
    const paymentId = await shop.pendingPayment();
    const otherShop = randomUUID();
    const answer = await shop.notify(notification(shop, paymentId, { merchantId: otherShop }));
    expect(answer.status).toBe(401);
    expect(answer.text).toBe('callback_unauthorized: The notification is for another shop.');
    const line = onlyRefusal(shop, 'callback_unauthorized');
    expect(line.message).toContain("another shop's notification");
    expect(line.message).toContain('two AAIO shops');
    expect(line.fields['merchantId']).toBe(otherShop);
    expect((await shop.payments.get(paymentId))?.status).toBe('pending');
  });

  it('a body without the sign: 400 callback_invalid, the log says what is missing and why that happens', async () => {
    const shop = await startShop();
    const paymentId = await shop.pendingPayment();
    const { sign: _sign, ...unsigned } = notification(shop, paymentId);
    const answer = await shop.notify(unsigned);
    expect(answer.status).toBe(400);
    expect(answer.text).toBe('callback_invalid: The notification lacks sign.');
    expect(onlyRefusal(shop, 'callback_invalid').message).toContain(
      'it lacks sign: it is not an AAIO payment notification',
    );
  });

  it('a status AAIO never notifies: 400 callback_invalid, logged with the status', async () => {
    const shop = await startShop();
    const paymentId = await shop.pendingPayment();
    const answer = await shop.notify({ ...notification(shop, paymentId), status: 'refund' });
    expect(answer.status).toBe(400);
    const line = onlyRefusal(shop, 'callback_invalid');
    expect(line.message).toContain('neither success nor hold');
    expect(line.fields['status']).toBe('refund');
  });

  it('an order_id that is no payment of this store: 404 payment_not_found, the log names the likely causes', async () => {
    const shop = await startShop();
    const answer = await shop.notify(notification(shop, 'order-from-another-system'));
    expect(answer.status).toBe(404);
    expect(answer.text).toBe('payment_not_found: The notification names no payment of this shop.');
    const line = onlyRefusal(shop, 'payment_not_found');
    expect(line.message).toContain('an order created outside paymount in the same AAIO shop');
    expect(line.fields['orderId']).toBe('order-from-another-system');
  });

  it('an address outside the allowlist: 403 callback_forbidden, the log points at trust-proxy settings', async () => {
    const shop = await startShop({ ipAllowlist: ['203.0.113.7'] });
    const paymentId = await shop.pendingPayment();
    const answer = await shop.notify(notification(shop, paymentId));
    expect(answer.status).toBe(403);
    expect(answer.text).toMatch(/^callback_forbidden: /);
    const line = onlyRefusal(shop, 'callback_forbidden');
    expect(line.message).toContain('trust proxy');
    expect(line.fields['ip']).toBe('127.0.0.1');
    expect((await shop.payments.get(paymentId))?.status).toBe('pending');
  });
});
