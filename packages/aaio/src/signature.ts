import { hash } from 'node:crypto';
import { safeEqual } from '@paymount/core/provider';

/** The four values AAIO signs, exactly as sent or received (no reformatting). */
export interface AaioSignedFields {
  readonly merchantId: string;
  readonly amount: string;
  readonly currency: string;
  readonly orderId: string;
}

// The one-shot digest: no Hash object per notification (Node 20.12+, within our engines range).
function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/**
 * The sign of a payment creation (`get_pay_url` and the legacy `/merchant/pay`):
 * `sha256_hex("{merchant_id}:{amount}:{currency}:{secret1}:{order_id}")`. The amount
 * must be byte-identical to the one sent ("100" and "100.00" hash differently).
 */
export function creationSign(fields: AaioSignedFields, secret1: string): string {
  return sha256Hex(`${fields.merchantId}:${fields.amount}:${fields.currency}:${secret1}:${fields.orderId}`);
}

/** The sign AAIO puts on a payment notification: the same formula with secret key #2. */
export function notificationSign(fields: AaioSignedFields, secret2: string): string {
  return sha256Hex(`${fields.merchantId}:${fields.amount}:${fields.currency}:${secret2}:${fields.orderId}`);
}

/**
 * Checks a notification's `sign` over the raw posted strings, in constant time.
 * Hex case is ignored: the value is a digest, not a secret.
 */
export function verifyNotificationSign(fields: AaioSignedFields, sign: string, secret2: string): boolean {
  return safeEqual(notificationSign(fields, secret2), sign.trim().toLowerCase());
}
