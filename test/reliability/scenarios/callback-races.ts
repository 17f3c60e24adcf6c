// The timing faults every integration meets: the buyer back before the webhook, the
// webhook after expiry, a timeout after payment, callbacks out of order, a notification
// that never comes, and amounts that are short, long or written differently.
import { afterAll, describe, expect, it } from 'vitest';
import { figure } from '../support/figures.js';
import { type HookCall, type Shop, type ShopOptions, send, startShop } from '../support/shop.js';

const shops: Shop[] = [];
afterAll(async () => {
  for (const shop of shops) await shop.close();
});

async function shopWith(options: ShopOptions = {}): Promise<Shop> {
  const shop = await startShop(options);
  shops.push(shop);
  return shop;
}

const COIN = { method: 'ETH:USDT-ERC20' };
const summary = (calls: readonly HookCall[], id: string): string =>
  calls
    .filter((c) => c.paymentId === id)
    .map((c) => c.hook)
    .join(',') || 'none';

async function returnTo(shop: Shop, path: string): Promise<string> {
  const res = await send(`${shop.base}/pay${path}`);
  expect(res.status).toBe(303);
  return String(res.headers['location']).replace(shop.base, '');
}

describe('buyer return and webhook races', () => {
  it('aurpay: the buyer returns before the webhook; the late webhook changes nothing more', async () => {
    const shop = await shopWith({ providers: ['aurpay'] });
    shop.aurpaySim.faults.callbacks = 'hold';
    const payment = await shop.checkout('RACE-A1', 'aurpay', '10.00', COIN);
    await shop.aurpaySim.pay(payment.payUrl!);
    const landing = await returnTo(shop, `/return/${payment.id}`);
    const statuses = await shop.aurpaySim.releaseHeld();
    const calls = await shop.hooks();
    await figure(
      {
        area: 'races',
        scenario: 'aurpay: buyer returns before the webhook',
        sent: 2,
        result: `landing=${landing} webhook=${statuses.join(',')} hooks=${summary(calls, payment.id)}`,
      },
      async () => {
        expect(landing).toBe('/thanks/RACE-A1');
        expect(statuses).toEqual([200]);
        expect(summary(calls, payment.id)).toBe('onPaid');
      },
    );
  });

  it('aaio: the buyer returns before the notification; the late notification changes nothing more', async () => {
    const shop = await shopWith({ providers: ['aaio'] });
    shop.aaioSim.settings.notifyDelayMs = 100;
    const payment = await shop.checkout('RACE-B1', 'aaio');
    await shop.aaioSim.pay(payment.id);
    const landing = await returnTo(shop, `/return?order_id=${payment.id}`);
    await shop.aaioSim.idle();
    const calls = await shop.hooks();
    const notified = shop.aaioSim.notifications.map((n) => n.status);
    await figure(
      {
        area: 'races',
        scenario: 'aaio: buyer returns before the notification',
        sent: 2,
        result: `landing=${landing} notification=${notified.join(',')} hooks=${summary(calls, payment.id)}`,
      },
      () => {
        expect(landing).toBe('/thanks/RACE-B1');
        expect(notified).toEqual([200]);
        expect(summary(calls, payment.id)).toBe('onPaid');
      },
    );
  });

  it('aurpay: a webhook after expiry still pays (late payment)', async () => {
    const shop = await shopWith({ providers: ['aurpay'] });
    const payment = await shop.checkout('RACE-A2', 'aurpay');
    await shop.aurpaySim.expire(payment.payUrl!);
    const expired = (await shop.payments.get(payment.id))?.status;
    await shop.aurpaySim.pay(payment.payUrl!);
    const calls = await shop.hooks();
    await figure(
      {
        area: 'races',
        scenario: 'aurpay: webhook after expiry',
        sent: 2,
        result: `${expired}->${(await shop.payments.get(payment.id))?.status} hooks=${summary(calls, payment.id)}`,
      },
      async () => {
        expect(expired).toBe('expired');
        expect((await shop.payments.get(payment.id))?.status).toBe('paid');
        expect(summary(calls, payment.id)).toBe('onExpired,onPaid');
      },
    );
  });

  it('aaio: a notification after paymount expired the payment still pays it', async () => {
    const clock = { offsetMs: 0 };
    const shop = await shopWith({
      providers: ['aaio'],
      aaio: { checkoutMode: 'pay_url', orderLifetimeMs: 3_600_000 },
      payments: { now: () => new Date(Date.now() + clock.offsetMs), reconcile: { firstCheckAfterMs: 0 } },
    });
    const payment = await shop.checkout('RACE-B2', 'aaio');
    // The buyer wanders off; two hours on, AAIO has never seen the order and paymount expires it.
    clock.offsetMs = 2 * 3_600_000;
    await shop.payments.reconcile();
    const expired = (await shop.payments.get(payment.id))?.status;
    // Then the buyer opens the old link after all, and pays.
    expect((await send(payment.payUrl!)).status).toBe(302);
    await shop.aaioSim.pay(payment.id);
    const calls = await shop.hooks();
    const now = (await shop.payments.get(payment.id))?.status;
    await figure(
      {
        area: 'races',
        scenario: 'aaio: notification after expiry',
        sent: 1,
        result: `${expired}->${now} hooks=${summary(calls, payment.id)}`,
      },
      () => {
        expect(expired).toBe('expired');
        expect(now).toBe('paid');
        expect(summary(calls, payment.id)).toBe('onExpired,onPaid');
      },
    );
  });

  it('paid then timeout: a timeout after payment never takes the payment back', async () => {
    const shop = await shopWith();
    const a = await shop.checkout('RACE-A3', 'aurpay');
    await shop.aurpaySim.pay(a.payUrl!);
    // Aurpay's order detail then turns OVERDUE and the timeout callback comes.
    const [timeout] = await shop.aurpaySim.expire(a.payUrl!);
    const b = await shop.checkout('RACE-B3', 'aaio');
    await shop.aaioSim.pay(b.id);
    shop.aaioSim.expire(b.id);
    await shop.payments.reconcile();
    const calls = await shop.hooks();
    const statuses = [(await shop.payments.get(a.id))?.status, (await shop.payments.get(b.id))?.status];
    await figure(
      {
        area: 'races',
        scenario: 'paid then timeout (aurpay callback, aaio expiry)',
        sent: 2,
        result: `timeout reply=${timeout?.status} statuses=${statuses.join(',')} hooks=${summary(calls, a.id)}/${summary(calls, b.id)}`,
      },
      () => {
        expect(timeout?.status).toBe(200);
        expect(statuses).toEqual(['paid', 'paid']);
        expect(summary(calls, a.id)).toBe('onPaid');
        expect(summary(calls, b.id)).toBe('onPaid');
      },
    );
  });

  it('aurpay: callbacks delayed and delivered in reverse order end paid, onPaid once', async () => {
    const shop = await shopWith({ providers: ['aurpay'] });
    shop.aurpaySim.faults.callbacks = 'hold';
    const payment = await shop.checkout('RACE-A4', 'aurpay', '10.00', COIN);
    await shop.aurpaySim.expire(payment.payUrl!);
    await shop.aurpaySim.pay(payment.payUrl!);
    const statuses = await shop.aurpaySim.releaseHeld({ reverse: true });
    const calls = await shop.hooks();
    await figure(
      {
        area: 'races',
        scenario: 'aurpay: timeout + late payment callbacks reversed',
        sent: statuses.length,
        result: `replies=${statuses.join(',')} status=${(await shop.payments.get(payment.id))?.status} hooks=${summary(calls, payment.id)}`,
      },
      async () => {
        expect(statuses).toEqual([200, 200]);
        expect((await shop.payments.get(payment.id))?.status).toBe('paid');
        expect(summary(calls, payment.id)).toBe('onPaid');
      },
    );
  });
});

