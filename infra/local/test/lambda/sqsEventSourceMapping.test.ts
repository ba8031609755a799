import {
  type DeleteMessageBatchCommandOutput,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSRecord } from 'aws-lambda';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type InvocationOutcome,
  type InvokeOutcome,
  localFunction,
  MessageDeletionError,
  SqsEventSourceMapping,
  type SqsEventSourceMappingProps,
  type SqsHandler,
  succeededRecords,
} from '../../src/lambda/index.js';
import {
  account,
  createQueue as createQueueIn,
  credentials,
  deferred,
  region,
} from '../support.js';

let server: FauxqsServer;
let sqs: SQSClient;
const mappings: SqsEventSourceMapping[] = [];

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false, defaultRegion: region });
  sqs = new SQSClient({ region, credentials, endpoint: server.address });
});

afterEach(async () => {
  await Promise.all(mappings.splice(0).map((mapping) => mapping.stop()));
});

afterAll(async () => {
  await server?.stop();
});

const createQueue = (name: string, attributes: Record<string, string> = {}) =>
  createQueueIn(sqs, name, attributes);

const map = async (
  queueUrl: string,
  handler: SqsHandler,
  options: Partial<SqsEventSourceMappingProps> = {},
) => {
  const mapping = new SqsEventSourceMapping({
    sqs,
    queueUrl,
    invoke: localFunction(handler, { functionName: 'test-consumer', region, account }),
    functionName: 'test-consumer',
    region,
    maximumConcurrency: 2,
    ...options,
  });
  mappings.push(mapping);
  await mapping.start();
};

describe('SQS event-source mapping', () => {
  it('invokes the handler with the SQSEvent shape and deletes what succeeded', async () => {
    const queue = await createQueue('esm-shape');
    const seen: SQSRecord[] = [];
    const contexts: Context[] = [];
    const done = deferred();
    await map(queue.url, async (event, context) => {
      contexts.push(context);
      seen.push(...event.Records);
      if (seen.length === 2) done.resolve();
      return { batchItemFailures: [] };
    });

    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [
          {
            Id: '1',
            MessageBody: 'one',
            MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
          },
          { Id: '2', MessageBody: 'two' },
        ],
      }),
    );
    await done.promise;

    expect(seen.map((record) => record.body).sort()).toEqual(['one', 'two']);
    expect(contexts[0]?.functionName).toBe('test-consumer');
    expect(contexts[0]?.getRemainingTimeInMillis()).toBeGreaterThan(0);
    const one = seen.find((record) => record.body === 'one');
    expect(one).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: region,
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {
        kind: {
          dataType: 'String',
          stringValue: 'test',
          stringListValues: [],
          binaryListValues: [],
        },
      },
    });
    expect(one?.messageId).toMatch(/.+/);
    expect(one?.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
  });

  it('redelivers only the items a handler reports as failed', async () => {
    const queue = await createQueue('esm-partial', { VisibilityTimeout: '1' });
    const deliveries: string[] = [];
    const retried = deferred();
    await map(
      queue.url,
      async (event) => {
        const failures = [];
        for (const record of event.Records) {
          deliveries.push(`${record.body}#${record.attributes.ApproximateReceiveCount}`);
          if (record.body === 'b' && record.attributes.ApproximateReceiveCount === '1') {
            failures.push({ itemIdentifier: record.messageId });
          }
          if (record.body === 'b' && record.attributes.ApproximateReceiveCount === '2')
            retried.resolve();
        }
        return { batchItemFailures: failures };
      },
      { maximumConcurrency: 1 },
    );

    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: ['a', 'b', 'c'].map((body) => ({ Id: body, MessageBody: body })),
      }),
    );
    await retried.promise;

    expect(deliveries.sort()).toEqual(['a#1', 'b#1', 'b#2', 'c#1']);
  });

  it('moves a message that always fails to the DLQ after maxReceiveCount receives', async () => {
    const dlq = await createQueue('esm-poison-dlq');
    const queue = await createQueue('esm-poison', {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
    });
    let attempts = 0;
    await map(queue.url, async () => {
      attempts++;
      throw new Error('cannot process');
    });

    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'poison' }));
    let dead: string | undefined;
    while (dead === undefined) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 5 }),
      );
      dead = Messages[0]?.Body;
    }

    expect(dead).toBe('poison');
    expect(attempts).toBe(2);
  });

  it('keeps the order of each message group of a FIFO queue', async () => {
    const queue = await createQueue('esm-ordered.fifo', {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
    });
    const order: Record<string, string[]> = { g1: [], g2: [] };
    const done = deferred();
    await map(queue.url, async (event) => {
      for (const record of event.Records) {
        order[String(record.attributes.MessageGroupId)]?.push(record.body);
      }
      if ((order['g1']?.length ?? 0) + (order['g2']?.length ?? 0) === 10) done.resolve();
    });

    for (const n of [1, 2, 3, 4, 5]) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: ['g1', 'g2'].map((group) => ({
            Id: group,
            MessageBody: `${group}-${n}`,
            MessageGroupId: group,
          })),
        }),
      );
    }
    await done.promise;

    expect(order).toEqual({
      g1: ['g1-1', 'g1-2', 'g1-3', 'g1-4', 'g1-5'],
      g2: ['g2-1', 'g2-2', 'g2-3', 'g2-4', 'g2-5'],
    });
  });
});

