import {
  CreateEventBusCommand,
  type EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import {
  type Message,
  ReceiveMessageCommand,
  RequestThrottled,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DeliveryFailure,
  DeliveryMetrics,
  EventBridgeServer,
} from '../../src/eventbridge/index.js';
import {
  account,
  createQueue,
  deferred,
  type Messaging,
  region,
  startMessaging,
} from '../support.js';

let messaging: Messaging;
let eventBridgeServer: EventBridgeServer;
let sqs: SQSClient;
let events: EventBridgeClient;
const failures: DeliveryFailure[] = [];
let failureReported = deferred();
/** Times each throttled target still answers `RequestThrottled` before it takes events. */
const throttled = new Map<string, number>();

const missingQueueArn = (name: string) => `arn:aws:sqs:${region}:${account}:${name}`;

beforeAll(async () => {
  messaging = await startMessaging({
    deliver: (toSqs) => async (arn, body, attributes) => {
      const left = throttled.get(arn) ?? 0;
      if (left > 0) {
        throttled.set(arn, left - 1);
        throw new RequestThrottled({ message: 'Request is throttled.', $metadata: {} });
      }
      await toSqs(arn, body, attributes);
    },
    onDeliveryFailure: (failure) => {
      failures.push(failure);
      failureReported.resolve();
    },
  });
  ({ sqs, eventBridge: events, eventBridgeServer } = messaging);
  await events.send(new CreateEventBusCommand({ Name: 'shop' }));
});

afterAll(async () => {
  await messaging?.stop();
});

/** Routes `source` to the target, puts one event from it, and waits until delivery is over. */
const deliverTo = async (source: string, target: Target, detail: object = { n: 1 }) => {
  await events.send(
    new PutRuleCommand({
      Name: source,
      EventBusName: 'shop',
      EventPattern: JSON.stringify({ source: [source] }),
    }),
  );
  await events.send(
    new PutTargetsCommand({ Rule: source, EventBusName: 'shop', Targets: [target] }),
  );
  const before = eventBridgeServer.emulator.metrics();
  const { Entries = [] } = await events.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: 'shop',
          Source: source,
          DetailType: 'Test',
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  await eventBridgeServer.emulator.settled();
  const after = eventBridgeServer.emulator.metrics();
  const grown = Object.fromEntries(
    Object.entries(after).map(([name, count]) => [
      name,
      count - before[name as keyof DeliveryMetrics],
    ]),
  );
  return {
    eventId: String(Entries[0]?.EventId),
    ruleArn: `arn:aws:events:${region}:${account}:rule/shop/${source}`,
    grown,
  };
};

const receive = async (url: string): Promise<Message[]> => {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
    }),
  );
  return Messages;
};

const attributesOf = (message: Message | undefined) =>
  Object.fromEntries(
    Object.entries(message?.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      value.StringValue,
    ]),
  );

