import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  type CedarEntity,
  DEAD_LETTER_REDRIVE_ROUTE,
  DEAD_LETTERS_ROUTE,
  ENVIRONMENT,
} from '@shop/contracts';
import * as z from 'zod/mini';
import { type Authorizer, isAllowed } from '../authorization/Authorizer.js';
import { readConfig } from '../readConfig.js';
import { type ApiRoute, endpoint, forbidden } from './apiHandler.js';

/**
 * Moves up to `max` messages from a DLQ back to its queue, ten at a time: each batch is sent
 * before it is deleted, so a failure in between leaves a copy in both (consumers are idempotent)
 * and never loses one. Message attributes travel with the body. Only the messages that were dead
 * when it began move, as with SQS's own redrive: one its consumer fails again meanwhile stays in
 * the DLQ, instead of going round while the consumer runs beside it. A message it received and
 * did not move is made visible again at once, not hidden for the rest of its visibility timeout:
 * the dead-letters view shows it straight away.
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
    const sent = await sendBack(sqs, props, dead);
    moved += sent.length;
    const kept = Messages.filter((message) => !sent.includes(message));
    if (kept.length > 0) await makeVisible(sqs, props.from, kept);
    if (sent.length === 0 || kept.length > 0) break;
  }
  return moved;
};

/** Sends dead letters to their queue, then deletes those sent from the DLQ: the ones it moved. */
const sendBack = async (
  sqs: SQSClient,
  props: { readonly from: string; readonly to: string },
  dead: readonly Message[],
): Promise<readonly Message[]> => {
  if (dead.length === 0) return [];
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
  return sent;
};

/** Ends the visibility timeout of messages received and not moved: visible again at once. */
const makeVisible = async (sqs: SQSClient, queueUrl: string, messages: readonly Message[]) => {
  await sqs.send(
    new ChangeMessageVisibilityBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map((message, index) => ({
        Id: String(index),
        ReceiptHandle: message.ReceiptHandle ?? '',
        VisibilityTimeout: 0,
      })),
    }),
  );
};

/** One dead letter as `GET /admin/dead-letters` shows it. */
export interface DeadLetter {
  readonly messageId: string;
  /** When it was first sent to a queue, ISO 8601. */
  readonly sentAt: string;
  /** How many times it has been received, the peeks included. */
  readonly receiveCount: number;
  /**
   * Why it is dead: the `ErrorMessage` attribute the shop writes when it sends a message there
   * itself (a consumer's unprocessable event, an outbox relay's failure), or, for a message SQS
   * moved there, that its receives ran out.
   */
  readonly reason: string;
  readonly body: string;
}

/** What the queue's redrive policy moved, without a reason of the shop's. */
export const RECEIVES_EXHAUSTED = 'Received maxReceiveCount times without success';

/**
 * Up to ten messages of a DLQ, without consuming them (received with a visibility timeout of 0,
 * so they stay visible), and how many it holds, as SQS approximates it.
 *
 * @example
 * ```ts
 * const { messages, approximateCount } = await peekDeadLetters(sqs, deadLetterQueueUrl);
 * ```
 */
export const peekDeadLetters = async (
  sqs: SQSClient,
  queueUrl: string,
): Promise<{ readonly messages: readonly DeadLetter[]; readonly approximateCount: number }> => {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      VisibilityTimeout: 0,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
    }),
  );
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return {
    messages: Messages.map((message) => ({
      messageId: message.MessageId ?? '',
      sentAt: new Date(Number(message.Attributes?.SentTimestamp ?? 0)).toISOString(),
      receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
      reason: message.MessageAttributes?.['ErrorMessage']?.StringValue ?? RECEIVES_EXHAUSTED,
      body: message.Body ?? '',
    })),
    approximateCount: Number(Attributes.ApproximateNumberOfMessages ?? 0),
  };
};

