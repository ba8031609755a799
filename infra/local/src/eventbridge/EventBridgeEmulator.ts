import { randomUUID } from 'node:crypto';
import { AwsServiceError, resourceNotFound, validationError } from '../http/awsErrors.js';
import { type EventPattern, matchesPattern, parsePattern } from './matchPattern.js';

/** An event as EventBridge delivers it to targets. */
export interface DeliveredEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

export interface Target {
  readonly Id: string;
  readonly Arn: string;
  readonly DeadLetterConfig?: { readonly Arn?: string };
  readonly RetryPolicy?: { readonly MaximumRetryAttempts?: number };
}

interface Rule {
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  readonly pattern: EventPattern;
  readonly patternText: string;
  readonly state: 'ENABLED' | 'DISABLED';
  readonly targets: Map<string, Target>;
}

interface Bus {
  readonly name: string;
  readonly arn: string;
  readonly rules: Map<string, Rule>;
}

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

/** Sends an event to a target ARN; throws when the target cannot take it. */
export type Deliver = (
  targetArn: string,
  body: string,
  attributes?: Record<string, string>,
) => Promise<void>;

export interface EventBridgeEmulatorProps {
  readonly account: string;
  readonly region: string;
  readonly deliver: Deliver;
  /** @default 2 */
  readonly defaultMaximumRetryAttempts?: number;
}

/** The per-entry size limit of PutEvents. */
export const MAX_ENTRY_BYTES = 256 * 1024;

type Input = Readonly<Record<string, unknown>>;

const str = (input: Input, key: string): string | undefined =>
  typeof input[key] === 'string' ? (input[key] as string) : undefined;

const required = (input: Input, key: string): string => {
  const value = str(input, key);
  if (value === undefined || value === '') throw validationError(`${key} is required`);
  return value;
};

/** Size of a PutEvents entry as EventBridge counts it. */
export const entrySize = (entry: Input): number => {
  const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  const resources = Array.isArray(entry['Resources']) ? entry['Resources'] : [];
  return (
    (entry['Time'] === undefined ? 0 : 14) +
    bytes(entry['Source']) +
    bytes(entry['DetailType']) +
    bytes(entry['Detail']) +
    resources.reduce((sum: number, resource) => sum + bytes(resource), 0)
  );
};

/**
 * The state and behaviour of EventBridge (Custom Event Bus - Classic) for what the shop uses:
 * buses, rules with event patterns, targets with retry and dead-letter queue, PutEvents and
 * TestEventPattern. Delivery happens after PutEvents answers, like in AWS.
 */