describe('EventBridge target delivery: retries, dead-letter queue, nothing dropped silently', () => {
  it('sends an event whose target does not exist straight to the dead-letter queue, with the documented attributes', async () => {
    const dlq = await createQueue(sqs, 'no-target-dlq');
    const targetArn = missingQueueArn('no-such-target');

    const { eventId, ruleArn, grown } = await deliverTo('test.missing', {
      Id: 't',
      Arn: targetArn,
      DeadLetterConfig: { Arn: dlq.arn },
      RetryPolicy: { MaximumRetryAttempts: 3 },
    });
    const [dead] = await receive(dlq.url);

    expect(JSON.parse(String(dead?.Body))).toMatchObject({ id: eventId, source: 'test.missing' });
    expect(attributesOf(dead)).toEqual({
      RULE_ARN: ruleArn,
      TARGET_ARN: targetArn,
      ERROR_CODE: 'NO_RESOURCE',
      ERROR_MESSAGE: 'The specified queue does not exist.',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
      RETRY_ATTEMPTS: '0',
    });
    expect(grown).toEqual({
      Invocations: 1,
      RetryInvocationAttempts: 0,
      FailedInvocations: 1,
      InvocationsSentToDlq: 1,
      InvocationsFailedToBeSentToDlq: 0,
    });
  });

  it('retries a throttled target and delivers once it takes the event', async () => {
    const queue = await createQueue(sqs, 'throttled-then-taken');
    const dlq = await createQueue(sqs, 'throttled-then-taken-dlq');
    throttled.set(queue.arn, 2);

    const { eventId, grown } = await deliverTo('test.throttled-briefly', {
      Id: 't',
      Arn: queue.arn,
      DeadLetterConfig: { Arn: dlq.arn },
      RetryPolicy: { MaximumRetryAttempts: 2 },
    });

    expect((await receive(queue.url)).map((m) => JSON.parse(String(m.Body)).id)).toEqual([eventId]);
    expect(await receive(dlq.url)).toEqual([]);
    expect(grown).toMatchObject({ RetryInvocationAttempts: 2, FailedInvocations: 0 });
  });

  it('dead-letters an event once the retry policy is exhausted, with the retries made', async () => {
    const queue = await createQueue(sqs, 'always-throttled');
    const dlq = await createQueue(sqs, 'always-throttled-dlq');
    throttled.set(queue.arn, 10);

    const { grown } = await deliverTo('test.throttled', {
      Id: 't',
      Arn: queue.arn,
      DeadLetterConfig: { Arn: dlq.arn },
      RetryPolicy: { MaximumRetryAttempts: 1 },
    });
    const [dead] = await receive(dlq.url);

    expect(attributesOf(dead)).toMatchObject({
      ERROR_CODE: 'THROTTLING',
      ERROR_MESSAGE: 'Request is throttled.',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
      RETRY_ATTEMPTS: '1',
    });
    expect(grown).toMatchObject({ RetryInvocationAttempts: 1, InvocationsSentToDlq: 1 });
  });

  it('reports and counts an event SQS refuses whose dead-letter queue refuses it too', async () => {
    const queue = await createQueue(sqs, 'refusing-target');
    const dlq = await createQueue(sqs, 'refusing-target-dlq');
    failureReported = deferred();

    const { eventId, ruleArn, grown } = await deliverTo(
      'test.refused',
      { Id: 't', Arn: queue.arn, DeadLetterConfig: { Arn: dlq.arn } },
      { note: 'not for SQS: \uffff' },
    );
    await failureReported.promise;

    expect(failures.at(-1)).toMatchObject({
      ruleArn,
      targetArn: queue.arn,
      eventId,
      errorCode: 'INVALID_PARAMETER',
      retryAttempts: 0,
      deadLetterQueue: { arn: dlq.arn },
    });
    expect(grown).toMatchObject({ FailedInvocations: 1, InvocationsFailedToBeSentToDlq: 1 });
    expect(await receive(queue.url)).toEqual([]);
    expect(await receive(dlq.url)).toEqual([]);
  });

  it('reports and counts an event whose dead-letter queue does not exist either', async () => {
    failureReported = deferred();
    const dlqArn = missingQueueArn('no-such-dlq');

    const { eventId, grown } = await deliverTo('test.nowhere', {
      Id: 't',
      Arn: missingQueueArn('no-such-target-either'),
      DeadLetterConfig: { Arn: dlqArn },
    });
    await failureReported.promise;

    expect(failures.at(-1)).toMatchObject({
      eventId,
      errorCode: 'NO_RESOURCE',
      deadLetterQueue: { arn: dlqArn },
    });
    expect(grown).toMatchObject({ InvocationsSentToDlq: 0, InvocationsFailedToBeSentToDlq: 1 });
  });

  it('reports and counts an event dropped by a target without dead-letter queue', async () => {
    failureReported = deferred();

    const { eventId, grown } = await deliverTo('test.no-dlq', {
      Id: 't',
      Arn: missingQueueArn('no-such-target-without-dlq'),
    });
    await failureReported.promise;

    expect(failures.at(-1)).toMatchObject({ eventId, errorCode: 'NO_RESOURCE' });
    expect(failures.at(-1)?.deadLetterQueue).toBeUndefined();
    expect(grown).toMatchObject({ FailedInvocations: 1, InvocationsSentToDlq: 0 });
  });
});
