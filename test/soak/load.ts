// The soak's buyers and providers. Each buyer checks an order out through the balancer,
// polls its status, pays at the simulator's pay page (or leaves, or lets it expire), and
// comes back. The providers send the genuine callbacks, duplicates of them, and forgeries;
// a genuine callback that was not answered 2xx is sent again later, as a provider that
// retries on 5xx does (for AAIO: the merchant resending from the cabinet).
import type {
  AaioNotificationDelivery,
  AaioSimulator,
  AurpaySimCallback,
  AurpaySimulator,
} from '@paymount/sandbox';
import {
  type AaioMerchant,
  aaioNotification,
  checkout,
  errorCode,
  postNotification,
  type Reply,
  send,
  sendRaw,
  sleep,
} from '../faults/support/http.js';
import type { Recorder } from './metrics.js';

export type ProviderName = 'aurpay' | 'aaio';

/** A payment a buyer started, as the soak remembers it. */
export interface SoakPayment {
  readonly paymentId: string;
  readonly provider: ProviderName;
  /** Where the buyer pays: Aurpay's pay page (also the simulator's reference to the order). */
  readonly payUrl: string;
}

export interface LoadOptions {
  /** The balancer in front of the shop instances. */
  readonly url: string;
  readonly aurpaySim: AurpaySimulator;
  readonly aaioSim: AaioSimulator;
  readonly aaioMerchant: AaioMerchant;
  readonly recorder: Recorder;
  readonly random: () => number;
}

/** A genuine callback still owed a 2xx answer. */
type Owed =
  | { readonly provider: 'aurpay'; readonly callback: AurpaySimCallback }
  | { readonly provider: 'aaio'; readonly paymentId: string };

const isOk = (status: number): boolean => status >= 200 && status < 300;

export class Load {
  readonly payments = new Map<string, SoakPayment>();
  /** Forged callbacks answered 2xx: must stay 0. */
  forgedAccepted = 0;
  readonly #owed = new Map<string, Owed>();
  readonly #o: LoadOptions;
  #orders = 0;

  constructor(options: LoadOptions) {
    this.#o = options;
  }

  /** Genuine callbacks not yet answered 2xx. */
  get owed(): number {
    return this.#owed.size;
  }

