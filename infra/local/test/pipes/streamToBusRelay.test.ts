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
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../src/dynamodb/startDynamoDbLocal.js';
import { newImageString, type StreamRecord, StreamToBusRelay } from '../../src/pipes/index.js';
import {
  createQueue,
  credentials,
  deferred,
  type Messaging,
  region,
  startMessaging,
} from '../support.js';

let dynamodbLocal: DynamoDbLocal;
let messaging: Messaging;
let dynamodb: DynamoDBClient;
let sqs: SQSClient;
let eventBridge: EventBridgeClient;
let relay: StreamToBusRelay;
const deadLetters: { record: StreamRecord; reason: string }[] = [];
const firstDeadLetter = deferred();
let queueUrl = '';

const outboxFilter = { eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['outbox'] } } } };

beforeAll(async () => {
  [dynamodbLocal, messaging] = await Promise.all([
    startDynamoDbLocal({ port: 0 }),
    startMessaging(),
  ]);
  ({ sqs, eventBridge } = messaging);
  dynamodb = new DynamoDBClient({ region, credentials, endpoint: dynamodbLocal.endpoint });

  const { TableDescription } = await dynamodb.send(
    new CreateTableCommand({
      TableName: 'orders',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
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
    streams: new DynamoDBStreamsClient({ region, credentials, endpoint: dynamodbLocal.endpoint }),
    eventBridge,
    streamArn: String(TableDescription?.LatestStreamArn),
    filter: outboxFilter,
    transform: (record) => ({
      EventBusName: newImageString(record, 'bus') ?? 'shop',
      Source: newImageString(record, 'source'),
      DetailType: newImageString(record, 'detailType'),
      Detail: newImageString(record, 'detail'),
    }),
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
  await dynamodbLocal?.stop();
});

const outboxItem = (eventId: string, detail: object, bus = 'shop') => ({
  Put: {
    TableName: 'orders',
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
