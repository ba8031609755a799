import {
  BatchGetItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS } from '@shop/local-cloud';
import { percentile } from './percentile.js';

/**
 * The emulator round trips on the saga's critical path, from the order's placement write to its
 * confirmation write, each with how many times the path makes it: the placement's write; then,
 * for each of the three hops (OrderPlaced to Inventory, InventoryReserved to Payment,
 * PaymentSucceeded to Order), the relay's read of the stream and its PutEvents, EventBridge's
 * SendMessage to the consumer's queue, the mapping's ReceiveMessage, and the handler's calls up
 * to its write of the next event (an idempotency claim, a read of its item, its writes); and
 * Payment's charge at the card processor. The Lambda invocations (IPC to the service's process)
 * are not emulator calls, and not counted.
 */
export const CRITICAL_PATH: Readonly<Record<CallKind, number>> = {
  // Order's placement, Inventory's reservation, Payment's three saves (reservation recorded,
  // charge claimed, charge completed), Order's confirmation.
  TransactWriteItems: 6,
  // Each consumer's idempotency claim.
  PutItem: 3,
  // Each consumer's read of its item.
  GetItem: 3,
  // Inventory's read of the stock of the order's lines.
  BatchGetItem: 1,
  GetRecords: 3,
  PutEvents: 3,
  SendMessage: 3,
  ReceiveMessage: 3,
  Charge: 1,
};

export type CallKind =
  | 'TransactWriteItems'
  | 'PutItem'
  | 'GetItem'
  | 'BatchGetItem'
  | 'GetRecords'
  | 'PutEvents'
  | 'SendMessage'
  | 'ReceiveMessage'
  | 'Charge';

/** Each kind of call's round trips, in ms. */
export type RoundTrips = Readonly<Record<CallKind, readonly number[]>>;

/** Where the calls go: the endpoints the shop's functions reach, and the card processor. */
export interface FloorTargets {
  readonly region: string;
  readonly busName: string;
  readonly dynamodb: string;
  readonly sqs: string;
  readonly eventbridge: string;
  readonly cardProcessor: string;
}

/** Times one call, in ms. */
const timed = async (call: () => Promise<unknown>): Promise<number> => {
  const began = performance.now();
  await call();
  return performance.now() - began;
};

/**
 * Measures each kind of critical-path call `samples` times, one after another, against the
 * endpoints the shop's functions reach, with the local cloud's own keys (IAM off), on a table,
 * a queue and an event source of its own: the round trips alone, no handler in between.
 *
 * @example
 * ```ts
 * const trips = await measureRoundTrips({ region, busName, dynamodb, sqs, eventbridge, cardProcessor }, 30);
 * floorMs(trips); // e.g. 61.5
 * ```
 */
export const measureRoundTrips = async (
  targets: FloorTargets,
  samples: number,
): Promise<RoundTrips> => {
  const common = { region: targets.region, credentials: LOCAL_CREDENTIALS };
  const dynamodb = new DynamoDBClient({ ...common, endpoint: targets.dynamodb });
  const streams = new DynamoDBStreamsClient({ ...common, endpoint: targets.dynamodb });
  const sqs = new SQSClient({ ...common, endpoint: targets.sqs });
  const events = new EventBridgeClient({ ...common, endpoint: targets.eventbridge });
  try {
    const TableName = `bench-floor-${Date.now()}`;
    const { TableDescription } = await dynamodb.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    const StreamArn = String(TableDescription?.LatestStreamArn);
    // The stream's newest shard, described anew each time: DynamoDB Local may close a shard and
    // open another between two reads, and an iterator of a closed shard reads nothing current.
    const latest = async () => {
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn }));
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn,
          ShardId: String(StreamDescription?.Shards?.at(-1)?.ShardId),
          ShardIteratorType: 'LATEST',
        }),
      );
      return ShardIterator;
    };
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: TableName }));
    const trips: Record<CallKind, number[]> = {
      TransactWriteItems: [],
      PutItem: [],
      GetItem: [],
      BatchGetItem: [],
      GetRecords: [],
      PutEvents: [],
      SendMessage: [],
      ReceiveMessage: [],
      Charge: [],
    };
    for (let n = 0; n < samples; n++) {
      const key = { pk: { S: `item-${n}` } };
      trips.PutItem.push(
        await timed(() =>
          dynamodb.send(
            new PutItemCommand({
              TableName,
              Item: { ...key, claimed: { S: 'yes' } },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        ),
      );
      trips.GetItem.push(
        await timed(() => dynamodb.send(new GetItemCommand({ TableName, Key: key }))),
      );
      trips.BatchGetItem.push(
        await timed(() =>
          dynamodb.send(
            new BatchGetItemCommand({ RequestItems: { [TableName]: { Keys: [key] } } }),
          ),
        ),
      );
      trips.TransactWriteItems.push(
        await timed(() =>
          dynamodb.send(
            new TransactWriteItemsCommand({
              TransactItems: [
                { Put: { TableName, Item: { pk: { S: `state-${n}` }, status: { S: 'PLACED' } } } },
                { Put: { TableName, Item: { pk: { S: `outbox-${n}` }, detail: { S: '{}' } } } },
              ],
            }),
          ),
        ),
      );
      // A fresh iterator for each read (not timed): the read is the round trip the relay makes.
      const ShardIterator = await latest();
      const read = await timed(() =>
        streams.send(new GetRecordsCommand({ ShardIterator, Limit: 10 })),
      );
      trips.GetRecords.push(read);
      trips.PutEvents.push(
        await timed(() =>
          events.send(
            new PutEventsCommand({
              Entries: [
                {
                  EventBusName: targets.busName,
                  Source: 'bench.floor',
                  DetailType: 'Measured',
                  Detail: JSON.stringify({ n }),
                },
              ],
            }),
          ),
        ),
      );
      trips.SendMessage.push(
        await timed(() =>
          sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ n }) })),
        ),
      );
      let handle: string | undefined;
      trips.ReceiveMessage.push(
        await timed(async () => {
          const { Messages = [] } = await sqs.send(
            new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
          );
          handle = Messages[0]?.ReceiptHandle;
        }),
      );
      if (handle !== undefined) {
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: handle }));
      }
      trips.Charge.push(
        await timed(async () => {
          const answer = await fetch(`${targets.cardProcessor}/charges`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': `floor-${n}` },
            body: JSON.stringify({
              token: 'tok_success',
              amount: { amountMinor: 100, currency: 'EUR' },
              reference: `floor-${n}`,
            }),
          });
          await answer.arrayBuffer();
        }),
      );
    }
    return trips;
  } finally {
    for (const client of [dynamodb, streams, sqs, events]) client.destroy();
  }
};

/**
 * The floor: the sum, over the critical path's calls, of each kind's median round trip times how
 * often the path makes it.
 *
 * @example
 * ```ts
 * floorMs(await measureRoundTrips(targets, 30)); // e.g. 61.5
 * ```
 */
export const floorMs = (trips: RoundTrips): number =>
  Object.entries(CRITICAL_PATH).reduce(
    (sum, [kind, count]) => sum + count * percentile(trips[kind as CallKind], 50),
    0,
  );
