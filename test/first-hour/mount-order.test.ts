// Issue 22, item 8: with csurf in front of paymount every provider callback was a 403 from the
// shop, and nothing said why; with express-session in front, every callback got a session and
// a cookie. Mounted as the README's "Where to mount" shows — callbacks before the body parsers,
// the session and CSRF, the buyer's routes after them — neither happens and loadOrder still
// sees the session; mounted the naive way, paymount says what is wrong.
import { paymount } from '@paymount/express';
import csurf from 'csurf';
import type { Express } from 'express';
import session, { MemoryStore } from 'express-session';
import express from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConsoleCapture, captureConsole } from './support/console.js';
import { BROWSER_ACCEPT, type FirstHourShop, startFirstHourShop } from './support/shop.js';

let shop: FirstHourShop | undefined;
let output: ConsoleCapture | undefined;
afterEach(async () => {
  output?.restore();
  output = undefined;
  await shop?.close();
  shop = undefined;
});

declare module 'express-session' {
  interface SessionData {
    user?: string;
  }
}

/** The shop's session and CSRF protection, and a sign-in route that puts a user in the session. */
function sessionAndCsrf(app: Express, sessions: MemoryStore): void {
  app.use(express.urlencoded({ extended: false }));
  // saveUninitialized is express-session's default: every request that reaches it gets a session.
  app.use(
    session({ secret: 'shop-session-secret', store: sessions, resave: false, saveUninitialized: true }),
  );
  app.use(csurf());
  app.get('/login/:user', (req, res) => {
    req.session.user = req.params.user;
    res.type('text').send('signed in');
  });
}

/**
 * The README's loadOrder: only the signed-in owner may check order 42 out. Without a buyer's
 * request (paymount confirming a payment, or the shop's own code) there is no session to check.
 */
function ownerOnly(orderId: string, context: { request?: { frameworkRequest?: unknown } }) {
  const order = orderId === '42' ? { amount: '100.00', currency: 'RUB' } : null;
  if (context.request === undefined) return order;
  const req = context.request.frameworkRequest as { session?: { user?: string } } | undefined;
  return req?.session?.user === 'alice' ? order : null;
}

const sessionCount = (sessions: MemoryStore): Promise<number> =>
  new Promise((resolve, reject) => sessions.length((error, n) => (error ? reject(error) : resolve(n ?? 0))));

async function signIn(url: string): Promise<string> {
  const answer = await fetch(`${url}/login/alice`);
  return (answer.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/** AAIO's notification of a paid payment, posted as AAIO posts it (no cookie, no CSRF token). */
async function notify(current: FirstHourShop, paymentId: string): Promise<Response> {
  await current.aaioSim.pay(paymentId, { notify: 'never' });
  return fetch(`${current.url}/pay/callback/aaio`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(current.aaioSim.notificationFields(paymentId)).toString(),
  });
}

describe('paymount mounted as the README says, around express-session and csurf', () => {
  it('takes callbacks without a session or a cookie, and loadOrder sees the session', async () => {
    const sessions = new MemoryStore();
    shop = await startFirstHourShop({
      payments: { loadOrder: ownerOnly },
      build(app, payments) {
        app.use('/pay', paymount(payments.only('callback')));
        sessionAndCsrf(app, sessions);
        app.use('/pay', paymount(payments.only('checkout', 'return', 'status')));
      },
    });
    output = captureConsole();
    const stranger = await fetch(`${shop.url}/pay/checkout/42?provider=aaio`, {
      headers: { accept: BROWSER_ACCEPT },
      redirect: 'manual',
    });
    expect(stranger.headers.get('location')).toBe(`${shop.url}/orders/42?paymount_error=order_not_found`);
    const cookie = await signIn(shop.url);
    const owner = await fetch(`${shop.url}/pay/checkout/42?provider=aaio`, {
      headers: { cookie },
      redirect: 'manual',
    });
    expect(owner.headers.get('location')).toContain(shop.aaioSim.url);
    const before = await sessionCount(sessions);

    const [payment] = await shop.payments.findByOrder('42');
    const callback = await notify(shop, payment?.id ?? '');
    expect([callback.status, await callback.text()]).toEqual([200, 'OK']);
    expect(callback.headers.get('set-cookie')).toBeNull();
    expect(await sessionCount(sessions)).toBe(before);
    expect((await shop.payments.get(payment?.id ?? ''))?.status).toBe('paid');
    expect(output.lines).toEqual([]);
  });
});

describe('paymount mounted after them', () => {
  it('behind csurf: AAIO gets a 403 from the shop, and paymount says to mount it before csurf', async () => {
    const sessions = new MemoryStore();
    shop = await startFirstHourShop({
      payments: { loadOrder: ownerOnly },
      build(app, payments) {
        sessionAndCsrf(app, sessions);
        app.use('/pay', paymount(payments));
      },
    });
    output = captureConsole();
    const cookie = await signIn(shop.url);
    await fetch(`${shop.url}/pay/checkout/42?provider=aaio`, { headers: { cookie }, redirect: 'manual' });
    const [payment] = await shop.payments.findByOrder('42');
    const callback = await notify(shop, payment?.id ?? '');
    expect(callback.status).toBe(403);
    expect((await shop.payments.get(payment?.id ?? ''))?.status).toBe('pending');
    const line = output.lines.find((l) => l.includes('a CSRF middleware runs before paymount'));
    expect(line).toContain(
      '→ what to do: mount paymount(payments.only("callback")) before the CSRF middleware',
    );
  });

  it('behind express-session: each callback gets a session and a cookie, and paymount says so once', async () => {
    const sessions = new MemoryStore();
    shop = await startFirstHourShop({
      payments: { loadOrder: () => ({ amount: '100.00', currency: 'RUB' }) },
      build(app, payments) {
        app.use(
          session({ secret: 'shop-session-secret', store: sessions, resave: false, saveUninitialized: true }),
        );
        app.use('/pay', paymount(payments));
      },
    });
    output = captureConsole();
    for (const orderId of ['42', '43']) {
      const { payment } = await shop.payments.checkout({ orderId, provider: 'aaio' });
      const callback = await notify(shop, payment.id);
      expect(callback.status).toBe(200);
      expect(callback.headers.get('set-cookie')).toContain('connect.sid=');
    }
    expect(await sessionCount(sessions)).toBe(2);
    const warnings = output.lines.filter((l) => l.includes('a session middleware runs before paymount'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      '→ what to do: mount paymount(payments.only("callback")) before the session',
    );
  });
});
