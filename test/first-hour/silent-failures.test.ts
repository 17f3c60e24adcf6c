// Issue 22, item 1: the first failure of a new shop was silent (500 order_invalid, nothing
// logged). Without a logger of its own, an Express 4 shop now sees every warning and error
// on the console, one line each that ends with what to do; `logger: false` silences it.
import { PaymentsError } from '@paymount/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConsoleCapture, captureConsole } from './support/console.js';
import { AAIO_MERCHANT, type FirstHourShop, startFirstHourShop } from './support/shop.js';

let shop: FirstHourShop | undefined;
let output: ConsoleCapture | undefined;
afterEach(async () => {
  output?.restore();
  await shop?.close();
  shop = undefined;
});

async function start(options: Parameters<typeof startFirstHourShop>[0] = {}): Promise<FirstHourShop> {
  shop = await startFirstHourShop(options);
  output = captureConsole();
  return shop;
}

const api = { headers: { accept: 'application/json' }, redirect: 'manual' } as const;

function expectAdvice(lines: readonly string[], ...needles: string[]): string {
  const line = lines.find((l) => needles.every((needle) => l.includes(needle)));
  expect(line, `a console line with ${needles.join(', ')} in:\n${lines.join('\n')}`).toBeDefined();
  expect(line).toContain('→ what to do: ');
  return line ?? '';
}

describe('a shop that passes no logger', () => {
  it('sees a loadOrder that threw, with its stack', async () => {
    const { url } = await start({
      payments: {
        loadOrder: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'total')");
        },
      },
    });
    const answer = await fetch(`${url}/pay/checkout/42?provider=aaio`, api);
    expect(answer.status).toBe(500);
    const line = expectAdvice(output?.lines ?? [], 'loadOrder threw', "reading 'total'");
    expect(line).toContain('at '); // the stack, into the shop's own code
  });

  it('sees a loadOrder that returned an order that cannot be paid, with the value and the fix', async () => {
    const { url } = await start({ payments: { loadOrder: () => ({ amount: 0.1 + 0.2, currency: 'RUB' }) } });
    const answer = await fetch(`${url}/pay/checkout/42?provider=aaio`, api);
    expect([answer.status, ((await answer.json()) as { error: { code: string } }).error.code]).toEqual([
      500,
      'order_invalid',
    ]);
    expectAdvice(output?.lines ?? [], 'cannot be paid', '0.30000000000000004', 'amountMinor');
  });

  it('sees a refused callback, a provider failure and a dead hook', async () => {
    const { url, payments, aaioSim } = await start({
      payments: {
        hooks: {
          onPaid: () => {
            throw new Error('orders.markPaid: no such column');
          },
        },
        hookDelivery: { pollIntervalMs: 0, maxAttempts: 1 },
      },
    });
    const forged = await fetch(`${url}/pay/callback/aaio`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        status: 'success',
        merchant_id: AAIO_MERCHANT.merchantId,
        order_id: 'pm_aaaaaaaaaaaaaaaaaaaaaaaa',
        amount: '100.00',
        currency: 'RUB',
        sign: 'f'.repeat(64),
      }).toString(),
    });
    expect(forged.status).toBe(401);
    expectAdvice(output?.lines ?? [], 'notification refused', 'callback_unauthorized', 'secret #2');

    aaioSim.setFault({ mode: 'down', times: 1 });
    expect((await fetch(`${url}/pay/checkout/42?provider=aaio`, api)).status).toBeGreaterThanOrEqual(500);
    expectAdvice(output?.lines ?? [], 'checkout', 'provider_');

    const { payment } = await payments.checkout({ orderId: '43', provider: 'aaio' });
    await aaioSim.pay(payment.id);
    expect((await payments.get(payment.id))?.status).toBe('paid');
    await payments.deliverHooks();
    expectAdvice(output?.lines ?? [], 'dead-lettered', 'no such column', 'payments.replayHook("');
  });

  it('prints nothing with logger: false, and nothing to the console with a logger of its own', async () => {
    const failing = () => {
      throw new PaymentsError('store_unavailable', 'The orders database is restarting.');
    };
    const lines: string[] = [];
    const own = {
      debug() {},
      info() {},
      warn: (_: object, m?: string) => void lines.push(m ?? ''),
      error() {},
    };
    for (const logger of [false as const, own]) {
      const { url } = await start({ payments: { logger, loadOrder: failing } });
      await fetch(`${url}/pay/checkout/42?provider=aaio`, api);
      await fetch(`${url}/pay/callback/aaio`, { method: 'POST', body: 'x=1' });
      expect(output?.lines).toEqual([]);
      output?.restore();
      await shop?.close();
      shop = undefined;
    }
    expect(lines.length).toBeGreaterThan(0);
  });
});
