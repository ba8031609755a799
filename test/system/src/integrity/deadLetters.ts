import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Shop } from '@shop/local-system';

/** One dead letter: why it was dead-lettered, when its consumer said so. */
export interface DeadLetter {
  /** The consumer's `ErrorCode` and `ErrorMessage`; undefined when it gave none. */
  readonly reason?: string;
  /** Its body, shortened. */
  readonly body: string;
}

/** A dead-letter queue that holds messages once a run is over, and one of them. */
export interface DeadLetters {
  readonly queue: string;
  readonly messages: number;
  /** The first message's body and attributes, shortened. */
  readonly sample: string;
  /** The messages read (up to 100), each with its reason. */
  readonly read: readonly DeadLetter[];
}

const MOST_READ = 100;

/**
 * The dead-letter queues that are not empty: every consumer's and every outbox relay's, read as
 * the local account's administrator (`shop.environment`), with their messages (up to 100 each)
 * and the reason each was dead-lettered. The messages stay in their queues.
 *
 * @example
 * ```ts
 * for (const queue of await deadLettersOf(shop)) console.log(queue.queue, queue.messages);
 * ```
 */
export const deadLettersOf = async (shop: Shop): Promise<DeadLetters[]> => {
  const sqs = new SQSClient({
    region: 'eu-west-1',
    endpoint: String(shop.environment['AWS_ENDPOINT_URL_SQS']),
    credentials: {
      accessKeyId: shop.iam.admin.accessKeyId,
      secretAccessKey: shop.iam.admin.secretAccessKey,
    },
  });
  const queues = [
    ...shop.cloud.consumers.map((consumer) => consumer.deadLetterQueue.url),
    ...[...(shop.cloud.relays?.deadLetterQueues.values() ?? [])].map((queue) => queue.url),
  ];
  try {
    const found: DeadLetters[] = [];
    for (const url of queues) {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      const messages = Number(Attributes?.['ApproximateNumberOfMessages'] ?? 0);
      if (messages === 0) continue;
      const read: DeadLetter[] = [];
      let sample = '';
      const seen = new Set<string>();
      // Each message read stays hidden a minute, so that the next read gets the others.
      while (read.length < Math.min(messages, MOST_READ)) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            MessageAttributeNames: ['All'],
            VisibilityTimeout: 60,
          }),
        );
        const fresh = Messages.filter((m) => !seen.has(String(m.MessageId)));
        if (fresh.length === 0) break;
        for (const message of fresh) {
          seen.add(String(message.MessageId));
          if (sample === '') {
            sample = JSON.stringify({
              body: message.Body,
              attributes: message.MessageAttributes,
            }).slice(0, 800);
          }
          const code = message.MessageAttributes?.['ErrorCode']?.StringValue;
          const text = message.MessageAttributes?.['ErrorMessage']?.StringValue;
          read.push({
            ...(code !== undefined && { reason: `${code}: ${text ?? ''}` }),
            body: String(message.Body).slice(0, 300),
          });
        }
      }
      found.push({ queue: url.split('/').at(-1) ?? url, messages, sample, read });
    }
    return found;
  } finally {
    sqs.destroy();
  }
};
