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
      10.5,
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
