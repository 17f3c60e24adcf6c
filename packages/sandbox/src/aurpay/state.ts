import { Timers } from '../shared/server.js';
import { readStateFile, writeStateFile } from '../shared/state-file.js';
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

/** What the `stateFile` keeps: the orders, and the merchant id their `user_id` shows. */
export interface AurpaySavedState {
  readonly merchantId: string;
  readonly orders: readonly AurpaySimOrder[];
}

/** The state a simulator saved in `path` before, if any. */
export function readAurpayState(path: string | undefined): AurpaySavedState | null {
  return path === undefined ? null : readStateFile<AurpaySavedState>(path, 'aurpay');
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

  constructor(
    readonly options: ResolvedAurpaySimOptions,
    saved: AurpaySavedState | null = null,
  ) {
    for (const order of saved?.orders ?? []) this.book.add(order);
  }

  /** Writes the orders to the `stateFile`, if there is one (after every request and control call). */
  save(): void {
    const path = this.options.stateFile;
    if (path === null) return;
    const saved: AurpaySavedState = {
      merchantId: this.options.merchantId,
      orders: [...this.book.orders.values()],
    };
    writeStateFile(path, 'aurpay', saved);
  }

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
