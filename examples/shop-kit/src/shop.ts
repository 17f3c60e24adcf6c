import type { Payment, Payments } from '@paymount/core';
import { CATALOG, findProduct } from './catalog.js';
import type { OrderStore } from './order-store.js';
import {
  homePage,
  notFoundPage,
  orderPage,
  ordersPage,
  type PageResponse,
  type PaymentChoice,
  thanksPage,
} from './pages.js';

const CHOICES: readonly PaymentChoice[] = [
  { name: 'aurpay', label: 'Aurpay', hint: 'crypto: USDT, BTC, ETH and more' },
  { name: 'aaio', label: 'AAIO', hint: 'bank card, SBP or crypto' },
];

/** A page, or a redirect after a form post. */
export type ShopResponse = PageResponse | { readonly redirect: string };

/**
 * The storefront without a web framework: each method answers one shop route.
 * The Express and Koa shops map their routes onto these, so they differ only in wiring.
 */
export class Shop {
  readonly orders: OrderStore;
  readonly payments: Payments;
  readonly choices: readonly PaymentChoice[];

  constructor(orders: OrderStore, payments: Payments) {
    this.orders = orders;
    this.payments = payments;
    const configured = new Set(payments.providerNames);
    this.choices = [
      ...CHOICES.filter((choice) => configured.has(choice.name)),
      ...[...configured]
        .filter((name) => !CHOICES.some((choice) => choice.name === name))
        .map((name) => ({ name, label: name, hint: '' })),
    ];
  }

  home(): ShopResponse {
    return homePage(CATALOG);
  }

  /** `POST /orders` with `productId` and `quantity` (form fields). */
  async placeOrder(form: Readonly<Record<string, unknown>>): Promise<ShopResponse> {
    const product = typeof form['productId'] === 'string' ? findProduct(form['productId']) : undefined;
    const quantity = Number(form['quantity'] ?? 1);
    if (!product || !Number.isInteger(quantity) || quantity < 1 || quantity > 10) {
      return { ...notFoundPage('There is no such product, or the quantity is not 1 to 10.'), status: 400 };
    }
    const order = await this.orders.place(product, quantity);
    return { redirect: `/orders/${encodeURIComponent(order.id)}` };
  }

  async order(orderId: string): Promise<ShopResponse> {
    const order = this.orders.get(orderId);
    if (!order) return notFoundPage(`There is no order ${orderId}.`);
    return orderPage(order, await this.#latestPayment(orderId), this.choices);
  }

  async thanks(orderId: string): Promise<ShopResponse> {
    const order = this.orders.get(orderId);
    if (!order) return notFoundPage(`There is no order ${orderId}.`);
    return thanksPage(order, await this.#latestPayment(orderId));
  }

  async orderList(): Promise<ShopResponse> {
    const rows = await Promise.all(
      this.orders.list().map(async (order) => ({ order, payment: await this.#latestPayment(order.id) })),
    );
    return ordersPage(rows);
  }

  notFound(): ShopResponse {
    return notFoundPage('There is no such page.');
  }

  /** The payment to show for an order: the paid one if any, else the newest attempt. */
  async #latestPayment(orderId: string): Promise<Payment | null> {
    const payments = await this.payments.findByOrder(orderId);
    const paid = payments.find((payment) => payment.status === 'paid');
    if (paid) return paid;
    return payments.reduce<Payment | null>(
      (newest, payment) => (newest === null || payment.createdAt > newest.createdAt ? payment : newest),
      null,
    );
  }
}
