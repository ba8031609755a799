import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  type EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBridgeServer } from '../../src/eventbridge/index.js';
import {
  account,
  createQueue as createQueueIn,
  type Messaging,
  region,
  startMessaging,
} from '../support.js';

let messaging: Messaging;
let eventBridgeServer: EventBridgeServer;
let sqs: SQSClient;
let events: EventBridgeClient;

const createQueue = (name: string) => createQueueIn(sqs, name);

const receiveAll = async (url: string) => {
  await eventBridgeServer.emulator.settled();
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
    }),
  );
  return Messages;
};

beforeAll(async () => {
  messaging = await startMessaging();
  ({ sqs, eventBridge: events, eventBridgeServer } = messaging);
  await events.send(new CreateEventBusCommand({ Name: 'shop' }));
});

afterAll(async () => {
  await messaging?.stop();
});

describe('local EventBridge through the real SDK client', () => {
  it('delivers a matching event to the SQS target in the EventBridge envelope', async () => {
    const queue = await createQueue('deliver-target');
    await events.send(
      new PutRuleCommand({
        Name: 'orders-to-queue',
        EventBusName: 'shop',
        EventPattern: JSON.stringify({ source: ['shop.order'], 'detail-type': ['OrderPlaced'] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'orders-to-queue',
        EventBusName: 'shop',
        Targets: [{ Id: 'q', Arn: queue.arn }],
      }),
    );

    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'shop',
            Source: 'shop.order',
            DetailType: 'OrderConfirmed',
            Detail: '{"n":1}',
          },
          {
            EventBusName: 'shop',
            Source: 'shop.order',
            DetailType: 'OrderPlaced',
            Detail: '{"n":2}',
            Resources: ['r1'],
          },
        ],
      }),
    );
    const messages = await receiveAll(queue.url);

    expect(result.FailedEntryCount).toBe(0);
    expect(messages).toHaveLength(1);
    const delivered = JSON.parse(String(messages[0]?.Body));
    expect(delivered).toEqual({
      version: '0',
      id: result.Entries?.[1]?.EventId,
      'detail-type': 'OrderPlaced',
      source: 'shop.order',
      account,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region,
      resources: ['r1'],
      detail: { n: 2 },
    });
  });

  it('answers each malformed PutEvents entry with its own error code and accepts the rest', async () => {
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'shop', DetailType: 'X', Detail: '{}' },
          { EventBusName: 'shop', Source: 'shop.order', DetailType: 'X', Detail: '{not json' },
          { EventBusName: 'shop', Source: 'shop.order', DetailType: 'X', Detail: '["an array"]' },
          { EventBusName: 'no-such-bus', Source: 'shop.order', DetailType: 'X', Detail: '{}' },
          { EventBusName: 'shop', Source: 'shop.order', DetailType: 'X', Detail: '{}' },
        ],
      }),
    );

    expect(result.FailedEntryCount).toBe(4);
    expect(result.Entries?.map((entry) => entry.ErrorCode ?? 'ok')).toEqual([
      'InvalidArgument',
      'MalformedDetail',
      'MalformedDetail',
      'InvalidArgument',
      'ok',
    ]);
    expect(result.Entries?.[4]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('the size of a request, its entries added up as the user guide counts them', () => {
    const MIB = 1024 * 1024;
    /** An entry of `bytes`: Source `shop.order` (10), DetailType `Big` (3), a Detail of the rest. */
    const entryOf = (bytes: number, extra: { Time?: Date; Resources?: string[] } = {}) => ({
      EventBusName: 'shop',
      Source: 'shop.order',
      DetailType: 'Big',
      // `{"pad":""}` is 10 bytes, and 🙂 4 of them.
      Detail: JSON.stringify({ pad: `🙂${'x'.repeat(bytes - 10 - 3 - 10 - 4)}` }),
      ...extra,
    });
    const tooLarge = {
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    };

    it('takes an entry of 1 MiB and refuses one byte more, the whole request', async () => {
      const accepted = await events.send(new PutEventsCommand({ Entries: [entryOf(MIB)] }));

      expect(accepted.FailedEntryCount).toBe(0);
      await expect(
        events.send(new PutEventsCommand({ Entries: [entryOf(MIB + 1)] })),
      ).rejects.toMatchObject(tooLarge);
    });

    it('adds up the entries of one request, Time (14 bytes) and Resources included', async () => {
      const third = Math.floor(MIB / 3);
      const resource = `arn:aws:s3:::bucket-${'r'.repeat(100)}`;
      const last = MIB - 2 * third - 14 - resource.length;

      const accepted = await events.send(
        new PutEventsCommand({
          Entries: [
            entryOf(third),
            entryOf(third),
            entryOf(last, { Time: new Date(), Resources: [resource] }),
          ],
        }),
      );

      expect(accepted.FailedEntryCount).toBe(0);
      await expect(
        events.send(
          new PutEventsCommand({
            Entries: [
              entryOf(third),
              entryOf(third),
              entryOf(last + 1, { Time: new Date(), Resources: [resource] }),
            ],
          }),
        ),
      ).rejects.toMatchObject(tooLarge);
    });
  });

  it('names unknown buses and invalid patterns with the AWS error names', async () => {
    await expect(
      events.send(
        new PutRuleCommand({
          Name: 'r',
          EventBusName: 'missing',
          EventPattern: '{"source":["a"]}',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      events.send(
        new PutRuleCommand({ Name: 'r', EventBusName: 'shop', EventPattern: '{"source":"a"}' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidEventPatternException' });
  });

  it('evaluates TestEventPattern like a rule would', async () => {
    const event = JSON.stringify({
      id: '1',
      account,
      source: 'shop.order',
      time: '2026-11-23T10:00:00Z',
      region,
      resources: [],
      'detail-type': 'OrderPlaced',
      detail: { metadata: { version: 2 } },
    });
    const test = (pattern: unknown) =>
      events.send(
        new TestEventPatternCommand({ EventPattern: JSON.stringify(pattern), Event: event }),
      );

    expect((await test({ detail: { metadata: { version: [2] } } })).Result).toBe(true);
    expect((await test({ detail: { metadata: { version: [1] } } })).Result).toBe(false);
  });

  it('sends an event its target cannot take to the target dead-letter queue, with the reason', async () => {
    const dlq = await createQueue('unreachable-dlq');
    const missingQueueArn = `arn:aws:sqs:${region}:${account}:does-not-exist`;
    await events.send(
      new PutRuleCommand({
        Name: 'to-nowhere',
        EventBusName: 'shop',
        EventPattern: '{"source":["shop.payment"]}',
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'to-nowhere',
        EventBusName: 'shop',
        Targets: [
          {
            Id: 'gone',
            Arn: missingQueueArn,
            DeadLetterConfig: { Arn: dlq.arn },
            RetryPolicy: { MaximumRetryAttempts: 1 },
          },
        ],
      }),
    );

    await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'shop',
            Source: 'shop.payment',
            DetailType: 'PaymentFailed',
            Detail: '{}',
          },
        ],
      }),
    );
    const [dead] = await receiveAll(dlq.url);

    expect(JSON.parse(String(dead?.Body))).toMatchObject({
      source: 'shop.payment',
      'detail-type': 'PaymentFailed',
    });
    expect(dead?.MessageAttributes?.['TARGET_ARN']?.StringValue).toBe(missingQueueArn);
    expect(dead?.MessageAttributes?.['RULE_ARN']?.StringValue).toBe(
      `arn:aws:events:${region}:${account}:rule/shop/to-nowhere`,
    );
    expect(dead?.MessageAttributes?.['ERROR_MESSAGE']?.StringValue).toBeTruthy();
  });

  it('replays the archived events of a time window to the rules of their bus, marked with replay-name', async () => {
    const queue = await createQueue('replay-target');
    const busArn = `arn:aws:events:${region}:${account}:event-bus/shop`;
    const { ArchiveArn } = await events.send(
      new CreateArchiveCommand({
        ArchiveName: 'inventory-events',
        EventSourceArn: busArn,
        EventPattern: '{"source":["shop.inventory"]}',
      }),
    );
    const { RuleArn } = await events.send(
      new PutRuleCommand({
        Name: 'inventory-to-queue',
        EventBusName: 'shop',
        EventPattern: '{"source":["shop.inventory"]}',
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'inventory-to-queue',
        EventBusName: 'shop',
        Targets: [{ Id: 'q', Arn: queue.arn }],
      }),
    );
    const windowStart = new Date(Date.now() - 60_000);
    await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'shop',
            Source: 'shop.inventory',
            DetailType: 'InventoryReserved',
            Detail: '{"n":1}',
          },
          {
            EventBusName: 'shop',
            Source: 'shop.order',
            DetailType: 'OrderPlaced',
            Detail: '{"n":2}',
          },
        ],
      }),
    );
    const live = await receiveAll(queue.url);

    await events.send(
      new StartReplayCommand({
        ReplayName: 'future-window',
        EventSourceArn: ArchiveArn,
        EventStartTime: new Date(Date.now() + 60_000),
        EventEndTime: new Date(Date.now() + 120_000),
        Destination: { Arn: busArn },
      }),
    );
    await events.send(
      new StartReplayCommand({
        ReplayName: 'last-minute',
        EventSourceArn: ArchiveArn,
        EventStartTime: windowStart,
        EventEndTime: new Date(Date.now() + 60_000),
        Destination: { Arn: busArn, FilterArns: [String(RuleArn)] },
      }),
    );
    const replayed = await receiveAll(queue.url);

    expect(live.map((m) => JSON.parse(String(m.Body)).detail)).toEqual([{ n: 1 }]);
    expect(replayed.map((m) => JSON.parse(String(m.Body)))).toEqual([
      expect.objectContaining({ detail: { n: 1 }, 'replay-name': 'last-minute' }),
    ]);
  });
});
