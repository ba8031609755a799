import { AwsServiceError, resourceNotFound } from '../http/awsErrors.js';
import { compileFilterPattern, InvalidFilterPatternError } from './filterPattern.js';

/** One log event as it is stored: where, when, and in which order it was taken. */
export interface StoredLogEvent {
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
  /** Ingestion order within the group: breaks ties between equal timestamps. */
  readonly sequence: number;
}

interface LogStream {
  readonly creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
  /** How many of the group's stored events are this stream's. */
  events: number;
}

interface LogGroup {
  readonly creationTime: number;
  retentionInDays?: number;
  readonly streams: Map<string, LogStream>;
  /** The group's events, oldest taken first; at most `maxEventsPerGroup`. */
  readonly events: StoredLogEvent[];
  storedBytes: number;
  sequence: number;
}

export interface LogGroupsProps {
  readonly region: string;
  readonly account: string;
  /**
   * The most events a log group keeps: taking one more drops the oldest taken (and a stream left
   * with none). @default 10_000
   */
  readonly maxEventsPerGroup?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** One event of a PutLogEvents call. */
export interface InputLogEvent {
  readonly timestamp: number;
  readonly message: string;
}

/** The filter of a FilterLogEvents call, after validation. */
export interface EventQuery {
  readonly logStreamNames?: readonly string[];
  readonly logStreamNamePrefix?: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly filterPattern?: string;
  readonly limit: number;
  /** Only events after this one in (timestamp, sequence) order. */
  readonly after?: readonly [number, number];
}

export const invalidParameter = (message: string): AwsServiceError =>
  new AwsServiceError('InvalidParameterException', message);

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const DAY_MS = 86_400_000;
/** PutLogEvents takes events at most 14 days old and at most 2 hours ahead. */
const TOO_OLD_MS = 14 * DAY_MS;
const TOO_NEW_MS = 2 * 3_600_000;
/** Each event counts its UTF-8 message plus 26 bytes toward the 1 MiB batch. */
const EVENT_OVERHEAD_BYTES = 26;
const MAX_BATCH_BYTES = 1_048_576;
const MAX_BATCH_EVENTS = 10_000;
const MAX_EVENT_BYTES = 1_048_576 - EVENT_OVERHEAD_BYTES;

const byTime = (a: StoredLogEvent, b: StoredLogEvent): number =>
  a.timestamp - b.timestamp || a.sequence - b.sequence;

/**
 * The log groups of one account and region, in memory, with the rules CloudWatch Logs applies:
 * unique names, streams inside a group, PutLogEvents' batch limits and chronological order,
 * events too old (14 days) or too new (2 hours) rejected, and FilterLogEvents' filter patterns.
 * Memory is bounded: each group keeps its latest `maxEventsPerGroup` events, dropping the oldest
 * taken first.
 *
 * @example
 * ```ts
 * const groups = new LogGroups({ region: 'eu-west-1', account: '000000000000' });
 * groups.createLogGroup('/aws/events/shop-audit');
 * groups.put('/aws/events/shop-audit', 'e-1', [{ timestamp: Date.now(), message: '{}' }]);
 * ```
 */
export class LogGroups {
  private readonly groups = new Map<string, LogGroup>();
  private readonly maxEvents: number;
  private readonly now: () => number;

  constructor(private readonly props: LogGroupsProps) {
    this.maxEvents = props.maxEventsPerGroup ?? 10_000;
    this.now = props.now ?? Date.now;
  }

  /** The group's ARN as DescribeLogGroups' `arn` gives it (with `:*`), and without it. */
  arnOf(name: string): { readonly arn: string; readonly logGroupArn: string } {
    const logGroupArn = `arn:aws:logs:${this.props.region}:${this.props.account}:log-group:${name}`;
    return { arn: `${logGroupArn}:*`, logGroupArn };
  }