describe('lost notifications', () => {
  it('reconcile() finds payments whose notification never came', async () => {
    const shop = await shopWith({ payments: { reconcile: { firstCheckAfterMs: 0 } } });
    shop.aurpaySim.faults.callbacks = 'drop';
    const a = await shop.checkout('LOST-A1', 'aurpay', '10.00', COIN);
    const b = await shop.checkout('LOST-B1', 'aaio');
    await shop.aurpaySim.pay(a.payUrl!);
    await shop.aaioSim.pay(b.id, { notify: 'never' });
    const pendingBefore = [(await shop.payments.get(a.id))?.status, (await shop.payments.get(b.id))?.status];
    const report = await shop.payments.reconcile();
    const calls = await shop.hooks();
    await figure(
      {
        area: 'lost',
        scenario: 'notification lost (aurpay coin, aaio): reconcile()',
        sent: 2,
        result: `before=${pendingBefore.join(',')} checked=${report.checked} changed=${report.changed} onPaid=${calls.filter((c) => c.hook === 'onPaid').length}`,
      },
      () => {
        expect(pendingBefore).toEqual(['pending', 'pending']);
        expect(report).toEqual({ checked: 2, changed: 2, errors: 0 });
        expect(calls.map((c) => `${c.hook}:${c.paymentId}`).sort()).toEqual(
          [`onPaid:${a.id}`, `onPaid:${b.id}`].sort(),
        );
      },
    );
  });

  it('the background reconciler finds it on its own', async () => {
    const shop = await shopWith({
      providers: ['aaio'],
      payments: { reconcile: { intervalMs: 50, firstCheckAfterMs: 0 }, hookDelivery: { pollIntervalMs: 50 } },
    });
    const payment = await shop.checkout('LOST-B2', 'aaio');
    await shop.aaioSim.pay(payment.id, { notify: 'never' });
    const call = await shop.hookCalled('onPaid', payment.id);
    await figure(
      {
        area: 'lost',
        scenario: 'notification lost (aaio): background reconciler',
        sent: 0,
        result: `onPaid attempt=${call.attempt} status=${(await shop.payments.get(payment.id))?.status}`,
      },
      async () => {
        expect((await shop.payments.get(payment.id))?.status).toBe('paid');
      },
    );
  });
});

