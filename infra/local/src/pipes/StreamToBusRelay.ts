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
import { entrySize, MAX_PUT_EVENTS_BYTES } from '../eventbridge/EventBridgeEmulator.js';
import { type EventPattern, matchesPattern } from '../eventbridge/matchPattern.js';
import { validationError } from '../http/awsErrors.js';
import { pause } from '../pause.js';
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
  /**
   * How long a shard's reader waits after a read that reached the shard's end (fewer records
   * than `batchSize`) before it reads again, unless `wake` is called first: the fallback for
   * writes nothing reported. @default 50
   */
  readonly idlePollMs?: number;
  /**
   * Called when reading the stream starts failing (e.g. DynamoDB Local restarting): once per run
   * of failures, which are retried with a back-off of up to 5 s; the relay goes on.
   * @default console.error
   */
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

/** A record on its way to the bus: its entry, and why the bus refused it so far. */
interface Pending {
  readonly record: StreamRecord;
  readonly entry: PutEventsRequestEntry;
  readonly reason: string;
}

/** A record the bus never took, and why. */
interface Failure {
  readonly record: StreamRecord;
  readonly reason: string;
}

const logRelayFailure = ({ record, reason, deadLetterError }: RelayFailure): void => {
  console.error(
    `Outbox relay dropped stream record ${record.dynamodb?.SequenceNumber} (${reason}): its dead-letter queue refused it`,
    deadLetterError,
  );
};

const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * How long a relay reading its shards goes without describing its stream again: a shard's
 * successor is looked for as soon as the shard closes, this is the fallback.
 */
const SHARDS_LISTED_WITHIN_MS = 10_000;

/** The pause after `failures` failures in a row: `base` ms, doubling, at most 5 s. */
const backOff = (base: number, failures: number): number =>
  Math.min(base * 2 ** Math.max(failures - 1, 0), 5000);

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
 * `failedToBeSentToDlqCount`: never dropped silently. A shard's reader that reached the shard's end
 * (a read of fewer records than its batch size) reads again at once when `wake` tells of a write
 * to the table since that read began, else after `idlePollMs`. The stream is
 * described again when a shard being read closes, not on a timer.
 *
 * @example
 * ```ts
 * const relay = new StreamToBusRelay({ streams, eventBridge, streamArn, filter, transform, deadLetter });
 * relay.start();
 * tableWrites.on('orders', () => relay.wake());
 * ```
 */
export class StreamToBusRelay {
  private readonly abort = new AbortController();
  private readonly done = new Set<string>();
  private running: Promise<void> | undefined;
  private relayed = 0;
  private sentToDlq = 0;
  private failedToBeSentToDlq = 0;
  /** Writes told of by `wake` so far: a reader that saw fewer reads again at once. */
  private writes = 0;
  private readonly wakers = new Set<() => void>();

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

  /**
   * Tells the relay of a write to its table: the shards' readers waiting after an empty read read
   * now, and one reading now reads once more after, so the write's record is never left to the
   * next poll.
   *
   * @example
   * ```ts
   * tableWrites.on('orders', () => relay.wake());
   * ```
   */
  wake(): void {
    this.writes++;
    for (const waker of [...this.wakers]) waker();
  }

  /** Waits `ms`, or less if `wake` is called or was called since `seen` writes, or the relay stops. */
  private async idle(ms: number, seen: number): Promise<void> {
    if (this.writes !== seen || this.abort.signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
      this.abort.signal.addEventListener('abort', done);
    });
  }

  /** Waits until one of the shards being read is done, SHARDS_LISTED_WITHIN_MS, or the stop. */
  private async shardClosed(reading: Iterable<Promise<void>>): Promise<void> {
    if (this.abort.signal.aborted) return;
    const listAgain = new AbortController();
    const stopped = () => listAgain.abort();
    this.abort.signal.addEventListener('abort', stopped);
    await Promise.race([...reading, pause(SHARDS_LISTED_WITHIN_MS, listAgain.signal)]);
    listAgain.abort();
    this.abort.signal.removeEventListener('abort', stopped);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    const active = new Map<string, Promise<void>>();
    let failures = 0;
    while (!this.abort.signal.aborted) {
      const seen = this.writes;
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
        failures = 0;
      } catch (error) {
        if (!this.abort.signal.aborted && failures++ === 0) this.reportError(error);
      }
      // With no shard being read (e.g. its shard just closed), a write looks for the next one now;
      // while shards are read, the stream is described again when one of them closes, since a
      // shard's successor appears as it closes (or after SHARDS_LISTED_WITHIN_MS at the latest).
      if (failures === 0 && active.size === 0) await this.idle(500, seen);
      else if (failures === 0) await this.shardClosed(active.values());
      else await pause(backOff(500, failures), this.abort.signal);
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
    let failures = 0;
    while (!exhausted && !this.abort.signal.aborted) {
      const seen = this.writes;
      try {
        iterator ??= await this.iteratorFor(shardId, lastSequenceNumber);
        if (iterator === undefined) break;
        const limit = this.props.batchSize ?? 10;
        const { Records = [], NextShardIterator } = await this.props.streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }),
        );
        const selected = Records.filter((record) => matchesPattern(this.props.filter, record));
        await this.publish(selected);
        lastSequenceNumber = Records.at(-1)?.dynamodb?.SequenceNumber ?? lastSequenceNumber;
        iterator = NextShardIterator;
        exhausted = NextShardIterator === undefined;
        failures = 0;
        // Fewer records than asked for: the read reached the shard's end as it was then, so the
        // next read waits for a write told since this one began, as after an empty read.
        if (Records.length < limit && !exhausted)
          await this.idle(this.props.idlePollMs ?? 50, seen);
      } catch (error) {
        if (this.abort.signal.aborted) return;
        const name = error instanceof Error ? error.name : '';
        const stale = name === 'ExpiredIteratorException' || name === 'TrimmedDataAccessException';
        if (!stale && failures++ === 0) this.reportError(error);
        await pause(stale ? 50 : backOff(250, failures), this.abort.signal);
        iterator = undefined;
      }
    }
    if (exhausted) this.done.add(shardId);
  }

  private reportError(error: unknown): void {
    (this.props.onError ?? console.error)(error);
  }

  /**
   * Publishes records in PutEvents requests of at most 10 entries and 1 MiB, the limits of one
   * request; dead-letters those the bus never took.
   */
  private async publish(records: readonly StreamRecord[]): Promise<void> {
    const failed: Failure[] = [];
    let batch: Pending[] = [];
    let batchBytes = 0;
    for (const record of records) {
      let entry: PutEventsRequestEntry;
      try {
        entry = this.props.transform(record);
      } catch (error) {
        failed.push({ record, reason: `Transform failed: ${errorText(error)}` });
        continue;
      }
      const bytes = entrySize(entry);
      if (batch.length === 10 || (batch.length > 0 && batchBytes + bytes > MAX_PUT_EVENTS_BYTES)) {
        failed.push(...(await this.putEvents(batch)));
        batch = [];
        batchBytes = 0;
      }
      batch.push({ record, entry, reason: '' });
      batchBytes += bytes;
    }
    if (batch.length > 0) failed.push(...(await this.putEvents(batch)));
    for (const { record, reason } of failed) await this.deadLetter(record, reason);
  }

  /** Puts one request's entries on the bus, with retries; answers those the bus never took, and why. */
  private async putEvents(entries: readonly Pending[]): Promise<Failure[]> {
    let pending = [...entries];
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
    return pending.map(({ record, reason }) => ({ record, reason }));
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
