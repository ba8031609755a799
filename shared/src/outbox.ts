import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { OutgoingEvent } from '@shop/contracts';
import { SERVICE_TABLE } from './tables.js';

/**
 * The attributes of an outbox item. The relay (an EventBridge Pipe from the table's stream)
 * publishes each inserted item whose `kind` is `outbox` as the PutEvents entry
 * `{ Source: source, DetailType: detailType, Detail: detail }`.
 */
export const OUTBOX_ITEM = {
  kind: 'outbox',
  attributes: { source: 'source', detailType: 'detailType', detail: 'detail' },
} as const;

/** Outbox items expire once the stream (24 hours) has surely relayed them. */
export const OUTBOX_RETENTION_SECONDS = 7 * 24 * 3600;

/** One item of a `TransactWriteItems` request. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The transaction item that records an event in the outbox. Put it in the same transaction as
 * the state change that caused the event: both are written or neither is. Keyed on the event id,
 * so writing the same event twice fails the transaction instead of publishing it twice.
 *
 * @example
 * ```ts
 * await documents.send(new TransactWriteCommand({
 *   TransactItems: [orderPut, ...events.map((event) => outboxPut(tableName, event, now))],
 * }));
 * ```
 */
export const outboxPut = (tableName: string, event: OutgoingEvent, now: Date): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: {
      [SERVICE_TABLE.partitionKey]: `OUTBOX#${event.detail.metadata.eventId}`,
      [SERVICE_TABLE.sortKey]: 'OUTBOX',
      kind: OUTBOX_ITEM.kind,
      [OUTBOX_ITEM.attributes.source]: event.source,
      [OUTBOX_ITEM.attributes.detailType]: event.detailType,
      [OUTBOX_ITEM.attributes.detail]: JSON.stringify(event.detail),
      [SERVICE_TABLE.timeToLive]: Math.floor(now.getTime() / 1000) + OUTBOX_RETENTION_SECONDS,
    },
    ConditionExpression: 'attribute_not_exists(#pk)',
    ExpressionAttributeNames: { '#pk': SERVICE_TABLE.partitionKey },
  },
});
