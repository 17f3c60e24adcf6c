// What a broken, compromised or confused provider API might answer, as fast-check
// arbitraries. Every "broken" answer is broken beyond doubt (a wrong type, an unknown
// status, another order), never merely unusual but valid: an answer that is valid and
// matches the payment may move it, and these must not.
import fc from 'fast-check';
import { type FakeAnswer, json } from './fake-provider.js';

/** Text an attacker would try: header injection, NUL, bidi, markup, traversal, prototype keys. */
const HOSTILE = [
  '\r\nSet-Cookie: sid=evil',
  '\u0000',
  '\u202eevil',
  'javascript:alert(1)',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  '%00%0d%0a',
  '𝄞',
  ' ',
  '',
];

export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(300_000)) },
);

/** JSON values of every type but a string. */
export const notText: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** Amounts no reading can take for a decimal: wrong types, signs, separators, exponents. */
export const brokenAmount: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'abc',
    '1e3',
    '10,00',
    '10.00.0',
    '-10.00',
    '+10',
    'NaN',
    'Infinity',
    '0x10',
    '１０',
  ),
  fc.constantFrom('10.00\u0000', '10.', '1_0', '10.00abc', '1'.repeat(400)),
  fc.constantFrom(null, true, false, [], [10], {}, { amount: '10.00' }),
  fc.integer({ min: -1_000_000, max: -1 }),
);

const INTERNATIONAL_URLS = [
  'https://pay.aaio.test/форма/1',
  'https://пример.испытание/pay',
  'https://xn--80ak6aa92e.test/pay',
  'https://pay.test/%zz',
  'https://pay.test/a b',
  'http://[::1]:8080/pay',
  'HTTPS://PAY.TEST/UPPER',
  '//pay.test/protocol-relative',
  'ftp://pay.test/file',
  'data:text/html,<script>alert(1)</script>',
  'https://user:pass@pay.test/',
  'https://pay.test:99999/',
  `https://pay.test/${'a'.repeat(20_000)}`,
];

/** Pay URLs: well-formed ones, odd-but-valid ones, hostile ones and things that are no URL at all. */
export const payUrl: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true }),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.webUrl({ validSchemes: ['https'] }), hostileText)
      .map(([url, tail]) => `${url}/${tail}`),
  },
  { weight: 2, arbitrary: fc.constantFrom(...INTERNATIONAL_URLS) },
  { weight: 2, arbitrary: hostileText },
  { weight: 1, arbitrary: notText },
);

/** Answers that are broken as a whole, whatever the endpoint: status, bytes, shape, size. */
export function brokenBody(valid: () => unknown): fc.Arbitrary<FakeAnswer> {
  const text = (body: string | Buffer, status = 200): FakeAnswer => ({ status, body });
  return fc.oneof(
    fc.integer({ min: 400, max: 599 }).map((status) => json(valid(), status)),
    fc
      .tuple(fc.integer({ min: 200, max: 599 }), fc.jsonValue({ maxDepth: 3 }))
      .map(([status, value]) => json(value, status)),
    fc.string({ maxLength: 200 }).map((body) => text(`<html>${body}</html>`)),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => text(Buffer.from(bytes))),
    fc.nat({ max: 400 }).map((n) => text(JSON.stringify(valid()).slice(0, n))),
    fc
      .oneof(fc.array(fc.jsonValue({ maxDepth: 2 })), fc.integer(), fc.string(), fc.constant(null))
      .map((v) => json(v)),
    fc.constant(text('')),
    fc.constant(text(`{"type":"success","code":0,"result":true,"data":"${'y'.repeat(1_000_000)}"}`)),
    fc.constant(text(`${'['.repeat(20_000)}${']'.repeat(20_000)}`)),
    fc.constant(text('{"__proto__":{"status":"success","type":"success","code":0,"polluted":true}}')),
  );
}

/**
 * A valid answer about some order with exactly one field broken, as a builder that
 * takes the order id when the run knows it. A broken value that happens to equal the
 * valid one is changed, so the field is always really broken.
 */
export function withOneBroken(
  valid: (id: string) => Record<string, unknown>,
  breakers: Readonly<Record<string, fc.Arbitrary<unknown>>>,
): fc.Arbitrary<(id: string) => Record<string, unknown>> {
  const keys = Object.keys(breakers);
  return fc.constantFrom(...keys).chain((key) =>
    breakers[key]!.map((value) =>
      described(`${key} = ${String(JSON.stringify(value)).slice(0, 120)}`, (id: string) => {
        const body = valid(id);
        return { ...body, [key]: value === body[key] ? `${String(value)}x` : value };
      }),
    ),
  );
}

/** Gives a generated function the text fast-check prints for a counterexample. */
export function described<F extends (...args: never[]) => unknown>(text: string, fn: F): F {
  return Object.assign(fn, { [fc.toStringMethod]: () => text });
}

/** What fast-check prints for a fake answer: its status and the start of its body. */
export function describeAnswer(answer: FakeAnswer): string {
  return `HTTP ${answer.status} ${String(answer.body).slice(0, 120)}`;
}

/** Text that is neither of `taken` (case kept, as the provider's docs spell them). */
export const textOtherThan = (taken: readonly string[], fold = (s: string) => s): fc.Arbitrary<string> =>
  hostileText.filter((s) => !taken.includes(fold(s)));
