import { aaio } from '@paymount/aaio';
import { PaymentsConfigError } from '@paymount/core';
import { describe, expect, it } from 'vitest';

describe('AAIO provider options', () => {
  it('lists every problem at start-up and never echoes a secret', () => {
    let error: unknown;
    try {
      aaio({
        merchantId: 'not-a-uuid',
        secret1: '',
        secret2: 'very-secret-two',
        apiKey: 'k',
        baseUrl: 'ftp://x',
        ipAllowlist: ['nope'],
        method: 'sbp&amount=1',
        methodLimitsTtlMs: -1,
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PaymentsConfigError);
    const problems = (error as PaymentsConfigError).problems.join('\n');
    expect(problems).toMatch(/merchantId/);
    expect(problems).toMatch(/secret1/);
    expect(problems).toMatch(/baseUrl/);
    expect(problems).toMatch(/ipAllowlist/);
    expect(problems).toMatch(/aaio\.method:/);
    expect(problems).toMatch(/methodLimitsTtlMs/);
    expect(problems).not.toContain('very-secret-two');
  });

  it('reads the payment id from AAIO’s Success/Fail redirect only when it is one', () => {
    const provider = aaio({
      merchantId: 'f56b279c-d250-11ed-afa1-0242ac120002',
      secret1: 'a',
      secret2: 'b',
      apiKey: 'c',
    });
    expect(provider.paymentIdFromReturn?.(new URLSearchParams('order_id=pm_abcdefghijklmnopqrstuvwx'))).toBe(
      'pm_abcdefghijklmnopqrstuvwx',
    );
    expect(provider.paymentIdFromReturn?.(new URLSearchParams('order_id=../../admin'))).toBeNull();
    expect(provider.callbackReply({ ok: true })).toMatchObject({ status: 200, body: 'OK' });
  });
});

/** The shared provider suite, run against the AAIO simulator. */
