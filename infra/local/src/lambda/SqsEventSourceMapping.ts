import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type {
  Context,
  SQSBatchResponse,
  SQSEvent,
  SQSMessageAttributes,
  SQSRecord,
} from 'aws-lambda';
import { lambdaContext } from './lambdaContext.js';

/** An SQS-triggered Lambda handler, as the services export it. */
export type SqsHandler = (
  event: SQSEvent,
  context: Context,
) => Promise<SQSBatchResponse | undefined> | Promise<void>;

export interface SqsEventSourceMappingProps {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly handler: SqsHandler;
  readonly functionName: string;
  readonly region: string;
  readonly account: string;
  /** @default 10 (at most 10 per receive, as one ReceiveMessage call returns) */
  readonly batchSize?: number;
  /** @default 0 */
  readonly maximumBatchingWindowSeconds?: number;
  /** Whether the handler reports partial batch failures. @default true */
  readonly reportBatchItemFailures?: boolean;
  /** How many batches may be processed at once (Lambda's ScalingConfig.MaximumConcurrency). @default 2 */
  readonly maximumConcurrency?: number;
  /** @default 30 */
  readonly functionTimeoutSeconds?: number;
  /** Called after each invocation, for logs and metrics. */
  readonly onInvoke?: (outcome: InvocationOutcome) => void;
  /**
   * Called when polling fails, or when messages the handler processed could not be deleted
   * (a `MessageDeletionError`: they come back after the visibility timeout); polling goes on.
   * @default console.error
   */
  readonly onError?: (error: unknown) => void;
}

/** Messages a handler processed that the mapping could not delete: they will be received again. */
export class MessageDeletionError extends Error {
  constructor(
    readonly functionName: string,
    readonly messageIds: readonly string[],
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `${functionName}: could not delete ${messageIds.length} processed message(s), which come back after the visibility timeout: ${reason}`,
      options,
    );
    this.name = 'MessageDeletionError';
  }
}

export interface InvocationOutcome {
  readonly functionName: string;
  readonly records: number;
  readonly failed: number;
  readonly error?: unknown;
}

const SYSTEM_ATTRIBUTES = [
  'ApproximateReceiveCount',
  'SentTimestamp',
  'SenderId',
  'ApproximateFirstReceiveTimestamp',
  'MessageGroupId',
  'MessageDeduplicationId',
  'SequenceNumber',
] as const;

const toRecord = (message: Message, queueArn: string, region: string): SQSRecord => {
  const attributes = message.Attributes ?? {};
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue !== undefined && { stringValue: value.StringValue }),
      ...(value.BinaryValue !== undefined && {
        binaryValue: Buffer.from(value.BinaryValue).toString('base64'),
      }),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((item) =>
        Buffer.from(item).toString('base64'),
      ),
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: Object.fromEntries(
      SYSTEM_ATTRIBUTES.filter((name) => attributes[name] !== undefined).map((name) => [
        name,
        attributes[name],
      ]),
    ) as unknown as SQSRecord['attributes'],
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
};

/**
 * Which records to delete after an invocation, following Lambda's rules: a thrown error fails
 * the whole batch; with ReportBatchItemFailures, the listed items fail and the rest succeed, but
 * a response naming an item that is not in the batch (or an empty id) fails the whole batch.
 */
export const succeededRecords = (
  records: readonly SQSRecord[],
  outcome: { readonly threw: boolean; readonly response: unknown },
  reportBatchItemFailures: boolean,
): SQSRecord[] => {
  if (outcome.threw) return [];
  if (!reportBatchItemFailures) return [...records];
  const failures = (outcome.response as SQSBatchResponse | undefined)?.batchItemFailures ?? [];
  const ids = new Set(records.map((record) => record.messageId));
  if (
    !Array.isArray(failures) ||
    failures.some((failure) => !failure?.itemIdentifier || !ids.has(failure.itemIdentifier))
  ) {
    return [];
  }
  const failed = new Set(failures.map((failure) => failure.itemIdentifier));
  return records.filter((record) => !failed.has(record.messageId));
};

