// Issue 22, at the engine's HTTP face (`payments.handle`): the default logger is not
// silent and says what to do; a browser's checkout error is a page, not JSON; the return
// page's provider check is not used up by a waiting page's status poll; option groups
// given as undefined keep their defaults.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createPayments,
  ERROR_STATUS,
  memoryStore,
  PaymentsError,
  type PaymentsOptions,
  type PaymentsRequest,
} from '../src/index.js';
import { ADVICE } from '../src/logging/advice.js';
import { consoleLogger, formatLogLine } from '../src/logging/console-logger.js';
import { type TestProvider, testProvider } from '../src/testing.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const opened: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(opened.splice(0).map((p) => p.close()));
});

function shop(overrides: Partial<PaymentsOptions> = {}, provider: TestProvider = testProvider()) {
  const payments = createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: 'first-hour-secret-first-hour-secret-0123',
    store: memoryStore(),
    providers: { test: provider },
    loadOrder: (orderId) => (orderId === 'o-1' ? { amount: '10.00', currency: 'USD' } : null),
    returnUrls: {
      success: '/orders/{orderId}/thanks',
      pending: '/orders/{orderId}',
      failure: '/orders/{orderId}',
    },
    hookDelivery: { pollIntervalMs: 0, baseDelayMs: 0 },
    ...overrides,
  });
  opened.push(payments);
  return { payments, provider };
}

const get = (path: string, headers: Record<string, string> = {}, query = ''): PaymentsRequest => ({
  method: 'GET',
  path,
  query,
  headers,
});

describe('the default logger', () => {
  it('prints warnings and errors to the console, each line ending with what to do', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { payments } = shop({
      loadOrder: () => {
        throw new Error('orders table is missing');
      },
    });
    const answer = await payments.handle(get('/checkout/o-1', { accept: 'application/json' }));
    expect(answer?.status).toBe(500);
    const lines = error.mock.calls.map(([line]) => String(line));
    expect(lines.some((l) => l.includes('loadOrder threw') && l.includes('orders table is missing'))).toBe(
      true,
    );
    expect(lines.every((l) => l.includes('→ what to do: '))).toBe(true);
    const forged = await payments.handle({ method: 'POST', path: '/callback/test', headers: {}, body: '{}' });
    expect(forged?.status).toBe(401);
    expect(String(warn.mock.calls.at(-1)?.[0])).toMatch(/callback_unauthorized.*→ what to do: a forgery/);
  });

  it('stays quiet for a stranger’s unknown order, and entirely with logger: false', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { payments } = shop();
    expect((await payments.handle(get('/checkout/nobody')))?.status).toBe(404);
    expect(warn).not.toHaveBeenCalled();
    const silent = shop({ logger: false, loadOrder: () => ({ amount: 0.1 + 0.2, currency: 'USD' }) });
    expect((await silent.payments.handle(get('/checkout/o-1')))?.status).toBe(500);
    expect([warn.mock.calls, error.mock.calls]).toEqual([[], []]);
  });

  it('leaves the console alone when the shop passes its own logger, which also gets info lines', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const levels: string[] = [];
    const at = (level: string) => () => void levels.push(level);
    const { payments } = shop({
      logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    });
    await payments.checkout({ orderId: 'o-1' });
    await payments.handle({ method: 'POST', path: '/callback/test', headers: {}, body: '{}' });
    expect(levels).toEqual(expect.arrayContaining(['info', 'warn']));
    expect(warn).not.toHaveBeenCalled();
  });

  it('has what to do for every error code, and scrubs nothing it was not given', () => {
    const missing = Object.keys(ERROR_STATUS).filter((code) => !Object.hasOwn(ADVICE, code));
    expect(missing, 'add what to do for these codes to logging/advice.ts').toEqual([]);
    const lines: string[] = [];
    consoleLogger({ warn: (l) => lines.push(l), error: (l) => lines.push(l) }).info({}, 'dropped');
    expect(lines).toEqual([]);
    const line = formatLogLine('warn', { paymentId: 'pm_1', code: 'provider_timeout' }, 'paymount: slow');
    expect(line).toBe(
      `paymount warn: slow (paymentId=pm_1 code=provider_timeout) → what to do: ${ADVICE['provider_timeout']}`,
    );
  });
});

