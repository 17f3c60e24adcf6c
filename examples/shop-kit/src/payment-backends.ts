import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { aaio } from '@paymount/aaio';
import { aurpay } from '@paymount/aurpay';
import type { PaymentProvider, PaymentStore } from '@paymount/core';
import {
  type AaioSimulator,
  type AurpaySimulator,
  startAaioSimulator,
  startAurpaySimulator,
} from '@paymount/sandbox';
import { sqliteStore } from '@paymount/sqlite';

/** A provider simulator the shop started because no real credentials were given. */
export interface RunningSimulator {
  readonly provider: 'aurpay' | 'aaio';
  readonly url: string;
}

/** The store, the providers, and the simulators started for them. */
export interface PaymentBackends {
  readonly store: PaymentStore;
  readonly providers: Record<string, PaymentProvider>;
  readonly simulators: readonly RunningSimulator[];
  /** Direct handles on the simulators, for tests that drive them. */
  readonly aurpaySimulator: AurpaySimulator | null;
  readonly aaioSimulator: AaioSimulator | null;
  /** Stops the simulators and closes the store (after `payments.close()`). */
  close(): Promise<void>;
}

export interface PaymentBackendsOptions {
  /** Absolute URL paymount is mounted at (`https://shop.example/pay`); the simulators call back there. */
  readonly payUrl: string;
  /** Folder for the SQLite payment store. */
  readonly dataDir: string;
  /** Credentials; a provider whose credentials are missing runs against its simulator. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/**
 * Builds what `createPayments` needs from the environment: real Aurpay and AAIO
 * when their credentials are set, otherwise each provider's sandbox simulator on
 * 127.0.0.1 with its hosted pay page. The one place the example shops choose
 * between real providers and simulators.
 */
export async function setUpPaymentBackends(options: PaymentBackendsOptions): Promise<PaymentBackends> {
  const { env, payUrl } = options;
  const providers: Record<string, PaymentProvider> = {};
  const simulators: RunningSimulator[] = [];
  let aurpaySimulator: AurpaySimulator | null = null;
  let aaioSimulator: AaioSimulator | null = null;
  const stopSimulators = async () => {
    await Promise.allSettled([aurpaySimulator?.close(), aaioSimulator?.close()]);
  };

  try {
    if (present(env['AURPAY_API_KEY'])) {
      providers['aurpay'] = aurpay({
        apiKey: env['AURPAY_API_KEY'],
        ...(present(env['AURPAY_CALLBACK_SECRET']) ? { callbackSecret: env['AURPAY_CALLBACK_SECRET'] } : {}),
        ...(present(env['AURPAY_BASE_URL']) ? { baseUrl: env['AURPAY_BASE_URL'] } : {}),
      });
    } else {
      const apiKey = `sandbox-${randomBytes(12).toString('hex')}`;
      const callbackSecret = `sandbox-${randomBytes(16).toString('hex')}`;
      aurpaySimulator = await startAurpaySimulator({ apiKey, callbackSecret });
      providers['aurpay'] = aurpay({ apiKey, callbackSecret, baseUrl: aurpaySimulator.url });
      simulators.push({ provider: 'aurpay', url: aurpaySimulator.url });
    }

    if (present(env['AAIO_MERCHANT_ID'])) {
      providers['aaio'] = aaio({
        merchantId: env['AAIO_MERCHANT_ID'],
        secret1: env['AAIO_SECRET_1'] ?? '',
        secret2: env['AAIO_SECRET_2'] ?? '',
        apiKey: env['AAIO_API_KEY'] ?? '',
        ...(present(env['AAIO_BASE_URL']) ? { baseUrl: env['AAIO_BASE_URL'] } : {}),
      });
    } else {
      // AAIO keeps these three URLs in the shop's cabinet, not per payment: set them the same way there.
      aaioSimulator = await startAaioSimulator({
        merchantId: randomUUID(),
        notificationUrl: `${payUrl}/callback/aaio`,
        successUrl: `${payUrl}/return`,
        failUrl: `${payUrl}/return`,
      });
      providers['aaio'] = aaio({ ...aaioSimulator.merchant, baseUrl: aaioSimulator.url });
      simulators.push({ provider: 'aaio', url: aaioSimulator.url });
    }

    mkdirSync(options.dataDir, { recursive: true });
    const store = sqliteStore({ path: join(options.dataDir, 'payments.sqlite') });
    return {
      store,
      providers,
      simulators,
      aurpaySimulator,
      aaioSimulator,
      async close() {
        await stopSimulators();
        await store.close();
      },
    };
  } catch (error) {
    await stopSimulators();
    throw error;
  }
}
