import { randomUUID } from 'node:crypto';
import { AwsServiceError, validationError } from '../http/awsErrors.js';
import { Archives } from './Archives.js';
import { type Bus, EventBuses } from './EventBuses.js';
import { matchesPattern, parsePattern } from './matchPattern.js';
import { type Input, optionalString, requiredString } from './operationInput.js';
import {
  type Deliver,
  type DeliveredEvent,
  type DeliveryFailure,
  type DeliveryMetrics,
  TargetDelivery,
} from './TargetDelivery.js';

export interface EventBridgeEmulatorProps {
  readonly account: string;
  readonly region: string;
  readonly deliver: Deliver;
  /** A target's retries when its retry policy sets none (EventBridge's is 185). @default 2 */
  readonly defaultMaximumRetryAttempts?: number;
  /**
   * Called for each event a target never took that no dead-letter queue holds.
   * @default logs it with console.error
   */
  readonly onDeliveryFailure?: (failure: DeliveryFailure) => void;
}

/**
 * The size limit of one PutEvents request, its entries' sizes added up (`entrySize`): 1 MiB
 * since EventBridge raised it from 256 KB in January 2026. The API reference says "less than
 * 1MB"; EventBridge accepts exactly 1,048,576 bytes and refuses one byte more.
 */
export const MAX_PUT_EVENTS_BYTES = 1024 * 1024;

/**
 * Size of a PutEvents entry as the EventBridge user guide's "Calculating PutEvents event entry
 * size" counts it: 14 bytes for `Time` if given, and the UTF-8 bytes of `Source`, `DetailType`,
 * `Detail` and each of `Resources`.
 *
 * @example
 * ```ts
 * entrySize({ Source: 'shop.order', DetailType: 'OrderPlaced', Detail: '{}' }); // 23
 * ```
 */
export const entrySize = (entry: {
  readonly Time?: unknown;
  readonly Source?: unknown;
  readonly DetailType?: unknown;
  readonly Detail?: unknown;
  readonly Resources?: unknown;
}): number => {
  const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  const resources: unknown[] = Array.isArray(entry.Resources) ? entry.Resources : [];
  return (
    (entry.Time === undefined || entry.Time === null ? 0 : 14) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    resources.reduce((sum: number, resource) => sum + bytes(resource), 0)
  );
};

type EntryError = { ErrorCode: string; ErrorMessage: string };

const invalidArgument = (ErrorMessage: string): EntryError => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage,
});

const malformedDetail = (): EntryError => ({
  ErrorCode: 'MalformedDetail',
  ErrorMessage: 'Detail is malformed.',
});

/** The fields of a PutEvents entry, or the error EventBridge answers for it. */
const checkEntry = (
  entry: Input,
): { source: string; detailType: string; detail: object } | EntryError => {
  const source = optionalString(entry, 'Source');
  const detailType = optionalString(entry, 'DetailType');
  const detailText = optionalString(entry, 'Detail');
  if (!source)
    return invalidArgument('Parameter Source is not valid. Reason: Source is a required argument.');
  if (!detailType)
    return invalidArgument(
      'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
    );
  if (detailText === undefined)
    return invalidArgument('Parameter Detail is not valid. Reason: Detail is a required argument.');
  let detail: unknown;
  try {
    detail = JSON.parse(detailText);
  } catch {
    return malformedDetail();
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return malformedDetail();
  }
  return { source, detailType, detail };
};

const TEST_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type'];

/**
 * The state and behaviour of EventBridge (Custom Event Bus - Classic) for what the shop uses:
 * buses, rules with event patterns, targets with retry and dead-letter queue, PutEvents and
 * TestEventPattern, archives and replays. Delivery happens after PutEvents answers, like in AWS;
 * an event no target or dead-letter queue took is reported to `onDeliveryFailure` and counted in
 * `metrics()`.
 *
 * @example
 * ```ts
 * const emulator = new EventBridgeEmulator({ account, region, deliver: sqsDelivery(sqs) });
 * emulator.CreateEventBus({ Name: 'shop' });
 * emulator.PutEvents({ Entries: [{ EventBusName: 'shop', Source: 'shop.order', DetailType: 'OrderPlaced', Detail: '{}' }] });
 * await emulator.settled();
 * ```
 */
export class EventBridgeEmulator {
  private readonly buses: EventBuses;
  private readonly archives: Archives;
  private readonly delivery: TargetDelivery;

