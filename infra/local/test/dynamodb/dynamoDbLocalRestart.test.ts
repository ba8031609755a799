import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import {
  CreateEventBusCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../src/dynamodb/startDynamoDbLocal.js';
import { newImageString, StreamToBusRelay } from '../../src/pipes/index.js';
import { createQueue, credentials, type Messaging, region, startMessaging } from '../support.js';

/** How long DynamoDB Local may take to answer, at start and after a restart: a busy JVM is slow. */
const START_TIMEOUT_MS = 120_000;

let dynamodbLocal: DynamoDbLocal;
let messaging: Messaging;
let dynamodb: DynamoDBClient;
let streams: DynamoDBStreamsClient;
let relay: StreamToBusRelay;
let streamArn = '';
let queueUrl = '';
const lines: string[] = [];
const relayErrors: unknown[] = [];

const outboxItems = (ids: readonly string[]) =>
  new TransactWriteItemsCommand({
    TransactItems: ids.flatMap((id) => [
      { Put: { TableName: 'orders', Item: { pk: { S: `ORDER#${id}` }, kind: { S: 'order' } } } },
      {
        Put: {
          TableName: 'orders',
          Item: {
            pk: { S: `OUTBOX#${id}` },
            kind: { S: 'outbox' },
            detail: { S: JSON.stringify({ orderId: id }) },
          },
        },
      },
    ]),
  });

beforeAll(async () => {
  [dynamodbLocal, messaging] = await Promise.all([
    startDynamoDbLocal({
      port: 0,
      startTimeoutMs: START_TIMEOUT_MS,
      log: (line) => lines.push(line),
    }),
    startMessaging(),
  ]);
  dynamodb = new DynamoDBClient({ region, credentials, endpoint: dynamodbLocal.endpoint });
  streams = new DynamoDBStreamsClient({ region, credentials, endpoint: dynamodbLocal.endpoint });
  const { TableDescription } = await dynamodb.send(
    new CreateTableCommand({
      TableName: 'orders',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  streamArn = String(TableDescription?.LatestStreamArn);

  const { eventBridge, sqs } = messaging;
  await eventBridge.send(new CreateEventBusCommand({ Name: 'shop' }));
  const queue = await createQueue(sqs, 'relayed');
  queueUrl = queue.url;
  await eventBridge.send(
    new PutRuleCommand({ Name: 'all', EventBusName: 'shop', EventPattern: '{"source":["test"]}' }),
  );
  await eventBridge.send(
    new PutTargetsCommand({
      Rule: 'all',
      EventBusName: 'shop',
      Targets: [{ Id: 'q', Arn: queue.arn }],
    }),
  );
  relay = new StreamToBusRelay({
    streams,
    eventBridge,
    streamArn,
    filter: { eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['outbox'] } } } },
    transform: (record) => ({
      EventBusName: 'shop',
      Source: 'test',
      DetailType: 'OrderPlaced',
      Detail: newImageString(record, 'detail'),
    }),
    deadLetter: async () => {
      throw new Error('nothing should be dead-lettered');
    },
    onError: (error) => relayErrors.push(error),
  });
  relay.start();
}, 2 * START_TIMEOUT_MS);

afterAll(async () => {
  await relay?.stop();
  await messaging?.stop();
  await dynamodbLocal?.stop();
});

/** Receives the relayed events until every one of `ids` was seen; answers every order id seen. */
const relayedUntil = async (ids: readonly string[], seen: string[]): Promise<void> => {
  while (!ids.every((id) => seen.includes(id))) {
    const { Messages = [] } = await messaging.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        WaitTimeSeconds: 2,
        MaxNumberOfMessages: 10,
      }),
    );
    seen.push(...Messages.map((message) => JSON.parse(String(message.Body)).detail.orderId));
    if (Messages.length > 0) {
      await messaging.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
    }
  }
};

