import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { OutgoingEvent } from '@shop/contracts';
import { SERVICE_TABLE, withoutKeys } from './tables.js';
import { versionedPut, writeWithOutbox } from './writeWithOutbox.js';

/**
 * The key of one entity in a service table: `pk = <ENTITY>#<id>`, `sk = <ENTITY>`.
 *
 * @example
 * ```ts
 * entityKey('ORDER', orderId); // { pk: 'ORDER#…', sk: 'ORDER' }
 * ```
 */
export const entityKey = (entity: string, id: string): Record<string, string> => ({
  [SERVICE_TABLE.partitionKey]: `${entity}#${id}`,
  [SERVICE_TABLE.sortKey]: entity,
});

/**
 * The attributes that put an entity in the table's `by-deadline` index, under its kind, at its
 * deadline (an ISO-8601 UTC timestamp, which sorts as time does); none without a deadline, which
 * keeps it out of the index.
 *
 * @example
 * ```ts
 * deadlineKeys('ORDER', '2026-01-01T00:15:00.000Z'); // { deadlineOf: 'ORDER', deadlineAt: '2026-01-01T00:15:00.000Z' }
 * ```
 */
export const deadlineKeys = (
  entity: string,
  deadline: string | undefined,
): Record<string, string> =>
  deadline === undefined
    ? {}
    : {
        [SERVICE_TABLE.byDeadlineIndex.partitionKey]: entity,
        [SERVICE_TABLE.byDeadlineIndex.sortKey]: deadline,
      };

export interface VersionedItemStoreOptions<T> {
  /**
   * The entity's deadline as it is saved, if it has one: while it has, the entity is in the
   * table's `by-deadline` index (see `dueEntities`). @default none: never in the index
   */
  readonly deadlineOf?: (item: T) => string | undefined;
}

/**
 * Entities of one kind in a service table, one item each, read consistently and saved with
 * optimistic locking on `version`, each save one transaction with the outbox items of its events.
 * With `deadlineOf`, each save also puts the entity in the `by-deadline` index, or takes it out.
 *
 * @example
 * ```ts
 * const orders = new VersionedItemStore<Order>(documents, tableName, 'ORDER');
 * await orders.save(order.orderId, order, events); // ConcurrentUpdateError if changed meanwhile
 * ```
 */
export class VersionedItemStore<
  T extends { readonly version: number; readonly updatedAt: string },
> {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly entity: string,
    private readonly options: VersionedItemStoreOptions<T> = {},
  ) {}

  async get(id: string): Promise<T | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: entityKey(this.entity, id),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : withoutKeys<T>(Item);
  }

  /** @throws {ConcurrentUpdateError} when the item is no longer at `item.version - 1`. */
  save(id: string, item: T, events: readonly OutgoingEvent[] = []): Promise<void> {
    return writeWithOutbox(this.documents, {
      tableName: this.tableName,
      items: [
        versionedPut(this.tableName, entityKey(this.entity, id), {
          ...item,
          ...deadlineKeys(this.entity, this.options.deadlineOf?.(item)),
        }),
      ],
      events,
      now: new Date(item.updatedAt),
      subject: `${this.entity} ${id}`,
    });
  }
}
