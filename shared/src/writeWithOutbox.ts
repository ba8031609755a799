import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { OutgoingEvent } from '@shop/contracts';
import { ConcurrentUpdateError } from './errors.js';
import { outboxPut, type TransactItem } from './outbox.js';
import { SERVICE_TABLE } from './tables.js';
import { cancellationCodes, lostRace } from './transactions.js';

export interface WriteWithOutboxProps {
  readonly tableName: string;
  /** The state changes, each with the condition that makes it safe. */
  readonly items: readonly TransactItem[];
  /** The events the changes cause. */
  readonly events: readonly OutgoingEvent[];
  readonly now: Date;
  /** Names what changed concurrently, for the error. */
  readonly subject: string;
}

/**
 * Writes state changes and the events they cause in one DynamoDB transaction (the
 * transactional outbox): both are saved or neither is, so no event is lost or published for a
 * change that did not happen.
 *
 * @throws {ConcurrentUpdateError} when a condition failed or another transaction got there
 * first: re-read and decide again.
 *
 * @example
 * ```ts
 * await writeWithOutbox(documents, {
 *   tableName, items: [versionedPut(tableName, key, order)], events, now, subject: `order ${id}`,
 * });
 * ```
 */
export const writeWithOutbox = async (
  documents: DynamoDBDocumentClient,
  props: WriteWithOutboxProps,
): Promise<void> => {
  try {
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          ...props.items,
          ...props.events.map((event) => outboxPut(props.tableName, event, props.now)),
        ],
      }),
    );
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes !== undefined && lostRace(codes)) {
      throw new ConcurrentUpdateError(`${props.subject} changed since it was read`);
    }
    throw error;
  }
};

/**
 * Puts an item that counts its changes in `version`: version 1 is created only if absent, any
 * later version only over the version before it (optimistic locking).
 *
 * @example
 * ```ts
 * versionedPut(tableName, { pk: `ORDER#${id}`, sk: 'ORDER' }, { ...order, version: 2 });
 * ```
 */
export const versionedPut = (
  tableName: string,
  key: Readonly<Record<string, string>>,
  item: { readonly version: number },
): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: { ...key, ...item },
    ...(item.version === 1
      ? {
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': SERVICE_TABLE.partitionKey },
        }
      : {
          ConditionExpression: '#version = :read',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':read': item.version - 1 },
        }),
  },
});
