import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import {
  buildEvent,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPlacedV1,
  OrderPlacedV2,
  type OutgoingEvent,
  PaymentFailedV1,
  reads,
} from '@shop/contracts';
import type { Context, SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventConsumer } from '../src/eventConsumer.js';
import { Logger } from '../src/Logger.js';
import { IDEMPOTENCY_TABLE } from '../src/tables.js';
import { InMemoryTable, RecordingQueues, satisfies } from './fakes.js';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/000000000000/inventory-events';
const DEAD_LETTER_QUEUE_URL =
  'https://sqs.eu-west-1.amazonaws.com/000000000000/inventory-events-dlq';
const NOW = new Date('2026-01-01T00:00:00Z');
/** What Inventory's manifest subscribes to: three event versions, and the fields it reads. */
const INVENTORY_READS = [
  reads(OrderPlacedV1, ['orderId', 'lines']),
  reads(OrderConfirmedV1, ['orderId']),
  reads(OrderCancelledV1, ['orderId']),
];
const orderId = '0b8f5f7e-3c1a-4d2b-9e6f-1a2b3c4d5e6f';
const cause = { correlationId: orderId, causationId: orderId };

const context: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'inventory-events',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:inventory-events',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  logGroupName: '/aws/lambda/inventory-events',
  logStreamName: 'stream-1',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

/** An event as the bus puts it in the queue. */
const body = (event: OutgoingEvent, data: unknown = event.detail.data): string =>
  JSON.stringify({
    version: '0',
    id: 'bus-event-1',
    'detail-type': event.detailType,
    source: event.source,
    account: '000000000000',
    time: NOW.toISOString(),
    region: 'eu-west-1',
    resources: [],
    detail: { ...event.detail, data },
  });

const confirmed = () => buildEvent(OrderConfirmedV1, { orderId, customerId: 'c-1' }, cause);

let sequence = 0;
const message = (text: string, receiveCount = 1): SQSRecord => {
  sequence += 1;
  return {
    messageId: `message-${sequence}`,
    receiptHandle: `receipt-${sequence}`,
    body: text,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(NOW.getTime()),
      SenderId: 'events.amazonaws.com',
      ApproximateFirstReceiveTimestamp: String(NOW.getTime()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:inventory-events',
    awsRegion: 'eu-west-1',
  };
};

let table: InMemoryTable;
let queues: RecordingQueues;
/** The event ids the use case handled, in order. */
let handled: string[];
/** The correlation id of the logger each handling got. */
let correlations: unknown[];
/** Event ids whose handling throws. */
let failing: Set<string>;

const consumer = (props: { idempotencySeconds?: number } = {}) =>
  eventConsumer({
    events: INVENTORY_READS,
    handle: async (event, { logger }) => {
      handled.push(event.metadata.eventId);
      correlations.push(logger.getCorrelationId());
      if (failing.has(event.metadata.eventId)) throw new Error('Stock table throttled');
    },
    logger: new Logger({ logLevel: 'SILENT' }),
    dynamodb: table.client,
    sqs: queues.client,
    idempotencyTableName: table.tableName,
    queueUrl: QUEUE_URL,
    deadLetterQueueUrl: DEAD_LETTER_QUEUE_URL,
    ...props,
  });

const deliver = (handler: ReturnType<typeof consumer>, ...records: SQSRecord[]) =>
  handler({ Records: records }, context);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  table = new InMemoryTable('idempotency', IDEMPOTENCY_TABLE.partitionKey);
  queues = new RecordingQueues();
  handled = [];
  correlations = [];
  failing = new Set();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('a message that can never succeed', () => {
  const orderPlacedV2 = () =>
    buildEvent(OrderPlacedV2, { ...OrderPlacedV2.example, orderId }, cause);

  it.each([
    ['not JSON', () => 'not json {', 'MALFORMED_EVENT', 'Event is not valid JSON'],
    [
      'not the envelope',
      () => JSON.stringify({ hello: 'world' }),
      'MALFORMED_EVENT',
      'Event is not in the shop envelope',
    ],
    [
      'an event not subscribed to',
      () => body(buildEvent(PaymentFailedV1, { orderId, reason: 'CARD_DECLINED' }, cause)),
      'UNKNOWN_EVENT',
      "Unknown event: detail-type 'PaymentFailed' from source 'shop.payment'",
    ],
    [
      'a version not subscribed to',
      () => body(orderPlacedV2()),
      'UNKNOWN_EVENT_VERSION',
      'Unknown version 2 of OrderPlaced; known versions: 1',
    ],
    [
      'invalid data',
      () => body(confirmed(), { orderId: 'not-an-order-id' }),
      'INVALID_EVENT_DATA',
      'OrderConfirmed v1 data is invalid: orderId',
    ],
  ])('%s goes to the DLQ with its reason and is acknowledged', async (_, text, code, reason) => {
    const poison = message(text());

    const response = await deliver(consumer(), poison);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(queues.sent).toEqual([
      {
        QueueUrl: DEAD_LETTER_QUEUE_URL,
        MessageBody: poison.body,
        MessageAttributes: {
          ErrorCode: { DataType: 'String', StringValue: code },
          ErrorMessage: { DataType: 'String', StringValue: expect.stringContaining(reason) },
          SourceMessageId: { DataType: 'String', StringValue: poison.messageId },
        },
      },
    ]);
    expect(handled).toEqual([]);
    expect(table.items.size).toBe(0);
    expect(queues.visibilityChanges).toEqual([]);
  });

  it('does not hold back the rest of its batch', async () => {
    const event = confirmed();

    const response = await deliver(consumer(), message('not json'), message(body(event)));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(handled).toEqual([event.detail.metadata.eventId]);
    expect(queues.sent).toHaveLength(1);
  });

  it('is retried when it cannot be sent to the DLQ, so it is never lost', async () => {
    queues.failWith('SendMessageCommand', new Error('Throttled'));
    const poison = message('not json');

    const response = await deliver(consumer(), poison, message(body(confirmed())));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison.messageId }] });
  });
});

