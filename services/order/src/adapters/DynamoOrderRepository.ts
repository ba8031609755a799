import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrderId, OutgoingEvent } from '@shop/contracts';
import { dueEntities, listEntities, VersionedItemStore } from '@shop/shared';
import { expiryDeadline, type Order } from '#domain/order.js';
import type { OrderRepository } from '../app/ports.js';

const ENTITY = 'ORDER';

/**
 * Orders in the Order service's own table, one item per order. Each write is one transaction
 * with the outbox items of the events it caused, conditional on the version read. A PENDING
 * order is also in the table's by-deadline index, at its expiry deadline, until it is settled.
 */
export class DynamoOrderRepository implements OrderRepository {
  private readonly orders: VersionedItemStore<Order>;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.orders = new VersionedItemStore(documents, tableName, ENTITY, {
      deadlineOf: expiryDeadline,
    });
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
    const { items, nextToken } = await listEntities<Order>(this.documents, this.tableName, ENTITY, {
      limit: page.limit,
      nextToken: page.nextToken,
      where:
        page.customerId === undefined
          ? undefined
          : { attribute: 'customerId', equals: page.customerId },
    });
    return { orders: items, ...(nextToken !== undefined && { nextToken }) };
  }

  async dueToExpire(page: {
    readonly now: Date;
    readonly limit: number;
    readonly after?: string | undefined;
  }): Promise<{ readonly orderIds: readonly OrderId[]; readonly after?: string }> {
    const { ids, after } = await dueEntities(this.documents, this.tableName, ENTITY, page);
    return { orderIds: ids, ...(after !== undefined && { after }) };
  }
}
