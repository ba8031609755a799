import {
  CreateTableCommand,
  DynamoDBClient,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import {
  CreateEventBusCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newImageString,
  type RelayFailure,
  type StreamRecord,
  StreamToBusRelay,
  type StreamToBusRelayProps,
  sqsDeadLetter,
} from '../../src/pipes/index.js';
import {
  createQueue,
  credentials,
  deferred,
  type Messaging,
  region,
  sharedDynamoDb,
  startMessaging,
} from '../support.js';

let endpoint = '';
let messaging: Messaging;
let dynamodb: DynamoDBClient;
let sqs: SQSClient;
let eventBridge: EventBridgeClient;
let relay: StreamToBusRelay;
const deadLetters: { record: StreamRecord; reason: string }[] = [];
const firstDeadLetter = deferred();
let queueUrl = '';

const outboxFilter = { eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['outbox'] } } } };

const outboxEntry = (record: StreamRecord) => ({
  EventBusName: newImageString(record, 'bus') ?? 'shop',
  Source: newImageString(record, 'source'),
  DetailType: newImageString(record, 'detailType'),
  Detail: newImageString(record, 'detail'),
});

/** A table with a stream of new images; answers the stream's ARN. */
const createStreamTable = async (name: string): Promise<string> => {
  const { TableDescription } = await dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  return String(TableDescription?.LatestStreamArn);
};

beforeAll(async () => {
  [endpoint, messaging] = await Promise.all([sharedDynamoDb(), startMessaging()]);
  ({ sqs, eventBridge } = messaging);
  dynamodb = new DynamoDBClient({ region, credentials, endpoint });

  const streamArn = await createStreamTable('orders');
  await eventBridge.send(new CreateEventBusCommand({ Name: 'shop' }));
  const queue = await createQueue(sqs, 'everything');
  queueUrl = queue.url;
  await eventBridge.send(
    new PutRuleCommand({
      Name: 'all-shop',
      EventBusName: 'shop',
      EventPattern: '{"source":[{"prefix":"shop."}]}',
    }),
  );
  await eventBridge.send(
    new PutTargetsCommand({
      Rule: 'all-shop',
      EventBusName: 'shop',
      Targets: [{ Id: 'q', Arn: queue.arn }],
    }),
  );

  relay = new StreamToBusRelay({
    streams: new DynamoDBStreamsClient({ region, credentials, endpoint }),
    eventBridge,
    streamArn,
    filter: outboxFilter,
    transform: outboxEntry,
    deadLetter: async (record, reason) => {
      deadLetters.push({ record, reason });
      firstDeadLetter.resolve();
    },
    maximumRetryAttempts: 1,
  });
  relay.start();
}, 180_000);

afterAll(async () => {
  await relay?.stop();
  await messaging?.stop();
});

const outboxItem = (eventId: string, detail: object, bus = 'shop', table = 'orders') => ({
  Put: {
    TableName: table,
    Item: {
      pk: { S: `OUTBOX#${eventId}` },
      kind: { S: 'outbox' },
      bus: { S: bus },
      source: { S: 'shop.order' },
      detailType: { S: 'OrderPlaced' },
      detail: { S: JSON.stringify(detail) },
    },
  },
});

describe('outbox relay: DynamoDB stream -> filter -> EventBridge', () => {
  it('publishes the outbox item written in the same transaction as the state, and nothing else', async () => {
    await dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: 'orders',
              Item: { pk: { S: 'ORDER#1' }, kind: { S: 'order' }, status: { S: 'PENDING' } },
            },
          },
          outboxItem('e1', { orderId: '1' }),
        ],
      }),
    );

    let body: string | undefined;
    while (body === undefined) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          WaitTimeSeconds: 5,
          MaxNumberOfMessages: 10,
        }),
      );
      expect(Messages.length).toBeLessThanOrEqual(1);
      body = Messages[0]?.Body;
    }

    expect(JSON.parse(body)).toMatchObject({
      source: 'shop.order',
      'detail-type': 'OrderPlaced',
      detail: { orderId: '1' },
    });
  });

  it('dead-letters an entry the bus keeps refusing, with the reason, and keeps relaying', async () => {
    await dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [outboxItem('e2', { orderId: '2' }, 'no-such-bus')],
      }),
    );
    await dynamodb.send(
      new TransactWriteItemsCommand({ TransactItems: [outboxItem('e3', { orderId: '3' })] }),
    );

    let body: string | undefined;
    while (body === undefined) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }),
      );
      body = Messages[0]?.Body;
    }

    await firstDeadLetter.promise;

    expect(JSON.parse(body)).toMatchObject({ detail: { orderId: '3' } });
    expect(deadLetters.map(({ record, reason }) => [newImageString(record, 'pk'), reason])).toEqual(
      [['OUTBOX#e2', 'InvalidArgument: Event bus no-such-bus does not exist.']],
    );
  });
});