describe('each event is handled once', () => {
  it('handles an event and remembers its id for the retention period', async () => {
    const event = confirmed();

    const response = await deliver(consumer(), message(body(event)));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(handled).toEqual([event.detail.metadata.eventId]);
    expect([...table.items.values()]).toEqual([
      expect.objectContaining({
        status: { S: 'COMPLETED' },
        [IDEMPOTENCY_TABLE.timeToLive]: { N: String(NOW.getTime() / 1000 + 14 * 24 * 3600) },
      }),
    ]);
  });

  it('gives the use case a logger that carries the correlation id of the event', async () => {
    await deliver(consumer(), message(body(confirmed())));

    expect(correlations).toEqual([orderId]);
  });

  it('does not handle the same event id again, even in another message', async () => {
    const handler = consumer();
    const event = confirmed();
    await deliver(handler, message(body(event)));

    const response = await deliver(handler, message(body(event), 2), message(body(event)));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(handled).toEqual([event.detail.metadata.eventId]);
  });

  it('handles different events of one batch each', async () => {
    const [first, second] = [confirmed(), confirmed()];

    await deliver(consumer(), message(body(first)), message(body(second)));

    expect(handled.sort()).toEqual(
      [first.detail.metadata.eventId, second.detail.metadata.eventId].sort(),
    );
  });

  it('retries later, without handling it, a copy that arrives while the first is in progress', async () => {
    const event = confirmed();
    const [first, copy] = [message(body(event)), message(body(event))];

    const response = await deliver(consumer(), first, copy);

    expect(handled).toEqual([event.detail.metadata.eventId]);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: copy.messageId }] });
  });

  it('handles an event id again once its record has expired', async () => {
    const handler = consumer({ idempotencySeconds: 60 });
    const event = confirmed();
    await deliver(handler, message(body(event)));

    vi.setSystemTime(NOW.getTime() + 59_000);
    await deliver(handler, message(body(event)));
    expect(handled).toHaveLength(1);

    vi.setSystemTime(NOW.getTime() + 61_000);
    await deliver(handler, message(body(event)));
    expect(handled).toHaveLength(2);
  });
});

