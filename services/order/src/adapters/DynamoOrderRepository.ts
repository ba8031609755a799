import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrderId, OutgoingEvent } from '@shop/contracts';
import { VersionedItemStore } from '@shop/shared';
import type { Order } from '#domain/order.js';
import type { OrderRepository } from '../app/ports.js';

/**
 * Orders in the Order service's own table, one item per order. Each write is one transaction
 * with the outbox items of the events it caused, conditional on the version read.
 */
export class DynamoOrderRepository implements OrderRepository {
  private readonly orders: VersionedItemStore<Order>;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.orders = new VersionedItemStore(documents, tableName, 'ORDER');
  }

  get(orderId: OrderId): Promise<Order | undefined> {
    return this.orders.get(orderId);
  }

  save(order: Order, events: readonly OutgoingEvent[]): Promise<void> {
    return this.orders.save(order.orderId, order, events);
  }
}