describe('outbox relay: PutEvents requests within their limits', () => {
  it('splits records whose entries add up to more than 1 MiB over requests, and loses none', async () => {
    const streamArn = await createStreamTable('catalogue');
    const dlq = await createQueue(sqs, 'catalogue-relay-dlq');
    // Three items of about 390 KB (a DynamoDB item holds 400 KB): 1.17 MB in one GetRecords batch.
    const big = (n: number) =>
      outboxItem(`c${n}`, { orderId: `big-${n}`, pad: 'x'.repeat(390_000) }, 'shop', 'catalogue');
    await dynamodb.send(new TransactWriteItemsCommand({ TransactItems: [big(1), big(2), big(3)] }));
    const catalogue = new StreamToBusRelay({
      streams: new DynamoDBStreamsClient({ region, credentials, endpoint }),
      eventBridge,
      streamArn,
      filter: outboxFilter,
      transform: outboxEntry,
      deadLetter: sqsDeadLetter(sqs, dlq.url),
      maximumRetryAttempts: 0,
    });
    catalogue.start();

    const published = new Set<string>();
    while (published.size < 3) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          WaitTimeSeconds: 5,
          MaxNumberOfMessages: 10,
        }),
      );
      for (const message of Messages) {
        const orderId = JSON.parse(String(message.Body)).detail?.orderId;
        if (typeof orderId === 'string' && orderId.startsWith('big-')) published.add(orderId);
      }
    }
    await catalogue.stop();

    expect([...published].sort()).toEqual(['big-1', 'big-2', 'big-3']);
    expect([catalogue.publishedCount, catalogue.sentToDlqCount]).toEqual([3, 0]);
  });
});

/** Waits for the first message of a queue, with its attributes. */
const firstMessage = async (url: string): Promise<Message> => {
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        WaitTimeSeconds: 5,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages[0] !== undefined) return Messages[0];
  }
};

/** A relay from a new table's stream to the bus that dead-letters to `deadLetterQueueUrl`. */
const relayFrom = async (
  table: string,
  deadLetterQueueUrl: string,
  options: Partial<StreamToBusRelayProps> = {},
) => {
  const started = new StreamToBusRelay({
    streams: new DynamoDBStreamsClient({ region, credentials, endpoint }),
    eventBridge,
    streamArn: await createStreamTable(table),
    filter: outboxFilter,
    transform: outboxEntry,
    deadLetter: sqsDeadLetter(sqs, deadLetterQueueUrl),
    maximumRetryAttempts: 0,
    ...options,
  });
  started.start();
  return started;
};

