import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fromMinorUnits, toMinorUnits } from '@paymount/core';
import type { Product } from './catalog.js';

/** The shop's own view of an order. paymount never writes here: the shop's hooks do. */
export type OrderStatus = 'awaiting_payment' | 'paid' | 'needs_attention';

export interface OrderLine {
  readonly productId: string;
  readonly name: string;
  readonly unitPrice: string;
  readonly quantity: number;
}

export interface Order {
  readonly id: string;
  readonly lines: readonly OrderLine[];
  readonly total: string;
  readonly currency: string;
  readonly status: OrderStatus;
  readonly createdAt: string;
  readonly paidAt: string | null;
  /** The payment that settled the order, and through which provider. */
  readonly paymentId: string | null;
  readonly provider: string | null;
  /** What the shop's staff should know (an underpayment, say). */
  readonly note: string | null;
}

interface OrderFile {
  orders: Order[];
  /** Idempotency keys of the payment hooks already applied: a retried hook changes nothing. */
  handledHooks: string[];
}

/**
 * The example shop's order book: one JSON file, rewritten atomically on each change.
 * Enough for a demo with one process; a real shop keeps orders in its database.
 */
export class OrderStore {
  readonly #path: string;
  #data: OrderFile;
  #writing: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
    mkdirSync(dirname(path), { recursive: true });
    try {
      this.#data = JSON.parse(readFileSync(path, 'utf8')) as OrderFile;
    } catch {
      this.#data = { orders: [], handledHooks: [] };
    }
  }

  /** Places an order for a quantity of one product; the total is computed here, in minor units. */
  async place(product: Product, quantity: number): Promise<Order> {
    const total = fromMinorUnits(
      toMinorUnits(product.price, product.currency) * BigInt(quantity),
      product.currency,
    );
    const order: Order = {
      id: `ord-${randomBytes(5).toString('hex')}`,
      lines: [{ productId: product.id, name: product.name, unitPrice: product.price, quantity }],
      total,
      currency: product.currency,
      status: 'awaiting_payment',
      createdAt: new Date().toISOString(),
      paidAt: null,
      paymentId: null,
      provider: null,
      note: null,
    };
    await this.#change(() => {
      this.#data.orders.push(order);
    });
    return order;
  }

  get(id: string): Order | null {
    return this.#data.orders.find((order) => order.id === id) ?? null;
  }

  /** Newest first. */
  list(): Order[] {
    return [...this.#data.orders].reverse();
  }

  /**
   * Applies a payment hook's change to an order once per idempotency key: a hook
   * delivered twice (a retry after a crash, a second instance) finds its key and stops.
   */
  async applyOnce(idempotencyKey: string, orderId: string, change: (order: Order) => Order): Promise<void> {
    await this.#change(() => {
      if (this.#data.handledHooks.includes(idempotencyKey)) return;
      const at = this.#data.orders.findIndex((order) => order.id === orderId);
      if (at !== -1) this.#data.orders[at] = change(this.#data.orders[at]!);
      this.#data.handledHooks.push(idempotencyKey);
    });
  }

  /** Runs changes one at a time and writes the file after each: write to a side file, then rename over. */
  #change(mutate: () => void): Promise<void> {
    const next = this.#writing.then(() => {
      mutate();
      const temporary = `${this.#path}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(this.#data, null, 2));
      renameSync(temporary, this.#path);
    });
    this.#writing = next.catch(() => {});
    return next;
  }
}