export class EventBridgeEmulator {
  private readonly buses = new Map<string, Bus>();
  private readonly archives = new Map<string, Archive>();
  private readonly replays = new Map<string, Replay>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly props: EventBridgeEmulatorProps) {
    this.createBus('default');
  }

  private arn(resource: string): string {
    return `arn:aws:events:${this.props.region}:${this.props.account}:${resource}`;
  }

  private createBus(name: string): Bus {
    const bus = { name, arn: this.arn(`event-bus/${name}`), rules: new Map<string, Rule>() };
    this.buses.set(name, bus);
    return bus;
  }

  private bus(nameOrArn: string | undefined): Bus {
    const name = (nameOrArn ?? 'default').split('event-bus/').pop() ?? 'default';
    const bus = this.buses.get(name);
    if (!bus) throw resourceNotFound(`Event bus ${name} does not exist.`);
    return bus;
  }

  private rule(input: Input): Rule {
    const bus = this.bus(str(input, 'EventBusName'));
    const name = str(input, 'Rule') ?? str(input, 'Name') ?? '';
    const rule = bus.rules.get(name);
    if (!rule) throw resourceNotFound(`Rule ${name} does not exist on EventBus ${bus.name}.`);
    return rule;
  }

  CreateEventBus(input: Input) {
    const name = required(input, 'Name');
    if (this.buses.has(name)) {
      throw new AwsServiceError(
        'ResourceAlreadyExistsException',
        `Event bus ${name} already exists.`,
      );
    }
    return { EventBusArn: this.createBus(name).arn };
  }

  DescribeEventBus(input: Input) {
    const bus = this.bus(str(input, 'Name'));
    return { Name: bus.name, Arn: bus.arn };
  }

  DeleteEventBus(input: Input) {
    const name = required(input, 'Name');
    if (name === 'default') throw validationError('Cannot delete event bus default.');
    this.buses.delete(name);
    return {};
  }

  ListEventBuses() {
    return {
      EventBuses: [...this.buses.values()].map((bus) => ({ Name: bus.name, Arn: bus.arn })),
    };
  }

  PutRule(input: Input) {
    const bus = this.bus(str(input, 'EventBusName'));
    const name = required(input, 'Name');
    const patternText = required(input, 'EventPattern');
    const parsed = parsePattern(patternText);
    if (!parsed.ok) throw new AwsServiceError('InvalidEventPatternException', parsed.message);
    const state = str(input, 'State') === 'DISABLED' ? 'DISABLED' : 'ENABLED';
    const existing = bus.rules.get(name);
    const arn = this.arn(bus.name === 'default' ? `rule/${name}` : `rule/${bus.name}/${name}`);
    bus.rules.set(name, {
      name,
      arn,
      busName: bus.name,
      pattern: parsed.pattern,
      patternText,
      state,
      targets: existing?.targets ?? new Map(),
    });
    return { RuleArn: arn };
  }

  DescribeRule(input: Input) {
    const rule = this.rule(input);
    return {
      Name: rule.name,
      Arn: rule.arn,
      EventBusName: rule.busName,
      EventPattern: rule.patternText,
      State: rule.state,
    };
  }

  ListRules(input: Input) {
    const bus = this.bus(str(input, 'EventBusName'));
    const prefix = str(input, 'NamePrefix') ?? '';
    return {
      Rules: [...bus.rules.values()]
        .filter((rule) => rule.name.startsWith(prefix))
        .map((rule) => ({
          Name: rule.name,
          Arn: rule.arn,
          EventBusName: rule.busName,
          EventPattern: rule.patternText,
          State: rule.state,
        })),
    };
  }

  DeleteRule(input: Input) {
    const rule = this.rule({ ...input, Rule: input['Name'] });
    if (rule.targets.size > 0) throw validationError("Rule can't be deleted since it has targets.");
    this.bus(rule.busName).rules.delete(rule.name);
    return {};
  }

  PutTargets(input: Input) {
    const rule = this.rule(input);
    const targets = Array.isArray(input['Targets']) ? (input['Targets'] as Target[]) : [];
    for (const target of targets) rule.targets.set(target.Id, target);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  ListTargetsByRule(input: Input) {
    return { Targets: [...this.rule(input).targets.values()] };
  }

  RemoveTargets(input: Input) {
    const rule = this.rule(input);
    const ids = Array.isArray(input['Ids']) ? (input['Ids'] as string[]) : [];
    for (const id of ids) rule.targets.delete(id);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  TestEventPattern(input: Input) {
    const parsed = parsePattern(required(input, 'EventPattern'));
    if (!parsed.ok) throw new AwsServiceError('InvalidEventPatternException', parsed.message);
    let event: unknown;
    try {
      event = JSON.parse(required(input, 'Event'));
    } catch (error) {
      if (error instanceof AwsServiceError) throw error;
      throw validationError('Event is not valid JSON.');
    }
    const fields = ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type'];
    const missing = fields.filter(
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
    const results = entries.map((entry) => this.putEntry(entry));
    return {
      FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
      Entries: results,
    };
  }

  private putEntry(
    entry: Input,
  ): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    const source = str(entry, 'Source');
    const detailType = str(entry, 'DetailType');
    const detailText = str(entry, 'Detail');
    if (!source)
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      };
    if (!detailType)
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage:
          'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      };
    if (detailText === undefined)
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
      };
    if (entrySize(entry) > MAX_ENTRY_BYTES)
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage:
          'Parameter Entries is not valid. Reason: Event size exceeds the 256 KB limit.',
      };
    let detail: unknown;
    try {
      detail = JSON.parse(detailText);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    let bus: Bus;
    try {
      bus = this.bus(str(entry, 'EventBusName'));
    } catch (error) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: (error as Error).message };
    }
    const time = typeof entry['Time'] === 'number' ? new Date(entry['Time'] * 1000) : new Date();
    const event: DeliveredEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source,
      account: this.props.account,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.props.region,
      resources: Array.isArray(entry['Resources']) ? (entry['Resources'] as string[]) : [],
      detail,
    };
    this.archive(bus, event);
    this.route(bus, event);
    return { EventId: event.id };
  }

  private archive(bus: Bus, event: DeliveredEvent): void {
    for (const archive of this.archives.values()) {
      if (archive.busName !== bus.name) continue;
      if (archive.pattern && !matchesPattern(archive.pattern, event)) continue;
      archive.events.push({ at: Date.now(), event });
    }
  }

  private route(bus: Bus, event: DeliveredEvent, onlyRules?: ReadonlySet<string>): void {
    for (const rule of bus.rules.values()) {
      if (onlyRules && !onlyRules.has(rule.arn)) continue;
      if (rule.state !== 'ENABLED' || !matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets.values()) {
        const delivery = this.deliverWithRetry(rule, target, event);
        this.pending.add(delivery);
        void delivery.finally(() => this.pending.delete(delivery));
      }
    }
  }

  private async deliverWithRetry(rule: Rule, target: Target, event: DeliveredEvent): Promise<void> {
    const body = JSON.stringify(event);
    const attempts =
      1 + (target.RetryPolicy?.MaximumRetryAttempts ?? this.props.defaultMaximumRetryAttempts ?? 2);
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await this.props.deliver(target.Arn, body);
        return;
      } catch (error) {
        lastError = error;
      }
    }
    const dlq = target.DeadLetterConfig?.Arn;
    if (dlq === undefined) return;
    const error = lastError instanceof Error ? lastError : new Error(String(lastError));
    await this.props
      .deliver(dlq, body, {
        RULE_ARN: rule.arn,
        TARGET_ARN: target.Arn,
        ERROR_CODE: error.name,
        ERROR_MESSAGE: error.message.slice(0, 256),
      })
      .catch(() => undefined);
  }

  CreateArchive(input: Input) {
    const name = required(input, 'ArchiveName');
    if (this.archives.has(name)) {
      throw new AwsServiceError(
        'ResourceAlreadyExistsException',
        `Archive ${name} already exists.`,
      );
    }
    const bus = this.bus(required(input, 'EventSourceArn'));
    const patternText = str(input, 'EventPattern');
    let pattern: EventPattern | undefined;
    if (patternText !== undefined) {
      const parsed = parsePattern(patternText);
      if (!parsed.ok) throw new AwsServiceError('InvalidEventPatternException', parsed.message);
      pattern = parsed.pattern;
    }
    const arn = this.arn(`archive/${name}`);
    this.archives.set(name, { name, arn, busName: bus.name, pattern, events: [] });
    return { ArchiveArn: arn, State: 'ENABLED' };
  }

  DescribeArchive(input: Input) {
    const archive = this.archives.get(required(input, 'ArchiveName'));
    if (!archive) throw resourceNotFound(`Archive ${String(input['ArchiveName'])} does not exist.`);
    return {
      ArchiveName: archive.name,
      ArchiveArn: archive.arn,
      EventSourceArn: this.bus(archive.busName).arn,
      State: 'ENABLED',
      EventCount: archive.events.length,
    };
  }

  /**
   * Replays the archived events of a time window to the bus they came from (optionally only to
   * some of its rules), adding `replay-name` to each event as EventBridge does.
   */
  StartReplay(input: Input) {
    const name = required(input, 'ReplayName');
    const archiveName = required(input, 'EventSourceArn').split('archive/').pop() ?? '';
    const archive = this.archives.get(archiveName);
    if (!archive) throw resourceNotFound(`Archive ${archiveName} does not exist.`);
    const start = Number(input['EventStartTime']) * 1000;
    const end = Number(input['EventEndTime']) * 1000;
    if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end) {
      throw validationError('EventStartTime must be before EventEndTime.');
    }
    const destination = (input['Destination'] ?? {}) as { Arn?: string; FilterArns?: string[] };
    const bus = this.bus(destination.Arn);
    if (bus.name !== archive.busName)
      throw validationError("A replay must go to the archive's own event bus.");
    const onlyRules = destination.FilterArns?.length ? new Set(destination.FilterArns) : undefined;
    const window = archive.events.filter(({ at }) => at >= start && at < end);
    for (const { event } of window)
      this.route(bus, { ...event, 'replay-name': name } as DeliveredEvent, onlyRules);
    const arn = this.arn(`replay/${name}`);
    this.replays.set(name, { name, arn, state: 'COMPLETED', replayed: window.length });
    return { ReplayArn: arn, State: 'STARTING', StateReason: `Replaying ${window.length} events` };
  }

  DescribeReplay(input: Input) {
    const replay = this.replays.get(required(input, 'ReplayName'));
    if (!replay) throw resourceNotFound(`Replay ${String(input['ReplayName'])} does not exist.`);
    return { ReplayName: replay.name, ReplayArn: replay.arn, State: replay.state };
  }

  /** Resolves when every delivery started so far has finished (delivered or dead-lettered). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
