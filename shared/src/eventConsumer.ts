import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ChangeMessageVisibilityCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  type AnyEventDefinition,
  createEventParser,
  ENVIRONMENT,
  type EventContractError,
  type ReceivedEvent,
} from '@shop/contracts';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import type { Logger } from './Logger.js';
import { readConfig } from './readConfig.js';
import { IDEMPOTENCY_TABLE } from './tables.js';

/**
 * Reads a queue consumer's settings from its environment: `QUEUE_URL`, `DEAD_LETTER_QUEUE_URL`
 * and `IDEMPOTENCY_TABLE_NAME`.
 *
 * @example
 * ```ts
 * export const handler = eventConsumer({ events, handle, logger, ...clients, ...consumerConfig() });
 * ```
 */
export const consumerConfig = (env: Readonly<Record<string, string | undefined>> = process.env) => {
  const config = readConfig(
    z.object({
      [ENVIRONMENT.queueUrl]: z.url(),
      [ENVIRONMENT.deadLetterQueueUrl]: z.url(),
      [ENVIRONMENT.idempotencyTableName]: z.string().check(z.minLength(1)),
    }),
    env,
  );
  return {
    queueUrl: config[ENVIRONMENT.queueUrl],
    deadLetterQueueUrl: config[ENVIRONMENT.deadLetterQueueUrl],
    idempotencyTableName: config[ENVIRONMENT.idempotencyTableName],
  };
};

/** What a consumer's use cases get with each event. */
export interface EventContext {
  /** A logger whose every line carries the event's correlation id (the order id). */
  readonly logger: Logger;
}

export interface EventConsumerProps<D extends AnyEventDefinition> {
  /** The event versions the consumer subscribes to; anything else is dead-lettered. */
  readonly events: readonly D[];
  /** Handles one event. Throw to have it retried; it runs at most once per event id. */
  readonly handle: (event: ReceivedEvent<D>, context: EventContext) => Promise<void>;
  readonly logger: Logger;
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  /** The Powertools idempotency table. */
  readonly idempotencyTableName: string;
  /** The queue the function consumes, to reschedule failed messages. */
  readonly queueUrl: string;
  /** Where unprocessable messages go, with their reason. */
  readonly deadLetterQueueUrl: string;
  /** How long a processed event id is remembered: the archive's retention, so a replay is a no-op. @default 14 days */
  readonly idempotencySeconds?: number;
}

/** Seconds before a failed message is retried: 2, 4, 8, 16 ... with jitter, at most 15 minutes. */
export const retryDelaySeconds = (receiveCount: number): number => {
  const ceiling = Math.min(900, 2 ** Math.max(1, receiveCount));
  return Math.ceil(ceiling / 2 + (Math.random() * ceiling) / 2);
};

const receiveCount = (record: SQSRecord): number =>
  Number.parseInt(record.attributes.ApproximateReceiveCount, 10) || 1;

/**
 * Builds the Lambda handler of a service's event queue. For each SQS record of a batch:
 *
 * - the body is parsed against the consumer's own contracts; a message that can never succeed
 *   (not JSON, not the envelope, unknown event or version, invalid data) is sent to the DLQ with
 *   its reason in message attributes and acknowledged, so it does not loop or block the batch;
 * - the use case runs at most once per event id (Powertools idempotency on DynamoDB);
 * - a failure is retried: the record is reported as a batch item failure and comes back after an
 *   exponential back-off, and SQS moves it to the DLQ after maxReceiveCount receives.
 *
 * @example
 * ```ts
 * export const handler = eventConsumer({
 *   events: inventoryService.subscribes,
 *   handle: (event, { logger }) => onEvent(event, logger),
 *   logger, dynamodb, sqs, idempotencyTableName, deadLetterQueueUrl,
 * });
 * ```
 */
export const eventConsumer = <const D extends AnyEventDefinition>(
  props: EventConsumerProps<D>,
): ((event: SQSEvent, context: Context) => Promise<SQSBatchResponse>) => {
  const parser = createEventParser(props.events);
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'metadata.eventId',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: props.idempotencySeconds ?? 14 * 24 * 3600,
  });
  const handleOnce = makeIdempotent(
    (event: ReceivedEvent<D>, context: EventContext) => props.handle(event, context),
    {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: props.idempotencyTableName,
        keyAttr: IDEMPOTENCY_TABLE.partitionKey,
        expiryAttr: IDEMPOTENCY_TABLE.timeToLive,
        awsSdkV3Client: props.dynamodb,
      }),
      config,
    },
  );

  const deadLetter = async (record: SQSRecord, error: EventContractError) => {
    await props.sqs.send(
      new SendMessageCommand({
        QueueUrl: props.deadLetterQueueUrl,
        MessageBody: record.body,
        MessageAttributes: {
          ErrorCode: { DataType: 'String', StringValue: error.code },
          ErrorMessage: { DataType: 'String', StringValue: error.message.slice(0, 1024) },
          SourceMessageId: { DataType: 'String', StringValue: record.messageId },
        },
      }),
    );
    props.logger.error('Unprocessable message sent to the DLQ', {
      messageId: record.messageId,
      errorCode: error.code,
      reason: error.message,
    });
  };

  const backOff = async (record: SQSRecord, logger: Logger, error: unknown) => {
    const delay = retryDelaySeconds(receiveCount(record));
    logger.warn('Event failed; it will be retried', {
      messageId: record.messageId,
      receiveCount: receiveCount(record),
      retryInSeconds: delay,
      error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    });
    try {
      await props.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: props.queueUrl,
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: delay,
        }),
      );
    } catch (visibilityError) {
      logger.warn('Could not shorten the retry delay; the visibility timeout applies', {
        error: String(visibilityError),
      });
    }
  };

  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const parsed = parser.parse(record.body);
    if (!parsed.ok) {
      await deadLetter(record, parsed.error);
      return;
    }
    const logger = props.logger.createChild();
    logger.setCorrelationId(parsed.event.metadata.correlationId);
    logger.appendKeys({
      event: `${parsed.event.name} v${parsed.event.version}`,
      eventId: parsed.event.metadata.eventId,
    });
    try {
      await handleOnce(parsed.event, { logger });
    } catch (error) {
      await backOff(record, logger, error);
      throw error;
    }
  };

  return async (event, context) => {
    props.logger.addContext(context);
    config.registerLambdaContext(context);
    // One processor per invocation: a processor keeps the batch's outcome in its own state, and
    // batches of one function may overlap.
    return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      context,
    });
  };
};