describe('SQS event-source mapping: throttled and failed invocations', () => {
  /** An invoke that Lambda throttles while `throttling()` says so, then runs `handler`. */
  const throttledWhile =
    (throttling: () => boolean, handler: SqsHandler) =>
    async (event: Parameters<SqsHandler>[0]): Promise<InvokeOutcome> =>
      throttling()
        ? { kind: 'throttled', reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' }
        : localFunction(handler, { functionName: 'test-consumer', region, account })(event);

  it('offers a throttled batch again, without giving its messages back to the queue', async () => {
    const queue = await createQueue('esm-throttled', { VisibilityTimeout: '30' });
    let refusals = 3;
    const seen: string[] = [];
    const done = deferred();
    await map(queue.url, async () => undefined, {
      maximumConcurrency: 1,
      throttleBackoff: { baseMs: 10, maxMs: 20 },
      invoke: throttledWhile(
        () => refusals-- > 0,
        async (event) => {
          seen.push(
            ...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`),
          );
          done.resolve();
        },
      ),
    });

    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'patient' }));
    await done.promise;

    expect(seen).toEqual(['patient#1']);
    expect(refusals).toBeLessThan(0);
  });

  it('leaves a batch throttled past its visibility timeout to come back, and reports it', async () => {
    const queue = await createQueue('esm-throttled-long', { VisibilityTimeout: '1' });
    const reports: InvocationOutcome[] = [];
    const seen: string[] = [];
    const done = deferred();
    await map(queue.url, async () => undefined, {
      maximumConcurrency: 1,
      throttleBackoff: { baseMs: 50, maxMs: 100 },
      onInvoke: (outcome) => reports.push(outcome),
      invoke: throttledWhile(
        () => !reports.some((report) => report.throttled),
        async (event) => {
          seen.push(
            ...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`),
          );
          done.resolve();
        },
      ),
    });

    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'late' }));
    await done.promise;

    expect(reports[0]).toEqual({
      functionName: 'test-consumer',
      records: 1,
      failed: 1,
      throttled: true,
    });
    expect(seen).toEqual(['late#2']);
  });

  it('gives a batch back to the queue when the function fails it, whatever the failure', async () => {
    const queue = await createQueue('esm-runtime-exit', { VisibilityTimeout: '1' });
    const reports: InvocationOutcome[] = [];
    const done = deferred();
    let calls = 0;
    await map(queue.url, async () => undefined, {
      maximumConcurrency: 1,
      errorBackoff: { baseMs: 10, maxMs: 20 },
      onInvoke: (outcome) => {
        reports.push(outcome);
        if (reports.length === 2) done.resolve();
      },
      invoke: async () =>
        ++calls === 1
          ? {
              kind: 'error',
              errorType: 'Runtime.ExitError',
              errorMessage: 'RequestId: r-1 Error: Runtime exited with error: signal: killed',
            }
          : { kind: 'result', payload: { batchItemFailures: [] } },
    });

    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'survivor' }));
    await done.promise;

    expect(reports).toEqual([
      {
        functionName: 'test-consumer',
        records: 1,
        failed: 1,
        error: expect.objectContaining({ errorType: 'Runtime.ExitError' }),
      },
      { functionName: 'test-consumer', records: 1, failed: 0 },
    ]);
  });
});

