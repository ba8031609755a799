import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { type EventPattern, matchesPattern } from '../eventbridge/matchPattern.js';
import { validationError } from '../http/awsErrors.js';
import { parseFilterPattern } from './parseFilterPattern.js';

/** A stream record as a Pipe sees it: the DynamoDB Streams record with its images in DynamoDB JSON. */
export type StreamRecord = _Record;

/** Sends what could not be relayed to a dead-letter queue, with the reason. */
export type RelayDeadLetter = (record: StreamRecord, reason: string) => Promise<void>;

export interface StreamToBusRelayProps {
  readonly streams: DynamoDBStreamsClient;
  readonly eventBridge: EventBridgeClient;
  readonly streamArn: string;
  /**
   * Pipes filter criteria: an event pattern matched against each stream record. A pattern Pipes
   * refuses (bad syntax, or an operator Pipes does not support) throws a ValidationException.
   */
  readonly filter: EventPattern;
  /** Pipes target input transformation: the PutEvents entry for one record. */
  readonly transform: (record: StreamRecord) => PutEventsRequestEntry;
  readonly deadLetter: RelayDeadLetter;
  /** @default 10 */
  readonly batchSize?: number;
  /** @default 3 */
  readonly maximumRetryAttempts?: number;
  /** @default 'TRIM_HORIZON' */
  readonly startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Called when reading the stream fails; the relay goes on. @default console.error */
  readonly onError?: (error: unknown) => void;
  /**
   * Called for each record that could neither be published nor dead-lettered.
   * @default logs it with console.error
   */
  readonly onDeliveryFailure?: (failure: RelayFailure) => void;
}

/** A record the relay could not put on the bus, and why its dead-letter queue did not take it. */
export interface RelayFailure {
  readonly record: StreamRecord;
  /** Why the bus did not take it. */
  readonly reason: string;
  /** What the dead-letter queue threw. */
  readonly deadLetterError: unknown;
}

const logRelayFailure = ({ record, reason, deadLetterError }: RelayFailure): void => {
  console.error(
    `Outbox relay dropped stream record ${record.dynamodb?.SequenceNumber} (${reason}): its dead-letter queue refused it`,
    deadLetterError,
  );
};

const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/** Reads one string attribute of a record's new image. */
export const newImageString = (record: StreamRecord, name: string): string | undefined => {
  const value: AttributeValue | undefined = record.dynamodb?.NewImage?.[name] as
    | AttributeValue
    | undefined;
  return value && 'S' in value ? value.S : undefined;
};

/**
 * The local equivalent of an EventBridge Pipe from a DynamoDB stream to an event bus: reads every
 * shard in order, keeps the records that match the filter, transforms each into a PutEvents entry
 * and publishes them; failed entries are retried and then sent to the dead-letter queue with the
 * error, as is a record the transform throws on. A batch is acknowledged (the iterator advanced)
 * only after each of its records was published or dead-lettered, so delivery is at least once. A
 * record the dead-letter queue refuses too is reported to `onDeliveryFailure` and counted in
 * `failedToBeSentToDlqCount`: never dropped silently.
 */
export class StreamToBusRelay {
  private readonly abort = new AbortController();
  private readonly done = new Set<string>();
  private running: Promise<void> | undefined;
  private relayed = 0;
  private sentToDlq = 0;
  private failedToBeSentToDlq = 0;

  constructor(private readonly props: StreamToBusRelayProps) {
    const filter = parseFilterPattern(props.filter);
    if (!filter.ok) throw validationError(filter.message);
  }

  /** How many records were published so far. */
  get publishedCount(): number {
    return this.relayed;
  }

  /** How many records went to the dead-letter queue so far. */
  get sentToDlqCount(): number {
    return this.sentToDlq;
  }

  /** How many records the dead-letter queue refused so far: records lost, each one reported. */
  get failedToBeSentToDlqCount(): number {
    return this.failedToBeSentToDlq;
  }

  start(): void {
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    const active = new Map<string, Promise<void>>();
    while (!this.abort.signal.aborted) {
      try {
        const { StreamDescription } = await this.props.streams.send(
          new DescribeStreamCommand({ StreamArn: this.props.streamArn }),
        );
        for (const shard of StreamDescription?.Shards ?? []) {
          const id = shard.ShardId ?? '';
          const parentPending =
            shard.ParentShardId !== undefined &&
            !this.done.has(shard.ParentShardId) &&
            (StreamDescription?.Shards ?? []).some((s) => s.ShardId === shard.ParentShardId);
          if (this.done.has(id) || active.has(id) || parentPending) continue;
          active.set(
            id,
            this.readShard(id).finally(() => active.delete(id)),
          );
        }
      } catch (error) {
        if (!this.abort.signal.aborted) (this.props.onError ?? console.error)(error);
      }
      await pause(500, this.abort.signal);
    }
    await Promise.allSettled(active.values());
  }

