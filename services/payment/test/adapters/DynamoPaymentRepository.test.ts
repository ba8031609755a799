import {
  type AttributeValue,
  DynamoDBClient,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { newPayment, onCancellation, recordOrder } from '#domain/payment.js';
import { DynamoPaymentRepository } from '../../src/adapters/DynamoPaymentRepository.js';
import { NOW, ORDER_ID, TOTAL } from '../fakes.js';

type Item = Record<string, AttributeValue>;

const keyOf = (item: Item) => JSON.stringify([item['pk'], item['sk']]);

/**
 * A real DynamoDB client whose requests never leave the process: each TransactWriteItems is
 * recorded as DynamoDB would receive it, and its Puts kept as the table's items.
 */
const recordingDynamoDb = () => {
  const writes: TransactWriteItemsCommandInput[] = [];
  const items = new Map<string, Item>();
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
  });
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand') {
        const input = args.input as TransactWriteItemsCommandInput;
        writes.push(input);
        for (const { Put } of input.TransactItems ?? []) {
          if (Put?.Item !== undefined) items.set(keyOf(Put.Item), Put.Item);
        }
        return { output: { $metadata: {} }, response: undefined };
      }
      throw new Error(`Not expected here: ${context.commandName}`);
    },
    { step: 'build', priority: 'low', name: 'recordingDynamoDb' },
  );
  return { writes, items, documents: DynamoDBDocumentClient.from(client) };
};

let dynamodb: ReturnType<typeof recordingDynamoDb>;
let repository: DynamoPaymentRepository;

beforeEach(() => {
  dynamodb = recordingDynamoDb();
  repository = new DynamoPaymentRepository(dynamodb.documents, 'payment');
});

describe('DynamoPaymentRepository', () => {
  it('removes the card token in the same conditional write that voids the payment', async () => {
    const awaiting = recordOrder(
      newPayment(ORDER_ID, NOW),
      { customerId: 'c-1', amount: TOTAL, paymentToken: 'tok_visa' },
      NOW,
    );
    if (awaiting === undefined) throw new Error('the order was not recorded');
    await repository.save(awaiting);
    expect(dynamodb.writes[0]?.TransactItems?.[0]?.Put?.Item).toMatchObject({
      paymentToken: { S: 'tok_visa' },
    });
    const decision = onCancellation(awaiting, ORDER_ID, NOW);
    if (decision.action !== 'void') throw new Error(`expected a void, got ${decision.action}`);

    await repository.save(decision.payment);

    // A Put replaces the whole item: what the payment no longer has is gone, in the write that
    // changes its status and only if nobody changed it since it was read.
    const voiding = dynamodb.writes[1]?.TransactItems ?? [];
    expect(voiding).toEqual([
      {
        Put: expect.objectContaining({
          TableName: 'payment',
          Item: expect.objectContaining({ status: { S: 'VOIDED' }, version: { N: '2' } }),
          ConditionExpression: '#version = :read',
          ExpressionAttributeValues: { ':read': { N: '1' } },
        }),
      },
    ]);
    expect(voiding[0]?.Put?.Item).not.toHaveProperty('paymentToken');
    const stored = dynamodb.items.get(
      keyOf({ pk: { S: `PAYMENT#${ORDER_ID}` }, sk: { S: 'PAYMENT' } }),
    );
    expect(stored).toMatchObject({ status: { S: 'VOIDED' } });
    expect(stored).not.toHaveProperty('paymentToken');
  });
});
