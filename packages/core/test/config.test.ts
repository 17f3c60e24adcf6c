import { describe, expect, it } from 'vitest';
import { createPayments, memoryStore, PaymentsConfigError, type PaymentsOptions } from '../src/index.js';
import { testProvider } from '../src/testing.js';

function valid(): PaymentsOptions {
  return {
    publicUrl: 'https://shop.example/pay',
    secret: 'a'.repeat(32),
    store: memoryStore(),
    providers: { test: testProvider() },
    loadOrder: async () => null,
    returnUrls: { success: '/ok/{orderId}', pending: '/wait', failure: 'https://shop.example/failed' },
  };
}

function problemsOf(options: unknown): readonly string[] {
  try {
    createPayments(options as PaymentsOptions).close();
  } catch (error) {
    expect(error).toBeInstanceOf(PaymentsConfigError);
    const configError = error as PaymentsConfigError;
    expect(configError.code).toBe('config_invalid');
    for (const problem of configError.problems) expect(configError.message).toContain(problem);
    return configError.problems;
  }
  throw new Error('createPayments accepted the options');
}

describe('createPayments configuration', () => {
  it('accepts a valid configuration and never mutates the options object', async () => {
    const options = valid();
    const snapshot = { ...options, returnUrls: { ...options.returnUrls } };
    const payments = createPayments(options);
    expect(options).toEqual(snapshot);
    expect(payments.publicUrl).toBe('https://shop.example/pay');
    await payments.close();
  });

  it('says what is wrong with a missing or short secret', () => {
    expect(problemsOf({ ...valid(), secret: undefined })).toEqual([
      'secret: is required: a random string of at least 32 characters',
    ]);
    expect(problemsOf({ ...valid(), secret: 'short' })).toEqual([
      'secret: must be at least 32 characters long',
    ]);
  });

  it('says what is wrong with publicUrl', () => {
    const expected =
      'publicUrl: must be an absolute http(s) URL without query or fragment, like "https://shop.example/pay"';
    expect(problemsOf({ ...valid(), publicUrl: '/pay' })).toEqual([expected]);
    expect(problemsOf({ ...valid(), publicUrl: 'ftp://shop.example/pay' })).toEqual([expected]);
    expect(problemsOf({ ...valid(), publicUrl: 'https://shop.example/pay?x=1' })).toEqual([expected]);
  });

  it('names an unknown provider in returnUrls and defaultProvider', () => {
    expect(
      problemsOf({
        ...valid(),
        defaultProvider: 'stripe',
        returnUrls: { ...valid().returnUrls, byProvider: { aaio: { success: '/x' } } },
      }),
    ).toEqual([
      'defaultProvider: "stripe" is not a configured provider (configured: test)',
      'returnUrls.byProvider.aaio: "aaio" is not a configured provider (configured: test)',
    ]);
  });

  it('refuses return URLs that could redirect buyers off the shop', () => {
    expect(
      problemsOf({
        ...valid(),
        returnUrls: { success: '//evil.example/x', pending: 'https://evil.example/', failure: 'nope' },
      }),
    ).toEqual([
      'returnUrls.success: "//evil.example/x" is protocol-relative and could leave the shop; use "/path" or an absolute URL',
      'returnUrls.pending: "https://evil.example/" points to https://evil.example, which is neither publicUrl\'s origin nor in allowedRedirectOrigins',
      'returnUrls.failure: "nope" must be a path starting with "/" or an absolute URL',
    ]);
    const allowed = createPayments({
      ...valid(),
      allowedRedirectOrigins: ['https://www.shop.example'],
      returnUrls: { success: 'https://www.shop.example/ok', pending: '/w', failure: '/f' },
    });
    return allowed.close();
  });

  it('says what a store, provider, loadOrder and hook must be', () => {
    expect(
      problemsOf({
        ...valid(),
        store: {},
        providers: { test: {} },
        loadOrder: 'orders',
        hooks: { onPaid: 'yes', onPayd: () => {} },
      }),
    ).toEqual([
      'store: must be a payment store such as memoryStore(), sqliteStore(…) or postgresStore(…)',
      'providers.test: must be a provider such as aurpay({…}) or aaio({…})',
      'loadOrder: is required: an async function (orderId) => ({ amount, currency }) | null',
      'hooks.onPaid: must be a function',
      'hooks: Unrecognized key: "onPayd"',
    ]);
  });

  it('lists every problem at once, including misspelt options', () => {
    const problems = problemsOf({ publicUrl: 'nope', secert: 'x', providers: {}, returnUrls: {} });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^publicUrl:/),
        'secret: is required: a random string of at least 32 characters',
        expect.stringMatching(/^store:/),
        'providers: must name at least one provider',
        expect.stringMatching(/^loadOrder:/),
        'returnUrls.success: is required',
        'options: Unrecognized key: "secert"',
      ]),
    );
  });

  it('refuses a provider name that cannot be a route segment', () => {
    expect(problemsOf({ ...valid(), providers: { 'My Provider': testProvider() } })).toEqual([
      'providers.My Provider: provider names are lower-case letters, digits, "-" and "_" (max 32)',
    ]);
  });
});

describe('isPaymentsError', () => {
  it('recognises payments and config errors from another copy of core, and nothing else', async () => {
    const { isPaymentsError } = await import('../src/index.js');
    class ForeignConfigError extends Error {
      code = 'config_invalid';
      status = 500;
      problems = ['x'];
      override name = 'PaymentsConfigError';
    }
    expect(isPaymentsError(new ForeignConfigError('from a CJS copy'))).toBe(true);
    expect(isPaymentsError(new PaymentsConfigError(['y']))).toBe(true);
    expect(isPaymentsError(Object.assign(new Error('nope'), { code: 'ECONNRESET', status: 500 }))).toBe(
      false,
    );
    expect(isPaymentsError({ code: 'config_invalid', status: 500 })).toBe(false);
    expect(isPaymentsError(null)).toBe(false);
  });
});

describe('currencyScales', () => {
  it('belong to one createPayments instance: another instance keeps its own precision', async () => {
    const order = { amount: '1.123456789', currency: 'GRAM' };
    const options = (scales?: Record<string, number>): PaymentsOptions => ({
      ...valid(),
      store: memoryStore(),
      loadOrder: async () => order,
      hookDelivery: { pollIntervalMs: 0 },
      ...(scales ? { currencyScales: scales } : {}),
    });
    const nine = createPayments(options({ gram: 9 }));
    const two = createPayments(options({ GRAM: 2 }));
    const plain = createPayments(options());
    try {
      const paid = await nine.checkout({ orderId: 'gram-1' });
      expect(paid.payment.amount).toBe('1.123456789');
      // The same order is too precise where GRAM has two decimals (set, or the default for unknown codes).
      await expect(two.checkout({ orderId: 'gram-1' })).rejects.toMatchObject({ code: 'order_invalid' });
      await expect(plain.checkout({ orderId: 'gram-1' })).rejects.toMatchObject({ code: 'order_invalid' });
      expect((await nine.checkout({ orderId: 'gram-2' })).payment.amount).toBe('1.123456789');
    } finally {
      await Promise.all([nine.close(), two.close(), plain.close()]);
    }
  });
});