  private async iteratorFor(
    shardId: string,
    after: string | undefined,
  ): Promise<string | undefined> {
    const { ShardIterator } = await this.props.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.props.streamArn,
        ShardId: shardId,
        ...(after === undefined
          ? { ShardIteratorType: this.props.startingPosition ?? 'TRIM_HORIZON' }
          : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }),
      }),
    );
    return ShardIterator;
  }

  /**
   * Reads a shard to its end. An iterator that expires or points past trimmed records is
   * replaced by one after the last record relayed, so nothing is skipped or relayed twice.
   */
  private async readShard(shardId: string): Promise<void> {
    let lastSequenceNumber: string | undefined;
    let iterator: string | undefined;
    let exhausted = false;
    while (!exhausted && !this.abort.signal.aborted) {
      try {
        iterator ??= await this.iteratorFor(shardId, lastSequenceNumber);
        if (iterator === undefined) break;
        const { Records = [], NextShardIterator } = await this.props.streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: this.props.batchSize ?? 10 }),
        );
        const selected = Records.filter((record) => matchesPattern(this.props.filter, record));
        await this.publish(selected);
        lastSequenceNumber = Records.at(-1)?.dynamodb?.SequenceNumber ?? lastSequenceNumber;
        iterator = NextShardIterator;
        exhausted = NextShardIterator === undefined;
        if (Records.length === 0) await pause(50, this.abort.signal);
      } catch (error) {
        if (this.abort.signal.aborted) return;
        const name = error instanceof Error ? error.name : '';
        const stale = name === 'ExpiredIteratorException' || name === 'TrimmedDataAccessException';
        if (!stale) (this.props.onError ?? console.error)(error);
        await pause(stale ? 50 : 250, this.abort.signal);
        iterator = undefined;
      }
    }
    if (exhausted) this.done.add(shardId);
  }

  private async publish(records: readonly StreamRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += 10) {
      const failed = await this.putEvents(records.slice(i, i + 10));
      for (const { record, reason } of failed) await this.deadLetter(record, reason);
    }
  }

  /** Puts up to 10 records on the bus, with retries; answers those the bus never took, and why. */
  private async putEvents(
    records: readonly StreamRecord[],
  ): Promise<{ record: StreamRecord; reason: string }[]> {
    const untransformable: { record: StreamRecord; reason: string }[] = [];
    let pending: { record: StreamRecord; entry: PutEventsRequestEntry; reason: string }[] = [];
    for (const record of records) {
      try {
        pending.push({ record, entry: this.props.transform(record), reason: '' });
      } catch (error) {
        untransformable.push({ record, reason: `Transform failed: ${errorText(error)}` });
      }
    }
    for (
      let attempt = 0;
      pending.length > 0 && attempt <= (this.props.maximumRetryAttempts ?? 3);
      attempt++
    ) {
      if (attempt > 0) await pause(100 * 2 ** attempt, this.abort.signal);
      try {
        const result = await this.props.eventBridge.send(
          new PutEventsCommand({ Entries: pending.map(({ entry }) => entry) }),
        );
        const failed = pending.flatMap((item, index) => {
          const entry = result.Entries?.[index];
          return entry?.ErrorCode
            ? [{ ...item, reason: `${entry.ErrorCode}: ${entry.ErrorMessage}` }]
            : [];
        });
        this.relayed += pending.length - failed.length;
        pending = failed;
      } catch (error) {
        pending = pending.map((item) => ({ ...item, reason: errorText(error) }));
      }
    }
    return [...untransformable, ...pending.map(({ record, reason }) => ({ record, reason }))];
  }

  private async deadLetter(record: StreamRecord, reason: string): Promise<void> {
    try {
      await this.props.deadLetter(record, reason);
      this.sentToDlq++;
    } catch (deadLetterError) {
      this.failedToBeSentToDlq++;
      (this.props.onDeliveryFailure ?? logRelayFailure)({ record, reason, deadLetterError });
    }
  }
}
