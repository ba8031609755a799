import type { Money, OrderId, OutgoingEvent, Sku } from '@shop/contracts';
import type { Order } from '#domain/order.js';

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
}

/** The current unit prices of products, from the catalogue Inventory owns. */
export interface PriceList {
  prices(skus: readonly Sku[]): Promise<ReadonlyMap<Sku, Money>>;
}

export interface OrderDependencies {
  readonly orders: OrderRepository;
  readonly priceList: PriceList;
  readonly now: () => Date;
  readonly newOrderId: () => OrderId;
}
