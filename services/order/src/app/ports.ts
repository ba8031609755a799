import type { OrderId, OutgoingEvent, PaymentView, Sku } from '@shop/contracts';
import type { CatalogueEntry, Order } from '#domain/order.js';

/** Where orders live. Every write saves the order and the events it caused atomically. */
export interface OrderRepository {
  get(orderId: OrderId): Promise<Order | undefined>;
  /**
   * Saves an order at `order.version` if it is still at the version before (a new order at
   * version 1 only if absent), with the outbox items of its events, atomically.
   *
   * @throws {ConcurrentUpdateError} when someone else changed it first.
   */
  save(order: Order, events: readonly OutgoingEvent[]): Promise<void>;
  /**
   * A page of orders, in id order; with `customerId`, only that customer's (a page may then hold
   * fewer than `limit` even when `nextToken` says there are more).
   */
  list(page: {
    readonly limit: number;
    readonly nextToken?: string | undefined;
    readonly customerId?: string | undefined;
  }): Promise<{ readonly orders: readonly Order[]; readonly nextToken?: string }>;
  /**
   * A page of the ids of the orders whose expiry deadline (`expiryDeadline`) is at or before
   * `now`, soonest first, without reading the others. The page may lag the latest writes: read
   * each order again before changing it.
   */
  dueToExpire(page: {
    readonly now: Date;
    readonly limit: number;
    readonly after?: string | undefined;
  }): Promise<{ readonly orderIds: readonly OrderId[]; readonly after?: string }>;
}

/** The catalogue Inventory owns: prices and available units now. Unknown products are left out. */
export interface Catalogue {
  /** @throws {QueryUnavailableError} | {QueryDeniedError} | {QueryRejectedError} */
  entries(skus: readonly Sku[]): Promise<ReadonlyMap<Sku, CatalogueEntry>>;
}

/** What Payment says about the payment of an order; undefined until Payment has heard of it. */
export interface PaymentStatuses {
  /** @throws {QueryUnavailableError} | {QueryDeniedError} | {QueryRejectedError} */
  paymentOf(orderId: OrderId): Promise<PaymentView | undefined>;
}

export interface OrderDependencies {
  readonly orders: OrderRepository;
  readonly catalogue: Catalogue;
  readonly payments: PaymentStatuses;
  readonly now: () => Date;
  readonly newOrderId: () => OrderId;
  /** How long a new order may stay PENDING before it expires, in seconds. */
  readonly orderExpirySeconds: number;
}

/** What changing an order's status needs: its repository and the clock, no other service. */
export type OrderStateDependencies = Pick<OrderDependencies, 'orders' | 'now'>;
