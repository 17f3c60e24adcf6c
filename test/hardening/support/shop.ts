import type { RequestListener } from 'node:http';
import { type AaioOptions, aaio } from '@paymount/aaio';
import { type AurpayOptions, aurpay } from '@paymount/aurpay';
import {
  createPayments,
  type Logger,
  memoryStore,
  type PaymentProvider,
  type Payments,
  type PaymentsOptions,
} from '@paymount/core';
import { AAIO, AURPAY } from './fake-provider.js';
import { serve } from './http.js';
import type { ShopFramework, ShopSetup } from './shops.js';

/** A running shop: a framework app with paymount under `/pay`, on a loopback port. */
export interface HardeningShop {
  readonly url: string;
  readonly payments: Payments;
  close(): Promise<void>;
}

export interface StartShopOptions {
  readonly framework: ShopFramework;
  readonly setup?: ShopSetup;
  readonly providers: Readonly<Record<string, PaymentProvider>>;
  readonly loadOrder?: PaymentsOptions['loadOrder'];
  readonly logger?: Logger;
  readonly options?: Partial<PaymentsOptions>;
}

/** Every order costs 10.00 USD unless the test's `loadOrder` says otherwise. */
export async function startShop(options: StartShopOptions): Promise<HardeningShop> {
  let listener: RequestListener | undefined;
  const served = await serve((req, res) => listener?.(req, res));
  const payments = createPayments({
    publicUrl: `${served.url}/pay`,
    secret: 'hardening-paymount-secret-0123456789abcdef',
    store: memoryStore(),
    providers: options.providers,
    loadOrder: options.loadOrder ?? (() => ({ amount: '10.00', currency: 'USD' })),
    returnUrls: {
      success: '/orders/{orderId}/thanks',
      pending: '/orders/{orderId}',
      failure: '/orders/{orderId}',
    },
    hookDelivery: { pollIntervalMs: 0 },
    ...(options.logger ? { logger: options.logger } : {}),
    ...options.options,
  });
  listener = options.framework.listener(payments, options.setup);
  return {
    url: served.url,
    payments,
    async close() {
      await served.close();
      await payments.close();
    },
  };
}

/** AAIO against a fake API: no retries, so each garbage answer is read exactly once. */
export function aaioAt(baseUrl: string, extra: Partial<AaioOptions> = {}): PaymentProvider {
  return aaio({ ...AAIO, baseUrl, retries: 0, timeoutMs: 2_000, ...extra });
}

/** Aurpay against a fake API, with both of Aurpay's own callback checks. */
export function aurpayAt(baseUrl: string, extra: Partial<AurpayOptions> = {}): PaymentProvider {
  return aurpay({ ...AURPAY, baseUrl, retries: 0, timeoutMs: 2_000, ...extra });
}

/** A logger that keeps every line, for tests of what paymount logs. */
export interface RecordingLogger extends Logger {
  readonly lines: Array<{ readonly level: string; readonly message: string }>;
}

export function recordingLogger(): RecordingLogger {
  const lines: Array<{ level: string; message: string }> = [];
  const at =
    (level: string) =>
    (_fields: object, message?: string): void =>
      void lines.push({ level, message: message ?? '' });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
