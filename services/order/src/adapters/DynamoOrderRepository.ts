import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderId, OutgoingEvent } from '@shop/contracts';
import { SERVICE_TABLE, versionedPut, withoutKeys, writeWithOutbox } from '@shop/shared';
import type { Order } from '#domain/order.js';
import type { OrderRepository } from '../app/ports.js';

const key = (orderId: OrderId) => ({
  [SERVICE_TABLE.partitionKey]: `ORDER#${orderId}`,
  [SERVICE_TABLE.sortKey]: 'ORDER',
});

/**
 * Orders in the Order service's own table, one item per order. Each write is one transaction
 * with the outbox items of the events it caused, conditional on the version read.
 */
export class DynamoOrderRepository implements OrderRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(orderId: OrderId): Promise<Order | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: key(orderId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : withoutKeys<Order>(Item);
  }

  save(order: Order, events: readonly OutgoingEvent[]): Promise<void> {
    return writeWithOutbox(this.documents, {
      tableName: this.tableName,
      items: [versionedPut(this.tableName, key(order.orderId), order)],
      events,
      now: new Date(order.updatedAt),
      subject: `Order ${order.orderId}`,
    });
  }
}