  createLogGroup(name: string, retentionInDays?: number): void {
    if (!GROUP_NAME.test(name)) {
      throw invalidParameter(
        `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
      );
    }
    if (this.groups.has(name)) {
      throw new AwsServiceError(
        'ResourceAlreadyExistsException',
        'The specified log group already exists',
      );
    }
    this.groups.set(name, {
      creationTime: this.now(),
      ...(retentionInDays !== undefined && { retentionInDays }),
      streams: new Map(),
      events: [],
      storedBytes: 0,
      sequence: 0,
    });
  }

  hasLogGroup(name: string): boolean {
    return this.groups.has(name);
  }

  /** Creates the group unless it exists: the way the local cloud's own writers make sure of it. */
  ensureLogGroup(name: string): void {
    if (!this.groups.has(name)) this.createLogGroup(name);
  }

  /** PutRetentionPolicy: how long AWS would keep the group's events (memory here is bounded by count). */
  setRetention(name: string, retentionInDays: number): void {
    this.group(name).retentionInDays = retentionInDays;
  }

  /**
   * Stores events in a stream, creating the group and the stream if need be: how the local
   * cloud's own writers (the bus's log targets, the decision logs) deliver, as AWS services do.
   */
  append(groupName: string, streamName: string, events: readonly InputLogEvent[]) {
    this.ensureLogGroup(groupName);
    const group = this.group(groupName);
    if (!group.streams.has(streamName)) this.createLogStream(groupName, streamName);
    return this.put(groupName, streamName, events);
  }

  createLogStream(groupName: string, streamName: string): void {
    const group = this.group(groupName);
    if (streamName.length < 1 || streamName.length > 512 || /[:*]/.test(streamName)) {
      throw invalidParameter(`Invalid log stream name ${streamName}`);
    }
    if (group.streams.has(streamName)) {
      throw new AwsServiceError(
        'ResourceAlreadyExistsException',
        'The specified log stream already exists',
      );
    }
    group.streams.set(streamName, { creationTime: this.now(), storedBytes: 0, events: 0 });
  }

  /** The groups whose names start with `prefix`, in name order. */
  describe(prefix = '') {
    return [...this.groups.entries()]
      .filter(([name]) => name.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, group]) => ({
        logGroupName: name,
        ...this.arnOf(name),
        creationTime: group.creationTime,
        ...(group.retentionInDays !== undefined && { retentionInDays: group.retentionInDays }),
        metricFilterCount: 0,
        storedBytes: group.storedBytes,
        logGroupClass: 'STANDARD',
      }));
  }

  /**
   * Stores a PutLogEvents batch in one stream; events too old or too new are left out and
   * reported as AWS does, by index.
   */
  put(groupName: string, streamName: string, events: readonly InputLogEvent[]) {
    const group = this.group(groupName);
    const stream = group.streams.get(streamName);
    if (stream === undefined) throw resourceNotFound('The specified log stream does not exist.');
    this.checkBatch(events);
    const now = this.now();
    let tooOldLogEventEndIndex: number | undefined;
    let tooNewLogEventStartIndex: number | undefined;
    events.forEach((event, index) => {
      if (event.timestamp < now - TOO_OLD_MS) tooOldLogEventEndIndex = index + 1;
      else if (event.timestamp > now + TOO_NEW_MS) tooNewLogEventStartIndex ??= index;
      else this.store(group, streamName, stream, event, now);
    });
    this.trim(group);
    const rejected = {
      ...(tooOldLogEventEndIndex !== undefined && { tooOldLogEventEndIndex }),
      ...(tooNewLogEventStartIndex !== undefined && { tooNewLogEventStartIndex }),
    };
    return {
      nextSequenceToken: String(group.sequence).padStart(56, '0'),
      ...(Object.keys(rejected).length > 0 && { rejectedLogEventsInfo: rejected }),
    };
  }

  /** The group's events that pass the query, in time order, and whether more follow. */
  filter(groupName: string, query: EventQuery) {
    const group = this.group(groupName);
    let matches: (message: string) => boolean;
    try {
      matches = compileFilterPattern(query.filterPattern ?? '');
    } catch (error) {
      if (error instanceof InvalidFilterPatternError) throw invalidParameter(error.message);
      throw error;
    }
    const streams = query.logStreamNames === undefined ? undefined : new Set(query.logStreamNames);
    const prefix = query.logStreamNamePrefix;
    const [afterTime, afterSequence] = query.after ?? [Number.NEGATIVE_INFINITY, -1];
    const found = group.events
      .filter(
        (event) =>
          (streams === undefined || streams.has(event.logStreamName)) &&
          (prefix === undefined || event.logStreamName.startsWith(prefix)) &&
          (query.startTime === undefined || event.timestamp >= query.startTime) &&
          (query.endTime === undefined || event.timestamp <= query.endTime) &&
          (event.timestamp > afterTime ||
            (event.timestamp === afterTime && event.sequence > afterSequence)) &&
          matches(event.message),
      )
      .sort(byTime);
    return { events: found.slice(0, query.limit), more: found.length > query.limit };
  }

  /** One stream's events between the times, in time order. */
  streamEvents(
    groupName: string,
    streamName: string,
    range: { readonly startTime?: number; readonly endTime?: number },
  ): StoredLogEvent[] {
    const group = this.group(groupName);
    if (!group.streams.has(streamName)) {
      throw resourceNotFound('The specified log stream does not exist.');
    }
    return group.events
      .filter(
        (event) =>
          event.logStreamName === streamName &&
          (range.startTime === undefined || event.timestamp >= range.startTime) &&
          (range.endTime === undefined || event.timestamp < range.endTime),
      )
      .sort(byTime);
  }

  private group(name: string): LogGroup {
    const group = this.groups.get(name);
    if (group === undefined) throw resourceNotFound('The specified log group does not exist.');
    return group;
  }

  private checkBatch(events: readonly InputLogEvent[]): void {
    if (events.length === 0) {
      throw invalidParameter(
        "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    }
    if (events.length > MAX_BATCH_EVENTS) {
      throw invalidParameter(`A batch can hold at most ${MAX_BATCH_EVENTS} log events`);
    }
    let bytes = 0;
    events.forEach((event, index) => {
      const size = Buffer.byteLength(event.message);
      if (size > MAX_EVENT_BYTES) throw invalidParameter('Log event too large');
      bytes += size + EVENT_OVERHEAD_BYTES;
      const previous = events[index - 1];
      if (previous !== undefined && event.timestamp < previous.timestamp) {
        throw invalidParameter(
          'Log events in a single PutLogEvents request must be in chronological order.',
        );
      }
    });
    if (bytes > MAX_BATCH_BYTES) throw invalidParameter('Upload too large');
  }

  private store(
    group: LogGroup,
    logStreamName: string,
    stream: LogStream,
    event: InputLogEvent,
    now: number,
  ): void {
    const bytes = Buffer.byteLength(event.message);
    group.events.push({
      logStreamName,
      timestamp: event.timestamp,
      ingestionTime: now,
      message: event.message,
      sequence: group.sequence++,
    });
    group.storedBytes += bytes;
    stream.storedBytes += bytes;
    stream.events++;
    stream.firstEventTimestamp = Math.min(
      stream.firstEventTimestamp ?? event.timestamp,
      event.timestamp,
    );
    stream.lastEventTimestamp = Math.max(
      stream.lastEventTimestamp ?? event.timestamp,
      event.timestamp,
    );
    stream.lastIngestionTime = now;
  }

  private trim(group: LogGroup): void {
    const excess = group.events.length - this.maxEvents;
    if (excess <= 0) return;
    for (const dropped of group.events.splice(0, excess)) {
      const bytes = Buffer.byteLength(dropped.message);
      group.storedBytes -= bytes;
      const stream = group.streams.get(dropped.logStreamName);
      if (stream === undefined) continue;
      stream.storedBytes -= bytes;
      if (--stream.events === 0) group.streams.delete(dropped.logStreamName);
    }
  }
}