  async #timed<R extends Reply>(route: string, call: () => Promise<R>): Promise<R> {
    const started = performance.now();
    const reply = await call();
    this.#o.recorder.record({
      route,
      status: reply.status,
      code: reply.code,
      ms: performance.now() - started,
    });
    return reply;
  }

  /** What the shop answered to a callback the Aurpay simulator sent. */
  #aurpayReply(callback: AurpaySimCallback): Reply {
    const code =
      callback.status === 0 ? 'no_answer' : callback.status >= 400 ? errorCode(callback.response) : null;
    return { status: callback.status, code, retryAfter: null, location: null, text: callback.response };
  }

  /** What the shop answered to a notification the AAIO simulator sent. */
  #aaioReply(delivery: AaioNotificationDelivery): Reply {
    const status = delivery.status ?? 0;
    const code = status === 0 ? 'no_answer' : status >= 400 ? errorCode(delivery.body) : null;
    return { status, code, retryAfter: null, location: null, text: delivery.body };
  }

  /** One buyer, over and over, until `stop()` says so. */
  async buyer(stop: () => boolean): Promise<void> {
    while (!stop()) await this.#purchase();
  }

  async #purchase(): Promise<void> {
    const random = this.#o.random;
    const provider: ProviderName = random() < 0.5 ? 'aurpay' : 'aaio';
    const orderId = `soak-${this.#orders++}`;
    let started: Awaited<ReturnType<typeof checkout>> | undefined;
    // A buyer whose checkout failed tries again, twice, then gives up on the order.
    for (let attempt = 0; attempt < 3 && !started?.paymentId; attempt++) {
      if (attempt > 0) await sleep(500);
      started = await this.#timed('checkout', () => checkout(`${this.#o.url}/pay`, orderId, provider));
    }
    if (!started?.paymentId || !started.providerPayUrl) return;
    const payment: SoakPayment = { paymentId: started.paymentId, provider, payUrl: started.providerPayUrl };
    this.payments.set(payment.paymentId, payment);
    await this.#timed('status', () => send(`${this.#o.url}/pay/status/${payment.paymentId}`));

    const choice = random();
    if (choice < 0.7) await this.#pay(payment);
    else if (choice < 0.78) await this.#expire(payment);
    // The rest leave the pay page without paying.
    await this.#timed('return', () => send(`${this.#o.url}/pay/return/${payment.paymentId}`));
    await this.#timed('status', () => send(`${this.#o.url}/pay/status/${payment.paymentId}`));
  }

  async #pay(payment: SoakPayment): Promise<void> {
    const random = this.#o.random;
    const copies = random() < 0.5 ? 1 + Math.floor(random() * 3) : 0;
    const forge = random() < 0.2;
    if (payment.provider === 'aurpay') {
      const started = performance.now();
      const [callback] = await this.#o.aurpaySim.pay(payment.payUrl);
      if (!callback) return;
      const reply = this.#aurpayReply(callback);
      this.#o.recorder.record({
        route: 'callback aurpay',
        status: reply.status,
        code: reply.code,
        ms: performance.now() - started,
      });
      if (!isOk(reply.status)) this.#owed.set(payment.paymentId, { provider: 'aurpay', callback });
      if (copies > 0) await this.#aurpayCopies(callback, copies);
      if (forge) await this.#aurpayForgery(callback);
      return;
    }
    const started = performance.now();
    const [delivery] = await this.#o.aaioSim.pay(payment.paymentId, { notify: 'once' });
    if (!delivery) return;
    const reply = this.#aaioReply(delivery);
    this.#o.recorder.record({
      route: 'callback aaio',
      status: reply.status,
      code: reply.code,
      ms: performance.now() - started,
    });
    if (!isOk(reply.status))
      this.#owed.set(payment.paymentId, { provider: 'aaio', paymentId: payment.paymentId });
    if (copies > 0) {
      await Promise.all(
        Array.from({ length: copies }, () =>
          this.#timed('callback aaio duplicate', async () =>
            this.#aaioReply(await this.#o.aaioSim.resendNotification(payment.paymentId)),
          ),
        ),
      );
    }
    if (forge) {
      const order = this.#o.aaioSim.orders.get(payment.paymentId)!;
      const forged = aaioNotification(
        { ...this.#o.aaioMerchant, secret2: 'a-guessed-secret-that-is-wrong' },
        { ...order, orderId: payment.paymentId },
      );
      const answer = await this.#timed('callback aaio forged', () =>
        postNotification(`${this.#o.url}/pay/callback/aaio`, forged),
      );
      if (isOk(answer.status)) this.forgedAccepted++;
    }
  }

  /** Delivers an Aurpay callback again, byte for byte, as a retrying or duplicating Aurpay would. */
  #redeliver(callback: AurpaySimCallback, headers = callback.headers): Promise<Reply> {
    return sendRaw(callback.url, callback.method, headers, callback.body);
  }

  async #aurpayCopies(callback: AurpaySimCallback, copies: number): Promise<void> {
    await Promise.all(
      Array.from({ length: copies }, () =>
        this.#timed('callback aurpay duplicate', () => this.#redeliver(callback)),
      ),
    );
  }

  async #aurpayForgery(callback: AurpaySimCallback): Promise<void> {
    const headers = Object.fromEntries(
      Object.entries(callback.headers).filter(([name]) => name.toLowerCase() !== 'api-key'),
    );
    headers['API-Key'] = 'a-guessed-api-key-that-is-wrong';
    const answer = await this.#timed('callback aurpay forged', () => this.#redeliver(callback, headers));
    if (isOk(answer.status)) this.forgedAccepted++;
  }

  async #expire(payment: SoakPayment): Promise<void> {
    if (payment.provider === 'aaio') {
      // AAIO sends nothing for an expiry: the reconciler finds it.
      this.#o.aaioSim.expire(payment.paymentId);
      return;
    }
    const started = performance.now();
    const [callback] = await this.#o.aurpaySim.expire(payment.payUrl);
    if (!callback) return;
    const reply = this.#aurpayReply(callback);
    this.#o.recorder.record({
      route: 'callback aurpay',
      status: reply.status,
      code: reply.code,
      ms: performance.now() - started,
    });
  }

  /** Sends every owed genuine callback again, once; keeps those still not answered 2xx. */
  async resendOwed(): Promise<void> {
    for (const [paymentId, owed] of [...this.#owed]) {
      const reply = await this.#timed('callback resent', async () =>
        owed.provider === 'aurpay'
          ? this.#redeliver(owed.callback)
          : this.#aaioReply(await this.#o.aaioSim.resendNotification(owed.paymentId)),
      );
      if (isOk(reply.status)) this.#owed.delete(paymentId);
    }
  }
}