  constructor(private readonly props: EventBridgeEmulatorProps) {
    const arn = (resource: string) => `arn:aws:events:${props.region}:${props.account}:${resource}`;
    this.buses = new EventBuses(arn);
    this.delivery = new TargetDelivery(props);
    this.archives = new Archives({
      arn,
      buses: this.buses,
      route: (bus, event, onlyRules) => this.route(bus, event, onlyRules),
    });
  }

  CreateEventBus(input: Input) {
    return this.buses.CreateEventBus(input);
  }

  DescribeEventBus(input: Input) {
    return this.buses.DescribeEventBus(input);
  }

  DeleteEventBus(input: Input) {
    return this.buses.DeleteEventBus(input);
  }

  ListEventBuses() {
    return this.buses.ListEventBuses();
  }

  PutRule(input: Input) {
    return this.buses.PutRule(input);
  }

  DescribeRule(input: Input) {
    return this.buses.DescribeRule(input);
  }

  ListRules(input: Input) {
    return this.buses.ListRules(input);
  }

  DeleteRule(input: Input) {
    return this.buses.DeleteRule(input);
  }

  PutTargets(input: Input) {
    return this.buses.PutTargets(input);
  }

  ListTargetsByRule(input: Input) {
    return this.buses.ListTargetsByRule(input);
  }

  RemoveTargets(input: Input) {
    return this.buses.RemoveTargets(input);
  }

  TestEventPattern(input: Input) {
    const parsed = parsePattern(requiredString(input, 'EventPattern'));
    if (!parsed.ok) throw new AwsServiceError('InvalidEventPatternException', parsed.message);
    let event: unknown;
    try {
      event = JSON.parse(requiredString(input, 'Event'));
    } catch (error) {
      if (error instanceof AwsServiceError) throw error;
      throw validationError('Event is not valid JSON.');
    }
    const missing = TEST_EVENT_FIELDS.filter(
      (field) => !(typeof event === 'object' && event !== null && field in event),
    );
    if (missing.length > 0) {
      throw validationError(`Parameter Event is not valid. Missing fields: ${missing.join(', ')}.`);
    }
    return { Result: matchesPattern(parsed.pattern, event) };
  }

  PutEvents(input: Input) {
    const entries = Array.isArray(input['Entries']) ? (input['Entries'] as Input[]) : [];
    if (entries.length < 1 || entries.length > 10) {
      throw validationError(
        "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10",
      );
    }
    if (entries.reduce((sum, entry) => sum + entrySize(entry), 0) > MAX_PUT_EVENTS_BYTES) {
      throw validationError('Total size of the entries in the request is over the limit.');
    }
    const results = entries.map((entry) => this.putEntry(entry));
    return {
      FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
      Entries: results,
    };
  }

  CreateArchive(input: Input) {
    return this.archives.CreateArchive(input);
  }

  DescribeArchive(input: Input) {
    return this.archives.DescribeArchive(input);
  }

  /**
   * Replays the archived events of a time window to the bus they came from (optionally only to
   * some of its rules), adding `replay-name` to each event as EventBridge does.
   */
  StartReplay(input: Input) {
    return this.archives.StartReplay(input);
  }

  DescribeReplay(input: Input) {
    return this.archives.DescribeReplay(input);
  }

  /** Resolves when every delivery started so far has finished (delivered, dead-lettered or dropped). */
  settled(): Promise<void> {
    return this.delivery.settled();
  }

  /** Target delivery counts so far, named after EventBridge's CloudWatch metrics. */
  metrics(): DeliveryMetrics {
    return this.delivery.metrics();
  }

  private putEntry(entry: Input): { EventId: string } | EntryError {
    const checked = checkEntry(entry);
    if ('ErrorCode' in checked) return checked;
    let bus: Bus;
    try {
      bus = this.buses.bus(optionalString(entry, 'EventBusName'));
    } catch (error) {
      return invalidArgument((error as Error).message);
    }
    const time = typeof entry['Time'] === 'number' ? new Date(entry['Time'] * 1000) : new Date();
    const event: DeliveredEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': checked.detailType,
      source: checked.source,
      account: this.props.account,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.props.region,
      resources: Array.isArray(entry['Resources']) ? (entry['Resources'] as string[]) : [],
      detail: checked.detail,
    };
    this.archives.record(bus, event);
    this.route(bus, event);
    return { EventId: event.id };
  }

  private route(bus: Bus, event: DeliveredEvent, onlyRules?: ReadonlySet<string>): void {
    for (const rule of bus.rules.values()) {
      if (onlyRules && !onlyRules.has(rule.arn)) continue;
      if (rule.state !== 'ENABLED' || !matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets.values()) this.delivery.start(rule.arn, target, event);
    }
  }
}
