import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrderId, OutgoingEvent } from '@shop/contracts';
import { listEntities, VersionedItemStore } from '@shop/shared';
import type { Order } from '#domain/order.js';
import type { OrderRepository } from '../app/ports.js';

/**
 * Orders in the Order service's own table, one item per order. Each write is one transaction
 * with the outbox items of the events it caused, conditional on the version read.
 */
export class DynamoOrderRepository implements OrderRepository {
  private readonly orders: VersionedItemStore<Order>;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.orders = new VersionedItemStore(documents, tableName, 'ORDER');
  }

  get(orderId: OrderId): Promise<Order | undefined> {
    return this.orders.get(orderId);
  }

  save(order: Order, events: readonly OutgoingEvent[]): Promise<void> {
    return this.orders.save(order.orderId, order, events);
  }

  async list(page: {
    readonly limit: number;
    readonly nextToken?: string | undefined;
    readonly customerId?: string | undefined;
  }): Promise<{ readonly orders: readonly Order[]; readonly nextToken?: string }> {
    const { items, nextToken } = await listEntities<Order>(
      this.documents,
      this.tableName,
      'ORDER',
      {
        limit: page.limit,
        nextToken: page.nextToken,
        where:
          page.customerId === undefined
            ? undefined
            : { attribute: 'customerId', equals: page.customerId },
      },
    );
    return { orders: items, ...(nextToken !== undefined && { nextToken }) };
  }
}
