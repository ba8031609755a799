import {
  type MessageAttributeValue,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSqs, startLocalSqs } from '../../src/sqs/startLocalSqs.js';
import { createQueue, credentials, region } from '../support.js';

/** SQS's limit on one message, and on a batch's messages together: 1 MiB since August 2025. */
const MIB = 1024 * 1024;

let server: LocalSqs;
let sqs: SQSClient;
let queueUrl: string;

beforeAll(async () => {
  server = await startLocalSqs({ port: 0, region });
  sqs = new SQSClient({ region, credentials, endpoint: server.address, maxAttempts: 1 });
  queueUrl = (await createQueue(sqs, 'sizes')).url;
});

afterAll(async () => {
  sqs?.destroy();
  await server?.stop();
});

/** An attribute counted as SQS counts it: name `kind` (4) + type `String` (6) + value. */
const kind = (value: string): Record<string, MessageAttributeValue> => ({
  kind: { DataType: 'String', StringValue: value },
});

/** A body of `bytes` UTF-8 bytes, with 4-byte characters in it. */
const bodyOf = (bytes: number) => `🙂${'x'.repeat(bytes - 4)}`;

describe('SQS message size limits, through the real SDK client', () => {
  it('takes a message of 1 MiB, body and attributes together, and refuses one byte more', async () => {
    const attributes = kind('order');
    const attributeBytes = 4 + 6 + 5;

    const accepted = await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: bodyOf(MIB - attributeBytes),
        MessageAttributes: attributes,
      }),
    );
    const refused = sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: bodyOf(MIB - attributeBytes + 1),
        MessageAttributes: attributes,
      }),
    );

    expect(accepted.MessageId).toBeTruthy();
    await expect(refused).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: `One or more parameters are invalid. Reason: Message must be shorter than ${MIB} bytes.`,
    });
  });

  it("holds a message to its queue's MaximumMessageSize", async () => {
    const small = await createQueue(sqs, 'small-messages', { MaximumMessageSize: '1024' });

    const accepted = await sqs.send(
      new SendMessageCommand({ QueueUrl: small.url, MessageBody: bodyOf(1024) }),
    );
    const refused = sqs.send(
      new SendMessageCommand({ QueueUrl: small.url, MessageBody: bodyOf(1025) }),
    );

    expect(accepted.MessageId).toBeTruthy();
    await expect(refused).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message:
        'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
    });
  });

  it('takes a batch of 1 MiB in all, and refuses one byte more with the size sent', async () => {
    const quarter = MIB / 4;
    const entries = (last: number) =>
      [quarter, quarter, quarter, last].map((bytes, index) => ({
        Id: `m${index}`,
        MessageBody: bodyOf(bytes),
      }));

    const accepted = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries(quarter) }),
    );
    const refused = sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries(quarter + 1) }),
    );

    expect([accepted.Successful?.length, accepted.Failed ?? []]).toEqual([4, []]);
    await expect(refused).rejects.toMatchObject({
      name: 'BatchRequestTooLong',
      message: `Batch requests cannot be longer than ${MIB} bytes. You have sent ${MIB + 1} bytes.`,
    });
  });

  it("counts a batch's attributes, and a binary value by its bytes, not its base64", async () => {
    const binary = new Uint8Array(3000).fill(7);
    const attributeBytes = 'blob'.length + 'Binary'.length + binary.length;
    const body = bodyOf(MIB / 2 - attributeBytes);

    const refused = sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          {
            Id: 'a',
            MessageBody: body,
            MessageAttributes: { blob: { DataType: 'Binary', BinaryValue: binary } },
          },
          {
            Id: 'b',
            MessageBody: `${body}!`,
            MessageAttributes: { blob: { DataType: 'Binary', BinaryValue: binary } },
          },
        ],
      }),
    );

    await expect(refused).rejects.toMatchObject({
      name: 'BatchRequestTooLong',
      message: `Batch requests cannot be longer than ${MIB} bytes. You have sent ${MIB + 1} bytes.`,
    });
  });

  it("answers an entry over its queue's MaximumMessageSize on its own, and sends the others", async () => {
    const small = await createQueue(sqs, 'small-batches', { MaximumMessageSize: '1024' });

    const result = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: small.url,
        Entries: [
          { Id: 'fits', MessageBody: bodyOf(1024) },
          { Id: 'over', MessageBody: bodyOf(1025) },
        ],
      }),
    );

    expect(result.Successful?.map((entry) => entry.Id)).toEqual(['fits']);
    expect(result.Failed).toEqual([
      {
        Id: 'over',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message:
          'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
      },
    ]);
  });
});

describe('SQS message characters and error names, through the real SDK client', () => {
  it('takes every character SQS takes, from U+10000 to U+10FFFF too', async () => {
    const body = 'emoji 🙂, last plane \u{10FFFF}, \uFFFD, tab\t';

    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const batch = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [{ Id: 'e', MessageBody: body }],
      }),
    );

    expect(batch.Successful?.map((entry) => entry.Id)).toEqual(['e']);
  });

  it('refuses a lone surrogate and \\uFFFF with InvalidMessageContents, as SQS names it', async () => {
    for (const body of ['half a pair \uD83D', 'not a character \uFFFF']) {
      await expect(
        sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body })),
      ).rejects.toMatchObject({ name: 'InvalidMessageContents' });
    }
  });

  it('names a missing queue QueueDoesNotExist, from its AWS.SimpleQueueService code', async () => {
    const missing = queueUrl.replace(/[^/]+$/, 'no-such-queue');

    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: missing, MessageBody: 'x' })),
    ).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });
});
