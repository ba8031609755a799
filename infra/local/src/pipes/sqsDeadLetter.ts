import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RelayDeadLetter } from './StreamToBusRelay.js';

/** What SQS refuses in a message: anything outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF. */
const REFUSED_BY_SQS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const escaped = (character: string) =>
  `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;

/**
 * Dead-letters a stream record to an SQS queue: the record as JSON in the body, the reason in the
 * `ErrorMessage` attribute. Characters SQS refuses are escaped in the JSON (it reads back the
 * same) and replaced by U+FFFD in the reason, so what made a record unpublishable cannot make its
 * dead letter fail too.
 *
 * @example
 * ```ts
 * new StreamToBusRelay({ ..., deadLetter: sqsDeadLetter(sqs, deadLetterQueue.url) });
 * ```
 */
export const sqsDeadLetter =
  (sqs: SQSClient, queueUrl: string): RelayDeadLetter =>
  async (record, reason) => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(record).replace(REFUSED_BY_SQS, escaped),
        MessageAttributes: {
          ErrorMessage: {
            DataType: 'String',
            StringValue: reason.replace(REFUSED_BY_SQS, '\uFFFD'),
          },
        },
      }),
    );
  };
