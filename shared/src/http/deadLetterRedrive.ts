import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DEAD_LETTER_REDRIVE_ROUTE, ENVIRONMENT } from '@shop/contracts';
import * as z from 'zod/mini';
import { type Authorizer, isAllowed } from '../authorization/Authorizer.js';
import { readConfig } from '../readConfig.js';
import { type ApiRoute, endpoint, forbidden } from './apiHandler.js';

/**
 * Moves up to `max` messages from a DLQ back to its queue, ten at a time: each batch is sent
 * before it is deleted, so a failure in between leaves a copy in both (consumers are idempotent)
 * and never loses one. Message attributes travel with the body. Only the messages that were dead
 * when it began move, as with SQS's own redrive: one its consumer fails again meanwhile stays in
 * the DLQ, instead of going round while the consumer runs beside it.
 *
 * @example
 * ```ts
 * await redriveDeadLetters(sqs, { from: deadLetterQueueUrl, to: queueUrl, max: 100 }); // 3
 * ```
 */
export const redriveDeadLetters = async (
  sqs: SQSClient,
  props: { readonly from: string; readonly to: string; readonly max: number },
): Promise<number> => {
  const began = Date.now();
  let moved = 0;
  while (moved < props.max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: props.from,
        MaxNumberOfMessages: Math.min(10, props.max - moved),
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    const dead = Messages.filter(
      (message) => Number(message.Attributes?.SentTimestamp ?? 0) < began,
    );
    if (dead.length === 0) break;
    const { Failed = [] } = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: props.to,
        Entries: dead.map((message, index) => ({
          Id: String(index),
          MessageBody: message.Body ?? '',
          ...(message.MessageAttributes && { MessageAttributes: message.MessageAttributes }),
        })),
      }),
    );
    const sent = dead.filter((_, index) => !Failed.some((f) => f.Id === String(index)));
    if (sent.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: props.from,
          Entries: sent.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
    }
    moved += sent.length;
    if (Failed.length > 0 || dead.length < Messages.length) break;
  }
  return moved;
};

/**
 * `POST /admin/dead-letters/redrive`: moves the service's dead letters back to its queue (at most
 * `max` per call, 100 by default), if the service's Cedar policies let the user
 * `RedriveDeadLetters` on its DLQ (Admins). Answers how many moved.
 */
export const deadLetterRedriveRoute = (props: {
  readonly authorizer: Authorizer;
  readonly sqs: SQSClient;
}): ApiRoute =>
  endpoint(
    DEAD_LETTER_REDRIVE_ROUTE,
    z.object({ max: z._default(z.int().check(z.minimum(1), z.maximum(1000)), 100) }),
    async ({ body, principal }) => {
      const config = readConfig(
        z.object({ [ENVIRONMENT.queueUrl]: z.url(), [ENVIRONMENT.deadLetterQueueUrl]: z.url() }),
      );
      // The DLQ as Cedar names it: its queue name, e.g. `payment-events-dlq`.
      const queueName =
        new URL(config[ENVIRONMENT.deadLetterQueueUrl]).pathname.split('/').pop() ?? '';
      const queue = {
        uid: { type: 'Shop::DeadLetterQueue', id: queueName },
        attrs: {},
        parents: [],
      };
      if (
        !(await isAllowed(props.authorizer, principal, DEAD_LETTER_REDRIVE_ROUTE.action, queue))
      ) {
        return forbidden();
      }
      const moved = await redriveDeadLetters(props.sqs, {
        from: config[ENVIRONMENT.deadLetterQueueUrl],
        to: config[ENVIRONMENT.queueUrl],
        max: body.max,
      });
      return { status: 200, body: { moved } };
    },
  );
