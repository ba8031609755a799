import { createServer } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDynamoDbLocal } from '../../src/dynamodb/startDynamoDbLocal.js';
import { PortInUseError } from '../../src/ports.js';
import { credentials, region, sharedDynamoDb } from '../support.js';

let client: DynamoDBClient;

beforeAll(async () => {
  client = new DynamoDBClient({ endpoint: await sharedDynamoDb(), region, credentials });
  await client.send(
    new CreateTableCommand({
      TableName: 'stock',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
}, 180_000);

afterAll(() => {
  client?.destroy();
});

const reserve = (sku: string, quantity: number) => ({
  Update: {
    TableName: 'stock',
    Key: { pk: { S: sku } },
    UpdateExpression: 'SET available = available - :q',
    ConditionExpression: 'available >= :q',
    ExpressionAttributeValues: { ':q': { N: String(quantity) } },
  },
});

describe('DynamoDB Local', () => {
  it('enables streams on a table, which the outbox relay reads', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'stock' }));

    expect(Table?.LatestStreamArn).toMatch(/^arn:aws:dynamodb:.*:table\/stock\/stream\//);
  });

  it('cancels a whole transaction when one condition fails, and writes nothing', async () => {
    await client.send(
      new PutItemCommand({
        TableName: 'stock',
        Item: { pk: { S: 'MUG-001' }, available: { N: '5' } },
      }),
    );
    await client.send(
      new PutItemCommand({
        TableName: 'stock',
        Item: { pk: { S: 'TEE-002' }, available: { N: '1' } },
      }),
    );

    const attempt = client.send(
      new TransactWriteItemsCommand({
        TransactItems: [reserve('MUG-001', 2), reserve('TEE-002', 2)],
      }),
    );

    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(
      ['None', 'ConditionalCheckFailed'],
    );
    const mug = await client.send(
      new GetItemCommand({ TableName: 'stock', Key: { pk: { S: 'MUG-001' } } }),
    );
    expect(mug.Item?.['available']?.N).toBe('5');
  });

  it('says Java is missing when there is no java to run', async () => {
    vi.stubEnv('PATH', '/nowhere');
    try {
      await expect(startDynamoDbLocal({ port: 0 })).rejects.toThrow(
        /^DynamoDB Local exited at once \(spawn java ENOENT\)\. Is Java 17\+ installed\?/,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('names the port and the variable to change when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    await expect(startDynamoDbLocal({ port })).rejects.toThrow(PortInUseError);
    await expect(startDynamoDbLocal({ port })).rejects.toThrow(
      `Port ${port} for DynamoDB Local is already in use. Stop what runs there or set LOCAL_DYNAMODB_PORT to another port.`,
    );
    blocker.close();
  });
});