describe('errors a buyer sees', () => {
  it('send a browser to the failure page with the code; API clients keep the JSON', async () => {
    const provider = testProvider();
    const { payments } = shop({}, provider);
    const unknown = await payments.handle(get('/checkout/o-9', { accept: BROWSER_ACCEPT }));
    expect([unknown?.status, unknown?.headers['location']]).toEqual([
      303,
      'https://shop.example/orders/o-9?paymount_error=order_not_found',
    ]);
    provider.failCheckouts(new PaymentsError('provider_unavailable', 'The provider cannot be reached.'));
    const down = await payments.handle(get('/checkout/o-1', { accept: BROWSER_ACCEPT }, 'provider=test'));
    expect(down?.headers['location']).toBe(
      'https://shop.example/orders/o-1?paymount_error=provider_unavailable',
    );
    const api = await payments.handle(get('/checkout/o-1', { accept: 'application/json' }));
    expect([api?.status, JSON.parse(api?.body ?? '{}').error.code]).toEqual([503, 'provider_unavailable']);
    const script = await payments.handle(get('/checkout/o-1', { accept: BROWSER_ACCEPT }, 'format=json'));
    expect(script?.headers['content-type']).toContain('application/json');
  });

  it('use the per-provider failure page, and a page of their own where no order is named', async () => {
    const { payments } = shop({
      returnUrls: {
        success: '/s/{orderId}',
        pending: '/p/{orderId}',
        failure: '/f/{orderId}?from=pay',
        byProvider: { test: { failure: '/test-failed/{orderId}' } },
      },
    });
    const named = await payments.handle(get('/checkout/o-9', { accept: BROWSER_ACCEPT }, 'provider=test'));
    expect(named?.headers['location']).toBe(
      'https://shop.example/test-failed/o-9?paymount_error=order_not_found',
    );
    const plain = await payments.handle(get('/checkout/o-9', { accept: BROWSER_ACCEPT }));
    expect(plain?.headers['location']).toBe(
      'https://shop.example/f/o-9?from=pay&paymount_error=order_not_found',
    );
    const badId = await payments.handle(get('/checkout/%3Cscript%3E', { accept: BROWSER_ACCEPT }));
    expect([badId?.status, badId?.headers['content-type']]).toEqual([400, 'text/html; charset=utf-8']);
    expect(badId?.body).not.toContain('<script>');
    const lost = await payments.handle(
      get('/return/pm_aaaaaaaaaaaaaaaaaaaaaaaa', { accept: BROWSER_ACCEPT }),
    );
    expect([lost?.status, lost?.headers['content-type']]).toEqual([404, 'text/html; charset=utf-8']);
    expect(lost?.body).toContain('There is no payment &#34;pm_aaaaaaaaaaaaaaaaaaaaaaaa&#34;.');
  });

  it("with browserErrors: 'framework', hand the error to the adapter, a page as the fallback", async () => {
    const { payments } = shop({ browserErrors: 'framework' });
    const answer = await payments.handle(get('/checkout/o-9', { accept: BROWSER_ACCEPT }));
    expect(answer?.forwardError).toMatchObject({ code: 'order_not_found', status: 404 });
    expect(answer?.headers['content-type']).toBe('text/html; charset=utf-8');
    const json = shop({ browserErrors: 'json' });
    const plain = await json.payments.handle(get('/checkout/o-9', { accept: BROWSER_ACCEPT }));
    expect([plain?.status, plain?.forwardError]).toEqual([404, undefined]);
  });
});

describe("the return page's provider check", () => {
  it('is not skipped because a waiting page polled the status a moment before', async () => {
    let now = Date.parse('2026-05-01T10:00:00Z');
    const provider = testProvider();
    const asked: string[] = [];
    const fetchStatus = provider.fetchStatus.bind(provider);
    provider.fetchStatus = (payment, ctx) => {
      asked.push(payment.id);
      return fetchStatus(payment, ctx);
    };
    const { payments } = shop({ now: () => new Date(now) }, provider);
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    await payments.handle(get(`/status/${payment.id}`));
    expect(asked).toHaveLength(1);
    provider.setStatus(payment.id, { status: 'paid', amount: '10.00', currency: 'USD' });
    now += 500;
    const back = await payments.handle(get(`/return/${payment.id}`));
    expect(asked).toHaveLength(2);
    expect(back?.headers['location']).toBe('https://shop.example/orders/o-1/thanks');
  });
});

describe('option groups', () => {
  it('keep their defaults for fields given as undefined', async () => {
    const env: Record<string, string | undefined> = {};
    const { payments } = shop({
      defaultProvider: env['DEFAULT_PROVIDER'],
      logger: undefined,
      hookDelivery: { pollIntervalMs: 0, maxAttempts: undefined, baseDelayMs: undefined },
      checkout: { reuseWindowMs: undefined },
      reconcile: { intervalMs: undefined },
    });
    const first = await payments.checkout({ orderId: 'o-1' });
    expect((await payments.checkout({ orderId: 'o-1' })).payment.id).toBe(first.payment.id);
  });
});