/** Polls until a new Java process answers, within the start timeout. */
const backAfter = async (killed: number): Promise<void> => {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const pid = dynamodbLocal.pid;
    const answers =
      pid !== undefined &&
      pid !== killed &&
      (await dynamodb.send(new ListTablesCommand({})).then(
        () => true,
        () => false,
      ));
    if (answers) return;
    if (Date.now() > deadline)
      throw new Error(`DynamoDB Local was not back in ${START_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

/** Every record of the table's stream, from its oldest: the shard and the order id of each. */
const streamRecords = async () => {
  const { StreamDescription } = await streams.send(
    new DescribeStreamCommand({ StreamArn: streamArn }),
  );
  const records: { shard: string; sequence: string; key: string }[] = [];
  for (const { ShardId } of StreamDescription?.Shards ?? []) {
    let { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (ShardIterator !== undefined) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
      for (const record of page.Records ?? []) {
        records.push({
          shard: String(ShardId),
          sequence: String(record.dynamodb?.SequenceNumber),
          key: String(record.dynamodb?.Keys?.['pk']?.S),
        });
      }
      ShardIterator = (page.Records ?? []).length === 0 ? undefined : page.NextShardIterator;
    }
  }
  return records;
};

describe('DynamoDB Local killed with SIGKILL', () => {
  it('runs its launcher from the class compiled once, not from the source', () => {
    const command = readFileSync(`/proc/${dynamodbLocal.pid}/cmdline`, 'utf8').split('\0');
    const classPath = command[command.indexOf('-cp') + 1]?.split(':') ?? [];

    expect(command[command.indexOf('-cp') + 2]).toBe('LoopbackDynamoDbLocal');
    expect(command.some((arg) => arg.endsWith('.java'))).toBe(false);
    expect(classPath.some((entry) => existsSync(join(entry, 'LoopbackDynamoDbLocal.class')))).toBe(
      true,
    );
  });

  it(
    'comes back on its port with its items and stream, and the relay publishes each record once',
    async () => {
      const seen: string[] = [];
      await dynamodb.send(outboxItems(['a1', 'a2', 'a3']));
      await relayedUntil(['a1', 'a2', 'a3'], seen);
      const shardsBefore = new Set((await streamRecords()).map((record) => record.shard));

      const killed = Number(dynamodbLocal.pid);
      process.kill(killed, 'SIGKILL');
      await backAfter(killed);
      await dynamodb.send(outboxItems(['b1', 'b2', 'b3']));
      await relayedUntil(['b1', 'b2', 'b3'], seen);

      const items = await Promise.all(
        ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map((id) =>
          dynamodb.send(
            new GetItemCommand({ TableName: 'orders', Key: { pk: { S: `ORDER#${id}` } } }),
          ),
        ),
      );
      expect(items.map(({ Item }) => Item?.['pk']?.S)).toEqual(
        ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map((id) => `ORDER#${id}`),
      );
      const records = await streamRecords();
      expect(records.filter((r) => r.key.startsWith('OUTBOX#')).map((r) => r.key)).toEqual(
        ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map((id) => `OUTBOX#${id}`),
      );
      expect(new Set(records.map((record) => record.shard))).toEqual(shardsBefore);
      const sequences = records.map((record) => BigInt(record.sequence));
      expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect([...seen].sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3']);
      expect(relay.publishedCount).toBe(6);
      // The outage reported once by each of the relay's loops that met it, not at every retry:
      // the shard's records loop always (it reads on), the shards loop only if it described the
      // stream during the outage (it does when a shard closes, or every 10 s).
      expect(relayErrors.length).toBeGreaterThanOrEqual(1);
      expect(relayErrors.length).toBeLessThanOrEqual(2);
      expect(dynamodbLocal.restarts).toBe(1);
      expect(lines).toEqual([
        `[dynamodb] DynamoDB Local (pid ${killed}) exited on SIGKILL; starting it again on port ${dynamodbLocal.port} with its data in ${dynamodbLocal.dataDirectory}`,
        expect.stringMatching(
          new RegExp(
            `^\\[dynamodb\\] DynamoDB Local is back on port ${dynamodbLocal.port} in \\d+ ms$`,
          ),
        ),
      ]);
    },
    3 * START_TIMEOUT_MS,
  );

  it('is not started again once stopped, and the directory made for the run is removed', async () => {
    const { dataDirectory } = dynamodbLocal;
    const restarts = dynamodbLocal.restarts;
    expect(readdirSync(dataDirectory)).toContain('shared-local-instance.db');

    await relay.stop();
    await dynamodbLocal.stop();

    expect(existsSync(dataDirectory)).toBe(false);
    expect([dynamodbLocal.pid, dynamodbLocal.restarts]).toEqual([undefined, restarts]);
  });

  it(
    'dies with the process that started it, even one killed with SIGKILL',
    async () => {
      const owner = spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('dynamoDbLocalOwner.ts', import.meta.url))],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const [pid = 0, dataDirectory = ''] = await new Promise<string[]>((resolve) => {
        owner.stdout.once('data', (line: Buffer) => resolve(line.toString().trim().split(' ')));
      });
      const alive = () => {
        try {
          process.kill(Number(pid), 0);
          return true;
        } catch {
          return false;
        }
      };
      expect(alive()).toBe(true);

      owner.kill('SIGKILL');
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (alive() && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
      rmSync(dataDirectory, { recursive: true, force: true });

      expect(alive()).toBe(false);
    },
    2 * START_TIMEOUT_MS,
  );

  it(
    'keeps a data directory it was given',
    async () => {
      const given = mkdtempSync(join(tmpdir(), 'shop-dynamodb-test-'));
      try {
        const kept = await startDynamoDbLocal({
          port: 0,
          dataDirectory: given,
          startTimeoutMs: START_TIMEOUT_MS,
        });
        await kept.stop();

        expect(readdirSync(given)).toEqual(['shared-local-instance.db']);
      } finally {
        rmSync(given, { recursive: true, force: true });
      }
    },
    3 * START_TIMEOUT_MS,
  );
});
