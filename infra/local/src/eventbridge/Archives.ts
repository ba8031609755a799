import { AwsServiceError, resourceNotFound, validationError } from '../http/awsErrors.js';
import type { Bus, EventBuses } from './EventBuses.js';
import { type EventPattern, matchesPattern, parsePattern } from './matchPattern.js';
import { type Input, optionalString, requiredString } from './operationInput.js';
import type { DeliveredEvent } from './TargetDelivery.js';

interface Archive {
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  readonly pattern: EventPattern | undefined;
  readonly events: { readonly at: number; readonly event: DeliveredEvent }[];
}

interface Replay {
  readonly name: string;
  readonly arn: string;
  state: 'RUNNING' | 'COMPLETED';
  readonly replayed: number;
}

export interface ArchivesProps {
  /** Turns a resource (`archive/shop`) into its ARN in the emulator's account and region. */
  readonly arn: (resource: string) => string;
  readonly buses: EventBuses;
  /** Sends an event to the matching rules of a bus (only to `onlyRules`, by ARN, when given). */
  readonly route: (bus: Bus, event: DeliveredEvent, onlyRules?: ReadonlySet<string>) => void;
}

const eventPatternOf = (input: Input): EventPattern | undefined => {
  const patternText = optionalString(input, 'EventPattern');
  if (patternText === undefined) return undefined;
  const parsed = parsePattern(patternText);
  if (!parsed.ok) throw new AwsServiceError('InvalidEventPatternException', parsed.message);
  return parsed.pattern;
};

/** The replay window of `StartReplay`, in epoch milliseconds. */
const windowOf = (input: Input): { readonly start: number; readonly end: number } => {
  const start = Number(input['EventStartTime']) * 1000;
  const end = Number(input['EventEndTime']) * 1000;
  if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end) {
    throw validationError('EventStartTime must be before EventEndTime.');
  }
  return { start, end };
};

/**
 * EventBridge's archives (the events put on a bus, optionally filtered by a pattern) and the
 * replays of an archived time window back to its bus.
 *
 * @example
 * ```ts
 * const archives = new Archives({ arn, buses, route });
 * archives.CreateArchive({ ArchiveName: 'shop', EventSourceArn: busArn });
 * archives.record(bus, event);
 * ```
 */
export class Archives {
  private readonly archives = new Map<string, Archive>();
  private readonly replays = new Map<string, Replay>();

  constructor(private readonly props: ArchivesProps) {}

  /** Keeps a put event in every archive of its bus whose pattern it matches. */
  record(bus: Bus, event: DeliveredEvent): void {
    for (const archive of this.archives.values()) {
      if (archive.busName !== bus.name) continue;
      if (archive.pattern && !matchesPattern(archive.pattern, event)) continue;
      archive.events.push({ at: Date.now(), event });
    }
  }

  CreateArchive(input: Input) {
    const name = requiredString(input, 'ArchiveName');
    if (this.archives.has(name)) {
      throw new AwsServiceError(
        'ResourceAlreadyExistsException',
        `Archive ${name} already exists.`,
      );
    }
    const bus = this.props.buses.bus(requiredString(input, 'EventSourceArn'));
    const pattern = eventPatternOf(input);
    const arn = this.props.arn(`archive/${name}`);
    this.archives.set(name, { name, arn, busName: bus.name, pattern, events: [] });
    return { ArchiveArn: arn, State: 'ENABLED' };
  }

  DescribeArchive(input: Input) {
    const archive = this.archives.get(requiredString(input, 'ArchiveName'));
    if (!archive) throw resourceNotFound(`Archive ${String(input['ArchiveName'])} does not exist.`);
    return {
      ArchiveName: archive.name,
      ArchiveArn: archive.arn,
      EventSourceArn: this.props.buses.bus(archive.busName).arn,
      State: 'ENABLED',
      EventCount: archive.events.length,
    };
  }

  /**
   * Replays the archived events of a time window to the bus they came from (optionally only to
   * some of its rules), adding `replay-name` to each event as EventBridge does.
   */
  StartReplay(input: Input) {
    const name = requiredString(input, 'ReplayName');
    const archiveName = requiredString(input, 'EventSourceArn').split('archive/').pop() ?? '';
    const archive = this.archives.get(archiveName);
    if (!archive) throw resourceNotFound(`Archive ${archiveName} does not exist.`);
    const { start, end } = windowOf(input);
    const destination = (input['Destination'] ?? {}) as { Arn?: string; FilterArns?: string[] };
    const bus = this.props.buses.bus(destination.Arn);
    if (bus.name !== archive.busName)
      throw validationError("A replay must go to the archive's own event bus.");
    const onlyRules = destination.FilterArns?.length ? new Set(destination.FilterArns) : undefined;
    const window = archive.events.filter(({ at }) => at >= start && at < end);
    for (const { event } of window)
      this.props.route(bus, { ...event, 'replay-name': name } as DeliveredEvent, onlyRules);
    const arn = this.props.arn(`replay/${name}`);
    this.replays.set(name, { name, arn, state: 'COMPLETED', replayed: window.length });
    return { ReplayArn: arn, State: 'STARTING', StateReason: `Replaying ${window.length} events` };
  }

  DescribeReplay(input: Input) {
    const replay = this.replays.get(requiredString(input, 'ReplayName'));
    if (!replay) throw resourceNotFound(`Replay ${String(input['ReplayName'])} does not exist.`);
    return { ReplayName: replay.name, ReplayArn: replay.arn, State: replay.state };
  }
}
