import type { PaymentProvider } from '@paymount/core/provider';

/**
 * A provider under test together with its sandbox simulator. Each provider package's
 * test file implements this once; `providerConformance` then runs the same behaviour
 * checks against every provider.
 */
export interface ProviderHarness {
  /** Provider name as configured in `providers` ("aurpay", "aaio"). */
  readonly name: string;
  /** Currency the simulator takes for the orders of the suite ("USD", "RUB"). */
  readonly currency: string;
  /**
   * Starts a fresh simulator and returns a provider configured against it.
   * `publicUrl` is where paymount is served in this test (http://127.0.0.1:PORT/pay):
   * the simulator must send its callbacks there (for providers with one fixed
   * notification URL, configure the simulator's merchant with `{publicUrl}/callback/{name}`).
   */
  setup(env: { publicUrl: string }): Promise<HarnessInstance>;
  /**
   * False when the provider cannot find a payment's status without a callback (for
   * example no provider reference is known before the first callback). Default true.
   */
  readonly recoversLostCallback?: boolean;
}

export interface HarnessInstance {
  readonly provider: PaymentProvider;
  /**
   * Acts as the buyer on the simulator's hosted page behind `payUrl` and lets the
   * simulator send its callback(s) to paymount as the real provider would. Resolves
   * once every callback it sent got its HTTP answer.
   * - `full`: pays the exact amount; `less`: pays less than asked; `expire`: lets it time out.
   */
  act(payUrl: string, action: 'full' | 'less' | 'expire'): Promise<void>;
  /** Like `act(payUrl, 'full')` on the simulator, but no callback is sent (a lost notification). */
  payWithoutCallback(payUrl: string): Promise<void>;
  /** Sends the callback of a full payment again, exactly as before (a duplicate). Resolves with the HTTP status. */
  resendLastCallback(): Promise<number>;
  /** Sends a forged "paid" callback for the payment behind `payUrl` (wrong key/signature). Resolves with the HTTP status. */
  forgeCallback(payUrl: string): Promise<number>;
  /** Makes the simulator's API misbehave from now on, or behave again with `null`. */
  breakApi(mode: 'down' | 'garbage' | 'slow' | null): void;
  close(): Promise<void>;
}