/**
 * The Lambda event-source mapping for SQS, locally: polls the queue, batches messages (size and
 * window), invokes the handler with the real SQSEvent shape and a Lambda context, deletes what
 * succeeded and leaves failures to the queue's visibility timeout and redrive policy
 * (maxReceiveCount → DLQ), with up to `maximumConcurrency` batches in flight. A message is never
 * dropped: it is deleted once processed, or comes back; a delete that fails is reported to
 * `onError`.
 */
export class SqsEventSourceMapping {
  private run = { stopped: true };
  private pollers: Promise<void>[] = [];

  constructor(private readonly props: SqsEventSourceMappingProps) {}

  /**
   * Starts polling (again, after `stop`, like enabling a mapping). Resolves once the queue is
   * known to exist.
   */
  async start(): Promise<void> {
    await this.stop();
    const { Attributes } = await this.props.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.props.queueUrl,
        AttributeNames: ['QueueArn'],
      }),
    );
    const queueArn = Attributes?.['QueueArn'] ?? '';
    const run = { stopped: false };
    this.run = run;
    this.pollers = Array.from({ length: this.props.maximumConcurrency ?? 2 }, () =>
      this.poll(queueArn, run),
    );
  }

  /**
   * Stops polling and waits for the receives and batches in flight to finish (a receive is never
   * cut short: messages it took would stay invisible until their visibility timeout).
   */
  async stop(): Promise<void> {
    this.run.stopped = true;
    await Promise.allSettled(this.pollers);
  }

  private async receive(max: number, waitSeconds: number): Promise<Message[]> {
    const { Messages = [] } = await this.props.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.props.queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return Messages;
  }

  private async nextBatch(): Promise<Message[]> {
    const size = this.props.batchSize ?? 10;
    const batch = await this.receive(size, 1);
    const windowEnds = Date.now() + (this.props.maximumBatchingWindowSeconds ?? 0) * 1000;
    while (batch.length > 0 && batch.length < size && Date.now() < windowEnds) {
      const more = await this.receive(
        size - batch.length,
        Math.max(0, Math.ceil((windowEnds - Date.now()) / 1000)),
      );
      batch.push(...more);
    }
    return batch;
  }

  private async poll(queueArn: string, run: { readonly stopped: boolean }): Promise<void> {
    while (!run.stopped) {
      try {
        const messages = await this.nextBatch();
        if (messages.length > 0) {
          await this.invoke(messages.map((m) => toRecord(m, queueArn, this.props.region)));
        }
      } catch (error) {
        if (run.stopped) return;
        (this.props.onError ?? console.error)(error);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  private async invoke(records: SQSRecord[]): Promise<void> {
    const context = lambdaContext({
      functionName: this.props.functionName,
      region: this.props.region,
      account: this.props.account,
      timeoutSeconds: this.props.functionTimeoutSeconds ?? 30,
    });
    let outcome: { threw: boolean; response: unknown; error?: unknown };
    try {
      outcome = { threw: false, response: await this.props.handler({ Records: records }, context) };
    } catch (error) {
      outcome = { threw: true, response: undefined, error };
    }
    const succeeded = succeededRecords(
      records,
      outcome,
      this.props.reportBatchItemFailures ?? true,
    );
    for (let i = 0; i < succeeded.length; i += 10) await this.delete(succeeded.slice(i, i + 10));
    this.props.onInvoke?.({
      functionName: this.props.functionName,
      records: records.length,
      failed: records.length - succeeded.length,
      ...(outcome.threw && { error: outcome.error }),
    });
  }

  /** Deletes up to 10 processed messages; any it cannot delete is reported, never ignored. */
  private async delete(records: readonly SQSRecord[]): Promise<void> {
    const report = this.props.onError ?? console.error;
    try {
      const { Failed = [] } = await this.props.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.props.queueUrl,
          Entries: records.map((record, index) => ({
            Id: String(index),
            ReceiptHandle: record.receiptHandle,
          })),
        }),
      );
      if (Failed.length > 0) {
        report(
          new MessageDeletionError(
            this.props.functionName,
            Failed.map((failure) => records[Number(failure.Id)]?.messageId ?? String(failure.Id)),
            Failed.map((failure) => `${failure.Code}: ${failure.Message}`).join('; '),
          ),
        );
      }
    } catch (error) {
      report(
        new MessageDeletionError(
          this.props.functionName,
          records.map((record) => record.messageId),
          error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          { cause: error },
        ),
      );
    }
  }
}
