import { createHash } from 'node:crypto';

/**
 * AAIO's sign, as its docs give it: `sha256_hex("{merchant_id}:{amount}:{currency}:{secret}:{order_id}")`,
 * secret #1 for payment creation and secret #2 for notifications. The simulator keeps
 * its own copy so it checks the provider package against the docs, not against itself.
 */
export function aaioSign(
  merchantId: string,
  amount: string,
  currency: string,
  secret: string,
  orderId: string,
): string {
  return createHash('sha256')
    .update(`${merchantId}:${amount}:${currency}:${secret}:${orderId}`, 'utf8')
    .digest('hex');
}