/** The service's queue and DLQ, and the DLQ as Cedar names it: its queue name, e.g. `payment-events-dlq`. */
const deadLetterQueue = (): {
  queueUrl: string;
  deadLetterQueueUrl: string;
  entity: CedarEntity;
} => {
  const config = readConfig(
    z.object({ [ENVIRONMENT.queueUrl]: z.url(), [ENVIRONMENT.deadLetterQueueUrl]: z.url() }),
  );
  const deadLetterQueueUrl = config[ENVIRONMENT.deadLetterQueueUrl];
  return {
    queueUrl: config[ENVIRONMENT.queueUrl],
    deadLetterQueueUrl,
    entity: {
      uid: {
        type: 'Shop::DeadLetterQueue',
        id: new URL(deadLetterQueueUrl).pathname.split('/').pop() ?? '',
      },
      attrs: {},
      parents: [],
    },
  };
};

/** What the dead-letter routes ask and read with. */
export interface DeadLetterRoutesProps {
  /** The service's Cedar policies. */
  readonly authorizer: Authorizer;
  readonly sqs: SQSClient;
}

/**
 * `GET /admin/dead-letters`: up to ten of the service's dead letters, peeked without consuming
 * them, and the DLQ's approximate count, if the service's Cedar policies let the user
 * `ViewDeadLetters` on its DLQ (Operators and Admins).
 */
const viewRoute = (props: DeadLetterRoutesProps): ApiRoute =>
  endpoint(DEAD_LETTERS_ROUTE, undefined, async ({ principal }) => {
    const queue = deadLetterQueue();
    if (!(await isAllowed(props.authorizer, principal, DEAD_LETTERS_ROUTE.action, queue.entity))) {
      return forbidden();
    }
    return { status: 200, body: await peekDeadLetters(props.sqs, queue.deadLetterQueueUrl) };
  });

/**
 * `POST /admin/dead-letters/redrive`: moves the service's dead letters back to its queue (at most
 * `max` per call, 100 by default), if the service's Cedar policies let the user
 * `RedriveDeadLetters` on its DLQ (Admins). Answers how many moved.
 */
const redriveRoute = (props: DeadLetterRoutesProps): ApiRoute =>
  endpoint(
    DEAD_LETTER_REDRIVE_ROUTE,
    z.object({ max: z._default(z.int().check(z.minimum(1), z.maximum(1000)), 100) }),
    async ({ body, principal }) => {
      const queue = deadLetterQueue();
      if (
        !(await isAllowed(
          props.authorizer,
          principal,
          DEAD_LETTER_REDRIVE_ROUTE.action,
          queue.entity,
        ))
      ) {
        return forbidden();
      }
      const moved = await redriveDeadLetters(props.sqs, {
        from: queue.deadLetterQueueUrl,
        to: queue.queueUrl,
        max: body.max,
      });
      return { status: 200, body: { moved } };
    },
  );

/**
 * A service's dead-letter staff routes, the same in every service that consumes events, each
 * asking the service's Cedar policies about its DLQ (`Shop::DeadLetterQueue::"<queue name>"`,
 * from `DEAD_LETTER_QUEUE_URL`):
 *
 * - `GET /admin/dead-letters` (`ViewDeadLetters`: Operators, Admins): up to ten dead letters
 *   peeked without consuming them, with their reason, and the DLQ's approximate count;
 * - `POST /admin/dead-letters/redrive` (`RedriveDeadLetters`: Admins), `{ max? }`: moves up to
 *   `max` (100 by default, at most 1000) back to the service's queue (`QUEUE_URL`), answering
 *   `{ moved }`.
 *
 * Anyone else gets the service's 403, and the DLQ is not read.
 *
 * @example
 * ```ts
 * export const handler = staffHandler(
 *   [...ownRoutes, ...deadLetterRoutes({ authorizer, sqs: sqsClient() })],
 *   { logger, declared: routes, prefix: '/payment', checks: staffEntryChecks() },
 * );
 * ```
 */
export const deadLetterRoutes = (props: DeadLetterRoutesProps): readonly ApiRoute[] => [
  viewRoute(props),
  redriveRoute(props),
];