describe('partial, over and differently written payments', () => {
  it('short and long payments become anomalies, never paid; amounts are compared as decimals', async () => {
    const shop = await shopWith({ aaioSim: { amountEcho: 'normalized', infoPayAmounts: 'number' } });
    const a = await shop.checkout('AMT-A1', 'aurpay');
    await shop.aurpaySim.pay(a.payUrl!, { amount: '9.00' });
    const under = await shop.checkout('AMT-B1', 'aaio');
    await shop.aaioSim.pay(under.id, { amount: '9.99' });
    const over = await shop.checkout('AMT-B2', 'aaio');
    await shop.aaioSim.pay(over.id, { amount: '10.01' });
    // AAIO writes 10.00 back as "10" in the notification and as the JSON number 10 in info-pay.
    const exact = await shop.checkout('AMT-B3', 'aaio', '10.00');
    await shop.aaioSim.pay(exact.id);
    const calls = await shop.hooks();
    const state = async (id: string) => {
      const p = await shop.payments.get(id);
      return `${p?.status}${p?.anomaly ? `/${p.anomaly}` : ''}`;
    };
    const rows: [string, string, string, string][] = [
      ['aurpay: paid 9.00 of 10.00 (PARTIAL)', a.id, 'anomaly/partial', 'onAnomaly'],
      ['aaio: paid 9.99 of 10.00', under.id, 'anomaly/underpaid', 'onAnomaly'],
      ['aaio: paid 10.01 of 10.00', over.id, 'anomaly/overpaid', 'onAnomaly'],
      ['aaio: 10.00 echoed as "10" and JSON 10', exact.id, 'paid', 'onPaid'],
    ];
    for (const [name, id, expected, hook] of rows) {
      const got = await state(id);
      await figure(
        { area: 'amounts', scenario: name, sent: 1, result: `${got} hooks=${summary(calls, id)}` },
        () => {
          expect(got).toBe(expected);
          expect(summary(calls, id)).toBe(hook);
        },
      );
    }
  });
});
