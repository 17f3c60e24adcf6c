import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCallbackBody } from '../src/provider.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** What the WHATWG form reader makes of a body, each field's first value kept. */
function firstValues(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (!Object.hasOwn(fields, key)) Object.defineProperty(fields, key, { value, enumerable: true });
  }
  return fields;
}

async function formOf(text: string): Promise<unknown> {
  return (await decodeCallbackBody(text, FORM)).value;
}

describe('url-encoded callback bodies', () => {
  it('reads every field as URLSearchParams does, whatever the escapes', async () => {
    const pieces = [
      'a',
      'sign',
      '=',
      '&',
      '+',
      '%',
      '%2B',
      '%3D',
      '%26',
      '%41',
      '%zz',
      '%E2%82%AC',
      '%E2%82',
      '%C0%AF',
      '%ED%A0%80',
      '%F0%9F%98%80',
      'é',
      '😀',
      '__proto__',
      'constructor',
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...pieces), { maxLength: 16 }), async (parts) => {
        const text = parts.join('');
        if (text === '') return;
        expect(await formOf(text)).toEqual(firstValues(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps fields named like Object.prototype members as fields', async () => {
    const fields = (await formOf('constructor=a&__proto__=b&toString=c&hasOwnProperty=d')) as Record<
      string,
      string
    >;
    expect(Object.keys(fields)).toEqual(['constructor', '__proto__', 'toString', 'hasOwnProperty']);
    expect(fields['constructor']).toBe('a');
    expect(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value).toBe('b');
    expect(fields['toString']).toBe('c');
  });

  it('keeps the first value of a repeated field, so a later one cannot override what was signed', async () => {
    expect(await formOf('amount=100.00&sign=abc&amount=1.00')).toEqual({ amount: '100.00', sign: 'abc' });
  });

  it('decodes plus signs and escapes, and keeps a stray percent sign as sent', async () => {
    expect(await formOf('desc=Bench+order%2B1&type=100%3A0&odd=50%&e=')).toEqual({
      desc: 'Bench order+1',
      type: '100:0',
      odd: '50%',
      e: '',
    });
  });
});
