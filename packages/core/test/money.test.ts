import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareAmounts,
  currencyScale,
  formatAmount,
  fromMinorUnits,
  isPaymentsError,
  toMinorUnits,
} from '../src/index.js';
import { decimalFromProvider } from '../src/provider.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isPaymentsError(error) ? error.code : 'not-a-payments-error';
  }
  return undefined;
}

describe('money', () => {
  it('formats amounts canonically in the precision of their currency', () => {
    expect(formatAmount('10', 'USD')).toBe('10.00');
    expect(formatAmount('10.5', 'usd')).toBe('10.50');
    expect(formatAmount('10.500', 'EUR')).toBe('10.50');
    expect(formatAmount('1500', 'JPY')).toBe('1500');
    expect(formatAmount('0.00102549', 'BTC')).toBe('0.00102549');
    expect(formatAmount('0.1', 'ETH')).toBe('0.100000000000000000');
    expect(currencyScale('USDT')).toBe(6);
  });

  it('rejects floats, NaN, negatives, zero, over-precise and absurd amounts with invalid_amount', () => {
    for (const bad of [
      0.1 + 0.2,
      10.005,
      -5,
      0,
      Number.POSITIVE_INFINITY,
      2 ** 60,
      Number.NaN,
      '-1',
      '0',
      '0.00',
      '10.001',
      '1e3',
      '10,00',
      ' 10',
      '',
      '1'.repeat(16),
      null,
    ]) {
      expect(
        codeOf(() => formatAmount(bad, 'USD')),
        `input ${String(bad)}`,
      ).toBe('invalid_amount');
    }
    expect(codeOf(() => formatAmount('10', 'not a currency'))).toBe('invalid_amount');
    expect(codeOf(() => formatAmount('10.5', 'JPY'))).toBe('invalid_amount');
    expect(codeOf(() => formatAmount(10.5, 'JPY'))).toBe('invalid_amount');
  });

  it('takes a JS integer as whole units and a fraction whose shortest form fits the currency', () => {
    expect(formatAmount(499, 'USD')).toBe('499.00');
    expect(formatAmount(10.5, 'USD')).toBe('10.50');
    expect(formatAmount(19.99, 'EUR')).toBe('19.99');
    expect(formatAmount(1500, 'JPY')).toBe('1500');
    expect(formatAmount(1e-7, 'BTC')).toBe('0.00000010');
    expect(formatAmount(0.001, 'KWD')).toBe('0.001');
  });

  it('refuses an inexact JS number with a message that shows the value and the fix', () => {
    let message = '';
    try {
      formatAmount(0.1 + 0.2, 'USD');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('0.30000000000000004 (a JS number)');
    expect(message).toContain('"0.30"');
    expect(message).toContain('amountMinor');
  });

  it('accepts exactly the JS numbers whose shortest decimal form fits the precision (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-9, max: 1e12, noNaN: true }),
        fc.constantFrom('USD', 'JPY', 'BTC', 'KWD'),
        (value, currency) => {
          const scale = currencyScale(currency);
          const shortest = String(value).includes('e') ? null : String(value);
          const decimals =
            shortest === null ? Number.POSITIVE_INFINITY : (shortest.split('.')[1] ?? '').length;
          if (decimals <= scale) {
            const text = formatAmount(value, currency);
            // Exact: the canonical string reads back as the very same number.
            expect(Number(text)).toBe(value);
            expect(compareAmounts(text, shortest ?? '')).toBe(0);
          } else if (shortest !== null) {
            expect(codeOf(() => formatAmount(value, currency))).toBe('invalid_amount');
          }
        },
      ),
    );
  });

  it('takes every amount of minor units written as a JS number, and refuses one digit more (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 ** 12 }),
        fc.constantFrom('USD', 'JPY', 'KWD'),
        fc.integer({ min: 1, max: 9 }),
        (minor, currency, extra) => {
          const exact = fromMinorUnits(minor, currency);
          // A price of at most 15 significant digits prints back the same as a JS number.
          expect(formatAmount(Number(exact), currency)).toBe(exact);
          const scale = currencyScale(currency);
          const tooFine = Number(`${exact}${scale === 0 ? '.' : ''}${extra}`);
          expect(codeOf(() => formatAmount(tooFine, currency))).toBe('invalid_amount');
        },
      ),
    );
  });

  it('compares decimals exactly whatever their number of decimals', () => {
    expect(compareAmounts('100', '100.00')).toBe(0);
    expect(compareAmounts('100.0', '100.00')).toBe(0);
    expect(compareAmounts('10.54', '10.540')).toBe(0);
    expect(compareAmounts('0.1', '0.10000000000000001')).toBe(-1);
    expect(compareAmounts('99.99', '100')).toBe(-1);
    expect(compareAmounts('100.01', '100')).toBe(1);
  });

  it('converts to and from integer minor units without floats', () => {
    expect(toMinorUnits('10.50', 'USD')).toBe(1050n);
    expect(fromMinorUnits(1050, 'USD')).toBe('10.50');
    expect(fromMinorUnits(7n, 'BTC')).toBe('0.00000007');
    expect(codeOf(() => fromMinorUnits(10.5, 'USD'))).toBe('invalid_amount');
  });

  it('reads provider amounts given as strings or JSON numbers', () => {
    expect(decimalFromProvider('100.0')).toBe('100.0');
    expect(decimalFromProvider(500)).toBe('500');
    expect(decimalFromProvider(10.54)).toBe('10.54');
    expect(decimalFromProvider(1e-7)).toBe('0.0000001');
    expect(decimalFromProvider('abc')).toBeNull();
    expect(decimalFromProvider(-3)).toBeNull();
    expect(decimalFromProvider({})).toBeNull();
  });

  it('round-trips every amount in minor units through its canonical string (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 14n }),
        fc.constantFrom('USD', 'JPY', 'BTC', 'KWD'),
        (minor, currency) => {
          const text = fromMinorUnits(minor, currency);
          expect(toMinorUnits(text, currency)).toBe(minor);
          expect(formatAmount(text, currency)).toBe(text);
        },
      ),
    );
  });

  it('orders amounts the way their minor units order (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (a, b) => {
          const sign = a === b ? 0 : a < b ? -1 : 1;
          expect(compareAmounts(fromMinorUnits(a, 'USD'), fromMinorUnits(b, 'BTC'))).toBe(
            // BTC has 8 decimals, USD 2: compare a*10^6 with b.
            a * 10n ** 6n === b ? 0 : a * 10n ** 6n < b ? -1 : 1,
          );
          expect(compareAmounts(fromMinorUnits(a, 'USD'), fromMinorUnits(b, 'USD'))).toBe(sign);
        },
      ),
    );
  });
});
