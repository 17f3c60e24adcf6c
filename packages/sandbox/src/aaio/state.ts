import { Timers } from '../shared/server.js';
import { readStateFile, writeStateFile } from '../shared/state-file.js';
import type { AaioNotificationDelivery } from './notification-sender.js';
import type { AaioFault, AaioSimMerchant, AaioSimShopSettings, ResolvedAaioSimOptions } from './options.js';
import type { AaioSimOrder } from './orders.js';

/** An error the simulated AAIO answers as its JSON `{ type, code, message }`. */
export class AaioApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: 'error' | 'fail' = 'error',
  ) {
    super(message);
  }
}

/** An order as the `stateFile` keeps it: its dates as ISO strings. */
type SavedOrder = Omit<AaioSimOrder, 'createdAt' | 'expiresAt' | 'completedAt'> & {
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly completedAt: string | null;
};

/** What the `stateFile` keeps: the merchant's credentials and every order. */
export interface AaioSavedState {
  readonly merchant: AaioSimMerchant;
  readonly orders: readonly SavedOrder[];
}

/** The state a simulator saved in `path` before, if any. */
export function readAaioState(path: string | undefined): AaioSavedState | null {
  return path === undefined ? null : readStateFile<AaioSavedState>(path, 'aaio');
}

function revived(order: SavedOrder): AaioSimOrder {
  return {
    ...order,
    createdAt: new Date(order.createdAt),
    expiresAt: new Date(order.expiresAt),
    completedAt: order.completedAt === null ? null : new Date(order.completedAt),
  };
}

/**
 * Everything one running AAIO simulator knows — the resolved options, the orders, what it
 * sent and received, its fault and its timers — handed to each part (API, pay form, buyer
 * actions) so that none of them keeps state of its own.
 */
export class AaioSimState {
  readonly merchant: AaioSimMerchant;
  readonly settings: AaioSimShopSettings;
  readonly orders = new Map<string, AaioSimOrder>();
  readonly byInvoice = new Map<string, AaioSimOrder>();
  readonly notifications: AaioNotificationDelivery[] = [];
  readonly apiCalls: { method: string; path: string }[] = [];
  readonly timers = new Timers();
  readonly #background = new Set<Promise<unknown>>();
  #fault: AaioFault | null = null;
  #faultLeft = Number.POSITIVE_INFINITY;
  /** Set once the server listens (the pay-form URLs need its port). */
  baseUrl = '';
  closed = false;

  constructor(
    readonly options: ResolvedAaioSimOptions,
    saved: AaioSavedState | null = null,
  ) {
    this.merchant = options.merchant;
    this.settings = options.settings;
    this.setFault(options.fault);
    for (const order of saved?.orders ?? []) {
      const restored = revived(order);
      this.orders.set(restored.orderId, restored);
      this.byInvoice.set(restored.invoiceId, restored);
    }
  }

  /** Writes the orders to the `stateFile`, if there is one (after every request and control call). */
  save(): void {
    const path = this.options.stateFile;
    if (path === null) return;
    // JSON turns the orders' dates into ISO strings, as SavedOrder has them.
    const saved = { merchant: this.merchant, orders: [...this.orders.values()] };
    writeStateFile(path, 'aaio', saved);
  }

  now(): Date {
    return this.options.now();
  }

  /** The order as it reads now: expiry is lazy, an order past its lifetime reads as expired. */
  current(order: AaioSimOrder): AaioSimOrder {
    if (order.status === 'in_process' && this.now().getTime() > order.expiresAt.getTime())
      order.status = 'expired';
    return order;
  }

  /** The current state of an order by the merchant's `order_id`; throws for an unknown one. */
  orderOrThrow(orderId: string): AaioSimOrder {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`The AAIO simulator has no order "${orderId}".`);
    return this.current(order);
  }

  setFault(fault: AaioFault | null): void {
    this.#fault = fault;
    this.#faultLeft = fault?.times ?? Number.POSITIVE_INFINITY;
  }

  /** The fault for this API call, if any, counting down its `times`. */
  takeFault(): AaioFault | null {
    const taken = this.#fault;
    if (!taken) return null;
    this.#faultLeft--;
    if (this.#faultLeft <= 0) this.#fault = null;
    return taken;
  }

  /** Runs work in the background (delayed notifications) so that `idle()` can wait for it. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.#background.add(promise);
    void promise.finally(() => this.#background.delete(promise)).catch(() => {});
    return promise;
  }

  /** Resolves when every background task has settled, including ones started meanwhile. */
  async idle(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }
}
