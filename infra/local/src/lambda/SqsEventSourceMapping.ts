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
import { pause } from '../pause.js';
import type { InvokeOutcome } from './startLambdaEndpoint.js';

/** An SQS-triggered Lambda handler, as the services export it. */
export type SqsHandler = (
  event: SQSEvent,
  context: Context,
) => Promise<SQSBatchResponse | undefined> | Promise<void>;

/** A back-off: the first delay, doubled after each failure up to the longest. */
export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

export interface SqsEventSourceMappingProps {
  /** The client the mapping polls and deletes with: in AWS, the function's execution role's. */
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /**
   * Invokes the function with one batch, as Lambda does: its result, its error, or a refusal
   * (`throttled`) when it has no concurrency left.
   */
  readonly invoke: (event: SQSEvent) => Promise<InvokeOutcome>;
  readonly functionName: string;
  readonly region: string;
  /** @default 10 (at most 10 per receive, as one ReceiveMessage call returns) */
  readonly batchSize?: number;
  /** @default 0 */
  readonly maximumBatchingWindowSeconds?: number;
  /** Whether the handler reports partial batch failures. @default true */
  readonly reportBatchItemFailures?: boolean;
  /** How many batches may be processed at once (Lambda's ScalingConfig.MaximumConcurrency). @default 2 */
  readonly maximumConcurrency?: number;
  /**
   * How long a poller waits after a batch the function failed (an error, a runtime that exited,
   * a timeout) before it takes the next. @default { baseMs: 250, maxMs: 4000 }
   */
  readonly errorBackoff?: Backoff;
  /**
   * How long the mapping waits before it offers a throttled batch again; every poller waits
   * with it. @default { baseMs: 100, maxMs: 2000 }
   */
  readonly throttleBackoff?: Backoff;
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
  /** The function's error, when the whole batch failed. */
  readonly error?: unknown;
  /** Throttled until the batch's visibility timeout ran out: none of it ran, all of it comes back. */
  readonly throttled?: boolean;
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

/** A delay from a back-off after `failures` failures in a row, with full jitter. */
const delayOf = (backoff: Backoff, failures: number): number =>
  Math.random() * Math.min(backoff.maxMs, backoff.baseMs * 2 ** (failures - 1));

/** One run of the pollers, between `start` and `stop`. */
interface Run {
  stopped: boolean;
  readonly signal: AbortSignal;
}

/**
 * The Lambda event-source mapping for SQS, locally: polls the queue, batches messages (size and
 * window), invokes the function with the real SQSEvent shape, deletes what succeeded and leaves
 * failures to the queue's visibility timeout and redrive policy (maxReceiveCount → DLQ), with up
 * to `maximumConcurrency` batches in flight. As Lambda's pollers do, it runs outside the
 * function and backs off: after a batch the function failed, that poller waits before it takes
 * another; a throttled batch is offered again, every poller waiting with it, until the batch's
 * visibility timeout would run out, and then left to come back. A message is never dropped: it
 * is deleted once processed, or comes back; a delete that fails is reported to `onError`.
 *
 * @example
 * ```ts
 * const mapping = new SqsEventSourceMapping({ sqs, queueUrl, functionName, region, invoke });
 * await mapping.start();
 * ```
 */
export class SqsEventSourceMapping {
  private run: Run = { stopped: true, signal: AbortSignal.abort() };
  private abort = new AbortController();
  private pollers: Promise<void>[] = [];
  /** Until when every poller waits, after a throttled invocation. */
  private pausedUntil = 0;
  private throttles = 0;

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
        AttributeNames: ['QueueArn', 'VisibilityTimeout'],
      }),
    );
    const queue = {
      arn: Attributes?.['QueueArn'] ?? '',
      visibilityMs: Number(Attributes?.['VisibilityTimeout'] ?? 30) * 1000,
    };
    this.abort = new AbortController();
    const run = { stopped: false, signal: this.abort.signal };
    this.run = run;
    this.pollers = Array.from({ length: this.props.maximumConcurrency ?? 2 }, () =>
      this.poll(queue, run),
    );
  }

  /**
   * Stops polling and waits for the receives and batches in flight to finish (a receive is never
   * cut short: messages it took would stay invisible until their visibility timeout). A
   * throttled batch is not offered again: it comes back after its visibility timeout.
   */
  async stop(): Promise<void> {
    this.run.stopped = true;
    this.abort.abort();
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

  private async poll(
    queue: { readonly arn: string; readonly visibilityMs: number },
    run: Run,
  ): Promise<void> {
    let failures = 0;
    while (!run.stopped) {
      try {
        await pause(this.pausedUntil - Date.now(), run.signal);
        if (run.stopped) return;
        const messages = await this.nextBatch();
        if (messages.length === 0) continue;
        const records = messages.map((m) => toRecord(m, queue.arn, this.props.region));
        const failed = await this.process(records, Date.now() + queue.visibilityMs, run);
        failures = failed ? failures + 1 : 0;
        if (failed) await pause(delayOf(this.errorBackoff, failures), run.signal);
      } catch (error) {
        if (run.stopped) return;
        (this.props.onError ?? console.error)(error);
        await pause(250, run.signal);
      }
    }
  }

  private get errorBackoff(): Backoff {
    return this.props.errorBackoff ?? { baseMs: 250, maxMs: 4000 };
  }

  /**
   * Offers the batch until the function takes it (or its visibility timeout would run out),
   * then deletes what succeeded. Whether the function failed the whole batch.
   */
  private async process(records: SQSRecord[], visibleAgainAt: number, run: Run): Promise<boolean> {
    const outcome = await this.invokeAdmitted(records, visibleAgainAt, run);
    if (outcome === undefined) {
      this.props.onInvoke?.({
        functionName: this.props.functionName,
        records: records.length,
        failed: records.length,
        throttled: true,
      });
      return false;
    }
    const threw = outcome.kind !== 'result';
    const succeeded = succeededRecords(
      records,
      { threw, response: outcome.kind === 'result' ? outcome.payload : undefined },
      this.props.reportBatchItemFailures ?? true,
    );
    for (let i = 0; i < succeeded.length; i += 10) await this.delete(succeeded.slice(i, i + 10));
    this.props.onInvoke?.({
      functionName: this.props.functionName,
      records: records.length,
      failed: records.length - succeeded.length,
      ...(threw && { error: outcome }),
    });
    return threw;
  }

  /** The function's outcome for the batch, or undefined if it stayed throttled. */
  private async invokeAdmitted(
    records: SQSRecord[],
    visibleAgainAt: number,
    run: Run,
  ): Promise<Exclude<InvokeOutcome, { kind: 'throttled' }> | undefined> {
    const throttleBackoff = this.props.throttleBackoff ?? { baseMs: 100, maxMs: 2000 };
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.props.invoke({ Records: records });
      if (outcome.kind !== 'throttled') {
        this.throttles = 0;
        return outcome;
      }
      this.throttles++;
      const delay = delayOf(throttleBackoff, Math.max(attempt, this.throttles));
      if (run.stopped || Date.now() + delay >= visibleAgainAt) return undefined;
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
      await pause(delay, run.signal);
    }
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
