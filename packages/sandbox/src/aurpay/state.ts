import { Timers } from '../shared/server.js';
import type { AurpaySimCallback } from './callbacks.js';
import { AURPAY_SIM_DEFAULTS, type AurpaySimulatorFaults, type ResolvedAurpaySimOptions } from './options.js';
import { type AurpaySimOrder, type AurpaySimStatus, aurpayTime, OrderBook } from './order-book.js';

/** A merchant API request the simulator received. */
export interface AurpaySimRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/**
 * Everything one running Aurpay simulator knows — the resolved options, the orders, the
 * requests and callbacks, the faults and the timers — handed to each part (API, cashier,
 * callbacks) so that none of them keeps state of its own.
 */
export class AurpaySimState {
  readonly book = new OrderBook();
  readonly requests: AurpaySimRequest[] = [];
  readonly callbacks: AurpaySimCallback[] = [];
  /** Callbacks queued by the `hold` fault. */
  readonly held: AurpaySimCallback[] = [];
  readonly faults: AurpaySimulatorFaults = { ...AURPAY_SIM_DEFAULTS.faults };
  readonly timers = new Timers();
  /** Set once the server listens (pay URLs need its port). */
  baseUrl = '';

  constructor(readonly options: ResolvedAurpaySimOptions) {}

  now(): Date {
    return this.options.now();
  }

  /** An order by Aurpay order id, pay page token or pay URL; throws for an unknown one. */
  findOrThrow(ref: string): AurpaySimOrder {
    const token = /[?&]token=([0-9a-f]+)/.exec(ref)?.[1];
    const order = this.book.find(token ?? ref);
    if (!order) throw new Error(`The Aurpay simulator has no order "${ref}".`);
    return order;
  }

  /** Moves an order to `status` and stamps its `update_time`. */
  touch(order: AurpaySimOrder, status: AurpaySimStatus): void {
    order.info.status = status;
    order.info['update_time'] = aurpayTime(this.now(), this.options.timeZoneOffsetMinutes);
  }

  payUrlOf(order: AurpaySimOrder): string {
    return `${this.baseUrl}/cashier/choose?token=${order.token}`;
  }

  /** The API fault for this call, counting it down when `apiTimes` is set. */
  takeApiFault(): AurpaySimulatorFaults['api'] {
    const fault = this.faults.api;
    if (fault === null) return null;
    if (this.faults.apiTimes !== null) {
      this.faults.apiTimes--;
      if (this.faults.apiTimes <= 0) {
        this.faults.api = null;
        this.faults.apiTimes = null;
      }
    }
    return fault;
  }
}
