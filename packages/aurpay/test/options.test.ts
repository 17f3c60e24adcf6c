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

  it("takes 'any', 'UTC' and real offsets as orderTimeZone, and refuses the rest", () => {
    const base = { apiKey: 'aurpay-key-12345' };
    for (const zone of ['any', 'UTC', 'Z', '+08:00', '-05:00', '-12:00', '+14:00', '+05:45']) {
      expect(() => aurpay({ ...base, orderTimeZone: zone })).not.toThrow();
    }
    for (const zone of ['+15:00', '-12:30', '+8', 'Asia/Shanghai', '+05:60', '']) {
      expect(() => aurpay({ ...base, orderTimeZone: zone })).toThrow(/orderTimeZone/);
    }
  });
});