describe('SQS event-source mapping: no message dropped, no failure of its own swallowed', () => {
  /** Maps the queue with a handler that succeeds; resolves `processed` once `count` records were handled and deleted. */
  const mapCounting = async (
    queueUrl: string,
    count: number,
    options: Partial<SqsEventSourceMappingProps> = {},
  ) => {
    const errors: unknown[] = [];
    const processed = deferred();
    let records = 0;
    await map(queueUrl, async () => undefined, {
      onError: (error) => errors.push(error),
      onInvoke: (outcome) => {
        records += outcome.records - outcome.failed;
        if (records >= count) processed.resolve();
      },
      ...options,
    });
    return { errors, processed: processed.promise };
  };

  const sendBodies = (queueUrl: string, bodies: readonly string[]) =>
    sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.map((body) => ({ Id: body, MessageBody: body })),
      }),
    );

  it('deletes a batch larger than one DeleteMessageBatch call takes', async () => {
    const queue = await createQueue('esm-large-batch');
    await sendBodies(queue.url, ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9']);
    await sendBodies(queue.url, ['b0', 'b1', 'b2', 'b3', 'b4']);

    const { errors, processed } = await mapCounting(queue.url, 15, {
      batchSize: 15,
      maximumBatchingWindowSeconds: 1,
      maximumConcurrency: 1,
    });
    await processed;
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );

    expect(errors).toEqual([]);
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  it('reports processed messages it could not delete because DeleteMessageBatch failed', async () => {
    const queue = await createQueue('esm-deleted-under-it');
    const errors: unknown[] = [];
    const reported = deferred();
    await map(
      queue.url,
      async () => {
        await sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));
      },
      {
        onError: (error) => {
          errors.push(error);
          if (error instanceof MessageDeletionError) reported.resolve();
        },
      },
    );

    const { MessageId } = await sqs.send(
      new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'processed' }),
    );
    await reported.promise;

    const deletion = errors.find((error) => error instanceof MessageDeletionError);
    expect(deletion).toMatchObject({
      functionName: 'test-consumer',
      messageIds: [MessageId],
      cause: { name: 'QueueDoesNotExist' },
    });
  });

  it('reports the entries DeleteMessageBatch answers as failed', async () => {
    const queue = await createQueue('esm-stale-receipt');
    // SQS answers a stale receipt handle as a failed entry; fauxqs never does, so the client
    // rewrites the answer as SQS would give it.
    const answeringFailed = new SQSClient({ region, credentials, endpoint: server.address });
    answeringFailed.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName !== 'DeleteMessageBatchCommand') return result;
        const output = result.output as DeleteMessageBatchCommandOutput;
        return {
          ...result,
          output: {
            ...output,
            Successful: [],
            Failed: (output.Successful ?? []).map(({ Id }) => ({
              Id,
              SenderFault: true,
              Code: 'ReceiptHandleIsInvalid',
              Message: 'The receipt handle has expired.',
            })),
          },
        };
      },
      { step: 'initialize' },
    );
    const { errors, processed } = await mapCounting(queue.url, 1, { sqs: answeringFailed });

    const { MessageId } = await sqs.send(
      new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'processed' }),
    );
    await processed;

    expect(errors).toEqual([
      expect.objectContaining({
        name: 'MessageDeletionError',
        messageIds: [MessageId],
        reason: 'ReceiptHandleIsInvalid: The receipt handle has expired.',
      }),
    ]);
  });
});

describe('succeededRecords', () => {
  const records = ['m1', 'm2', 'm3'].map((messageId) => ({ messageId }) as SQSRecord);

  it('fails the whole batch when the handler throws', () => {
    expect(succeededRecords(records, { threw: true, response: undefined }, true)).toEqual([]);
  });

  it('deletes all but the reported failures', () => {
    const response = { batchItemFailures: [{ itemIdentifier: 'm2' }] };
    expect(
      succeededRecords(records, { threw: false, response }, true).map((r) => r.messageId),
    ).toEqual(['m1', 'm3']);
  });

  it('fails the whole batch when a reported failure is not in the batch', () => {
    const response = { batchItemFailures: [{ itemIdentifier: 'elsewhere' }] };
    expect(succeededRecords(records, { threw: false, response }, true)).toEqual([]);
  });

  it('ignores the response when partial batch responses are not enabled', () => {
    const response = { batchItemFailures: [{ itemIdentifier: 'm2' }] };
    expect(succeededRecords(records, { threw: false, response }, false)).toHaveLength(3);
  });
});
