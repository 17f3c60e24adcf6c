// Generated answers of each provider's API calls, built on the documented answers in
// fake-provider.ts and the generic garbage in garbage.ts. Checkout answers may be valid or
// not (the shop must cope either way); the status answers are broken beyond doubt, so
// none of them may move a payment.
import fc from 'fast-check';
import {
  AAIO,
  aaioInfoPay,
  aaioPayUrl,
  aurpayEnvelope,
  aurpayOrder,
  type FakeAnswer,
  json,
} from './fake-provider.js';
import {
  brokenAmount,
  brokenBody,
  describeAnswer,
  described,
  hostileText,
  notText,
  payUrl,
  textOtherThan,
  withOneBroken,
} from './garbage.js';

// --- AAIO ------------------------------------------------------------------------------------

const AAIO_STATUSES = ['in_process', 'success', 'hold', 'expired'];

export const getPayUrlAnswers: fc.Arbitrary<FakeAnswer> = fc.oneof(
  { weight: 5, arbitrary: payUrl.map((url) => aaioPayUrl(url)) },
  {
    weight: 1,
    arbitrary: textOtherThan(['success']).map((type) => json({ type, url: 'https://pay.aaio.test/1' })),
  },
  { weight: 3, arbitrary: brokenBody(() => ({ type: 'success', url: 'https://pay.aaio.test/1' })) },
);

/** Builders of info-pay answers that no reading can take for a valid one about the order asked. */
const PLACEHOLDER = 'pm_placeholder';
const paidInfoPay = (id: string) =>
  JSON.parse(aaioInfoPay(id, { status: 'success' }).body as string) as Record<string, unknown>;
export const brokenInfoPay: fc.Arbitrary<(id: string) => FakeAnswer> = fc.oneof(
  {
    weight: 6,
    arbitrary: withOneBroken(paidInfoPay, {
      type: fc.oneof(textOtherThan(['success']), notText),
      status: fc.oneof(
        textOtherThan(AAIO_STATUSES),
        notText,
        fc.constantFrom('SUCCESS', 'Success', 'success '),
      ),
      amount: brokenAmount,
      currency: notText,
      order_id: fc.oneof(hostileText, notText),
      merchant_id: fc.oneof(
        textOtherThan([AAIO.merchantId], (s) => s.toLowerCase()),
        notText,
      ),
    }).map((build) => described(fc.stringify(build), (id: string) => json(build(id)))),
  },
  {
    weight: 3,
    arbitrary: brokenBody(() => paidInfoPay(PLACEHOLDER)).map((answer) =>
      described(describeAnswer(answer), () => answer),
    ),
  },
);

// --- Aurpay ------------------------------------------------------------------------------------

const AURPAY_STATUSES = ['PENDING', 'SUCCESS', 'OVERDUE', 'RESOLVED', 'PARTIAL', 'TERMINATED', 'REFUNDED'];
const upper = (s: string): string => s.trim().toUpperCase();

/** Envelopes that are not `code: 0`: every other code, and codes of the wrong type. */
const brokenCode: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer().filter((n) => n !== 0),
  textOtherThan(['0']),
  fc.constantFrom(null, false, true, [], {}, '00', '-0', '0x0', ' 0'),
);

export function aurpayCheckoutAnswers(withOrderId: boolean): fc.Arbitrary<FakeAnswer> {
  // pay-info answers the whole order-info object, with Aurpay's order id; pay-url only the URL.
  const data = (url: unknown, orderId: unknown) =>
    withOrderId ? aurpayOrder('1', { pay_url: url, order_id: orderId }) : { pay_url: url };
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(payUrl, fc.oneof(fc.stringMatching(/^[0-9]{20}$/), hostileText, notText))
        .map(([url, orderId]) => aurpayEnvelope(data(url, orderId))),
    },
    {
      weight: 1,
      arbitrary: brokenCode.map((code) =>
        json({ code, message: 'x', data: data('https://pay.test/1', '1'), result: true }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constant(
        json({ code: 0, message: 'x', data: data('https://pay.test/1', '1'), result: false }),
      ),
    },
    {
      weight: 3,
      arbitrary: brokenBody(() => ({ code: 0, data: data('https://pay.test/1', '1'), result: true })),
    },
  );
}

/** Builders of order-detail answers that no reading can take for a valid one about the order asked. */
const successOrder = (id: string) => aurpayOrder(id, { status: 'SUCCESS' });
const successEnvelope = (id: string) => ({
  code: 0,
  message: 'success',
  data: successOrder(id),
  result: true,
});
export const brokenDetail: fc.Arbitrary<(id: string) => FakeAnswer> = fc.oneof(
  {
    weight: 5,
    arbitrary: withOneBroken(successOrder, {
      order_id: fc.oneof(hostileText, notText),
      status: fc.oneof(textOtherThan(AURPAY_STATUSES, upper), notText),
      vs_price: brokenAmount,
      vs_currency: fc.oneof(notText, fc.constantFrom('', ' ')),
    }).map((build) => described(fc.stringify(build), (id: string) => aurpayEnvelope(build(id)))),
  },
  {
    weight: 2,
    arbitrary: withOneBroken(successEnvelope, {
      code: brokenCode,
      result: fc.constant(false),
      data: fc.oneof(
        notText.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
        hostileText,
      ),
    }).map((build) => described(fc.stringify(build), (id: string) => json(build(id)))),
  },
  {
    weight: 3,
    arbitrary: brokenBody(() => successEnvelope('1')).map((answer) =>
      described(describeAnswer(answer), () => answer),
    ),
  },
);
