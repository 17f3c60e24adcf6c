import { createHash } from 'node:crypto';
import type { Payment } from '@paymount/core';

/** The AAIO shop every callback and checkout benchmark uses. */
export const AAIO_SHOP = {
  merchantId: 'f56b279c-d250-11ed-afa1-0242ac120002',
  secret1: 'bench-secret-number-one',
  secret2: 'bench-secret-number-two',
  apiKey: 'bench-api-key',
} as const;

/** A deterministic payment id for index `i`, so runner and server agree without talking. */
export function benchPaymentId(i: number): string {
  return `pm_${i.toString(36).padStart(24, '0')}`;
}

/** A pending AAIO payment as checkout would have stored it. */
export function pendingPayment(i: number): Payment {
  const now = new Date().toISOString();
  return {
    id: benchPaymentId(i),
    orderId: `bench-${i}`,
    provider: 'aaio',
    amount: '100.00',
    currency: 'RUB',
    status: 'pending',
    providerRef: null,
    payUrl: `https://aaio.example/pay/${i}`,
    providerStatus: null,
    paidAmount: null,
    paidCurrency: null,
    anomaly: null,
    description: null,
    metadata: {},
    createdAt: now,
    updatedAt: now,
    paidAt: null,
    version: 1,
  };
}

/** The url-encoded body of a valid AAIO "success" notification for payment `i`, signed as AAIO documents. */
export function aaioNotificationBody(i: number): string {
  const orderId = benchPaymentId(i);
  const sign = createHash('sha256')
    .update(`${AAIO_SHOP.merchantId}:100.00:RUB:${AAIO_SHOP.secret2}:${orderId}`)
    .digest('hex');
  return new URLSearchParams({
    merchant_id: AAIO_SHOP.merchantId,
    invoice_id: `48ebfc18-e6c7-11ed-a05b-${i.toString(16).padStart(12, '0')}`,
    order_id: orderId,
    amount: '100.00',
    currency: 'RUB',
    profit: '97.00',
    commission: '3.00',
    commission_client: '0',
    commission_type: '100:0',
    method: 'sbp',
    desc: 'Bench order',
    email: '',
    status: 'success',
    sign,
  }).toString();
}