describe('outbox relay: nothing dropped silently', () => {
  it('sends a record the bus refuses to the SQS dead-letter queue, even with characters SQS refuses', async () => {
    const dlq = await createQueue(sqs, 'payments-relay-dlq');
    const payments = await relayFrom('payments', dlq.url);

    await dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          outboxItem('p1', { note: 'not for SQS: \uffff' }, 'no-such-bus', 'payments'),
        ],
      }),
    );
    const dead = await firstMessage(dlq.url);
    await payments.stop();

    const record = JSON.parse(String(dead.Body)) as StreamRecord;
    expect(newImageString(record, 'detail')).toBe(JSON.stringify({ note: 'not for SQS: \uffff' }));
    expect(dead.MessageAttributes?.['ErrorMessage']?.StringValue).toBe(
      'InvalidArgument: Event bus no-such-bus does not exist.',
    );
    expect([payments.sentToDlqCount, payments.failedToBeSentToDlqCount]).toEqual([1, 0]);
  });

  it('sends a record the transform throws on to the dead-letter queue', async () => {
    const dlq = await createQueue(sqs, 'shipping-relay-dlq');
    const shipping = await relayFrom('shipping', dlq.url, {
      transform: (record) => {
        if (newImageString(record, 'pk') === 'OUTBOX#s1') throw new TypeError('no detail type');
        return outboxEntry(record);
      },
    });

    await dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [outboxItem('s1', { orderId: 's1' }, 'shop', 'shipping')],
      }),
    );
    const dead = await firstMessage(dlq.url);
    await shipping.stop();

    expect(newImageString(JSON.parse(String(dead.Body)), 'pk')).toBe('OUTBOX#s1');
    expect(dead.MessageAttributes?.['ErrorMessage']?.StringValue).toBe(
      'Transform failed: TypeError: no detail type',
    );
  });

  it('reports and counts a record its dead-letter queue refuses too, and keeps relaying', async () => {
    const missingQueueUrl = queueUrl.replace(/[^/]+$/, 'no-such-relay-dlq');
    const failures: RelayFailure[] = [];
    const reported = deferred();
    const inventory = await relayFrom('inventory', missingQueueUrl, {
      onDeliveryFailure: (failure) => {
        failures.push(failure);
        reported.resolve();
      },
    });

    await dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [outboxItem('i1', { orderId: 'lost' }, 'no-such-bus', 'inventory')],
      }),
    );
    await dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [outboxItem('i2', { orderId: 'after-loss' }, 'shop', 'inventory')],
      }),
    );
    await reported.promise;
    let published: unknown;
    while (published === undefined) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          WaitTimeSeconds: 5,
          MaxNumberOfMessages: 10,
        }),
      );
      published = Messages.map((m) => JSON.parse(String(m.Body))).find(
        (event) => event.detail?.orderId === 'after-loss',
      );
    }
    await inventory.stop();

    expect(failures.map(({ record, reason }) => [newImageString(record, 'pk'), reason])).toEqual([
      ['OUTBOX#i1', 'InvalidArgument: Event bus no-such-bus does not exist.'],
    ]);
    expect(failures[0]?.deadLetterError).toMatchObject({ name: 'QueueDoesNotExist' });
    expect([
      inventory.publishedCount,
      inventory.sentToDlqCount,
      inventory.failedToBeSentToDlqCount,
    ]).toEqual([1, 0, 1]);
  });
});

/** How long a test waits for a condition before it fails. */
const CONDITION_DEADLINE_MS = 30_000;

/** Waits until `condition` holds, checking every 10 ms; fails at the deadline. */
const until = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + CONDITION_DEADLINE_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Not ${what} within ${CONDITION_DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('outbox relay: woken by writes', () => {
  /** Writes `count` outbox items to `bus`'s table one at a time, each told, each published. */
  const writeEachAndWake = async (
    relay: { wake(): void; readonly publishedCount: number },
    bus: string,
    count: number,
  ) => {
    for (let n = 1; n <= count; n++) {
      await dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [outboxItem(`${bus}-${n}`, { n }, bus, bus)],
        }),
      );
      relay.wake();
      await until(() => relay.publishedCount === n, `published ${n}`);
    }
  };

  it('reads its stream as soon as a write is told, though its poll would wait an hour', async () => {
    await eventBridge.send(new CreateEventBusCommand({ Name: 'woken' }));
    const woken = await relayFrom('woken', queueUrl, { idlePollMs: 3_600_000 });

    await writeEachAndWake(woken, 'woken', 3);
    // Stopping cuts its hour-long wait short.
    await woken.stop();

    expect([woken.publishedCount, woken.sentToDlqCount]).toEqual([3, 0]);
  });

  it('reads once per write told: a read short of its batch waits for the next write', async () => {
    await eventBridge.send(new CreateEventBusCommand({ Name: 'short' }));
    const streams = new DynamoDBStreamsClient({ region, credentials, endpoint });
    let reads = 0;
    streams.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'GetRecordsCommand') reads++;
        return next(args);
      },
      { step: 'initialize' },
    );
    const short = await relayFrom('short', queueUrl, { streams, idlePollMs: 3_600_000 });
    // Its first read finds the new stream empty; then it waits for a write.
    await until(() => reads === 1, 'read the empty stream');

    await writeEachAndWake(short, 'short', 2);
    await short.stop();

    // One read per write: none after a read of one record, fewer than its batch of 10.
    expect([reads, short.publishedCount]).toEqual([3, 2]);
  });
});
