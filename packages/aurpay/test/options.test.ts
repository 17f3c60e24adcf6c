import { aurpay } from '@paymount/aurpay';
import type { PaymentsConfigError } from '@paymount/core';
import { describe, expect, it } from 'vitest';

describe('aurpay: options', () => {
  it('lists every configuration problem at once', () => {
    let error: PaymentsConfigError | undefined;
    try {
      aurpay({ baseUrl: 'ftp://x', priceFormat: 'float' as 'number', callbackToken: 't' });
    } catch (e) {
      error = e as PaymentsConfigError;
    }
    expect(error?.code).toBe('config_invalid');
    expect(error?.problems.join('\n')).toMatch(/apiKey/);
    expect(error?.problems.join('\n')).toMatch(/baseUrl/);
    expect(error?.problems.join('\n')).toMatch(/priceFormat/);
    expect(error?.problems.join('\n')).toMatch(/callbackToken/);
  });
});