describe('a failure', () => {
  it('is a batch item failure that comes back after a back-off, and is handled then', async () => {
    const handler = consumer();
    const [good, bad] = [confirmed(), confirmed()];
    failing.add(bad.detail.metadata.eventId);
    const retried = message(body(bad), 3);

    const response = await deliver(handler, message(body(good)), retried);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: retried.messageId }] });
    expect(queues.visibilityChanges).toEqual([
      {
        QueueUrl: QUEUE_URL,
        ReceiptHandle: retried.receiptHandle,
        VisibilityTimeout: expect.any(Number),
      },
    ]);
    // Receive 3: 2^3 = 8 seconds at most, half of it at least (jitter).
    const [{ VisibilityTimeout } = {}] = queues.visibilityChanges;
    expect(VisibilityTimeout).toBeGreaterThanOrEqual(4);
    expect(VisibilityTimeout).toBeLessThanOrEqual(8);
    expect(queues.sent).toEqual([]);

    failing.clear();
    expect(await deliver(handler, message(body(bad), 4))).toEqual({ batchItemFailures: [] });
    expect(handled).toEqual([
      good.detail.metadata.eventId,
      bad.detail.metadata.eventId,
      bad.detail.metadata.eventId,
    ]);
  });

  it('is still a batch item failure when the back-off cannot be set', async () => {
    queues.failWith('ChangeMessageVisibilityCommand', new Error('Access denied'));
    const bad = confirmed();
    failing.add(bad.detail.metadata.eventId);
    const retried = message(body(bad));

    const response = await deliver(consumer(), message(body(confirmed())), retried);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: retried.messageId }] });
  });

  it('of every record fails the whole batch, each record with its back-off', async () => {
    const events = [confirmed(), confirmed()];
    for (const event of events) failing.add(event.detail.metadata.eventId);

    await expect(
      deliver(consumer(), ...events.map((event) => message(body(event)))),
    ).rejects.toThrow(FullBatchFailureError);

    expect(queues.visibilityChanges).toHaveLength(2);
  });
});

describe('the log', () => {
  it("never holds an event's data: a payment token neither dead-lettered nor failing", async () => {
    const written: string[] = [];
    const capture = ((chunk: unknown) =>
      written.push(String(chunk)) > 0) as typeof process.stdout.write;
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const token = 'tok_4242_secret';
    const placed = buildEvent(
      OrderPlacedV2,
      { ...OrderPlacedV2.example, orderId, paymentToken: token },
      cause,
    );
    const handler = eventConsumer({
      events: [reads(OrderPlacedV2, ['orderId', 'paymentToken'])],
      handle: async () => {
        throw new Error('Payments table throttled');
      },
      logger: new Logger({ serviceName: 'payment', logLevel: 'DEBUG' }),
      dynamodb: table.client,
      sqs: queues.client,
      idempotencyTableName: table.tableName,
      queueUrl: QUEUE_URL,
      deadLetterQueueUrl: DEAD_LETTER_QUEUE_URL,
    });
    const invalid = message(
      body(placed, { ...placed.detail.data, paymentToken: `${token}\uffff` }),
    );

    const response = await deliver(handler, invalid, message(body(placed)));
    vi.restoreAllMocks();

    expect(response.batchItemFailures).toHaveLength(1);
    const log = written.join('');
    expect(log).toContain('Unprocessable message sent to the DLQ');
    expect(log).toContain('Event failed; it will be retried');
    expect(log).not.toContain(token);
  });
});

describe('the in-memory table these tests run on', () => {
  const item = { id: { S: 'k' }, expiration: { N: '100' }, status: { S: 'INPROGRESS' } };
  const values = { ':now': { N: '150' }, ':inprogress': { S: 'INPROGRESS' } };
  const names = { '#id': 'id', '#expiry': 'expiration', '#status': 'status' };

  it.each([
    ['attribute_not_exists(#id)', 'no item', true],
    ['attribute_not_exists(#id)', 'the item', false],
    ['#expiry < :now', 'the item', true],
    ['#expiry < :now', 'no item', false],
    ['attribute_not_exists(#id) OR #expiry < :now', 'the item', true],
    ['#status = :inprogress AND #expiry > :now', 'the item', false],
    ['(#status = :inprogress AND NOT #expiry > :now)', 'the item', true],
  ])('evaluates %s on %s as DynamoDB does: %s', (expression, stored, expected) => {
    expect(satisfies(expression, stored === 'no item' ? undefined : item, names, values)).toBe(
      expected,
    );
  });

  it('refuses an expression it does not understand rather than guess', () => {
    expect(() => satisfies('begins_with(#id, :now)', item, names, values)).toThrow(
      'does not support',
    );
  });
});
