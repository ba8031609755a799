import { AwsServiceError, resourceNotFound, validationError } from '../http/awsErrors.js';
import { type EventPattern, parsePattern } from './matchPattern.js';
import { type Input, optionalString, requiredString } from './operationInput.js';
import type { Target } from './TargetDelivery.js';

/** A rule on a bus: its event pattern, whether it is enabled, and its targets by id. */
export interface Rule {
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  readonly pattern: EventPattern;
  readonly patternText: string;
  readonly state: 'ENABLED' | 'DISABLED';
  readonly targets: Map<string, Target>;
}

/** An event bus and its rules by name. */
export interface Bus {
  readonly name: string;
  readonly arn: string;
  readonly rules: Map<string, Rule>;
}

const describeRule = (rule: Rule) => ({
  Name: rule.name,
  Arn: rule.arn,
  EventBusName: rule.busName,
  EventPattern: rule.patternText,
  State: rule.state,
});

/**
 * EventBridge's buses, the rules on each bus and the targets of each rule, with the operations
 * that manage them. The `default` bus always exists.
 *
 * @example
 * ```ts
 * const buses = new EventBuses((resource) => `arn:aws:events:${region}:${account}:${resource}`);
 * buses.CreateEventBus({ Name: 'shop' });
 * buses.PutRule({ EventBusName: 'shop', Name: 'orders', EventPattern: '{"source":["shop.order"]}' });
 * ```
 */
export class EventBuses {
  private readonly buses = new Map<string, Bus>();

  /** `arn` turns a resource (`event-bus/shop`) into its ARN in the emulator's account and region. */
  constructor(private readonly arn: (resource: string) => string) {
    this.createBus('default');
  }

  /** The bus of a name or ARN (the `default` bus when undefined). */
  bus(nameOrArn: string | undefined): Bus {
    const name = (nameOrArn ?? 'default').split('event-bus/').pop() ?? 'default';
    const bus = this.buses.get(name);
    if (!bus) throw resourceNotFound(`Event bus ${name} does not exist.`);
    return bus;
  }

  CreateEventBus(input: Input) {
    const name = requiredString(input, 'Name');
    if (this.buses.has(name)) {
      throw new AwsServiceError(
        'ResourceAlreadyExistsException',
        `Event bus ${name} already exists.`,
      );
    }
    return { EventBusArn: this.createBus(name).arn };
  }

  DescribeEventBus(input: Input) {
    const bus = this.bus(optionalString(input, 'Name'));
    return { Name: bus.name, Arn: bus.arn };
  }

  DeleteEventBus(input: Input) {
    const name = requiredString(input, 'Name');
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
    const bus = this.bus(optionalString(input, 'EventBusName'));
    const name = requiredString(input, 'Name');
    const patternText = requiredString(input, 'EventPattern');
    const parsed = parsePattern(patternText);
    if (!parsed.ok) throw new AwsServiceError('InvalidEventPatternException', parsed.message);
    const state = optionalString(input, 'State') === 'DISABLED' ? 'DISABLED' : 'ENABLED';
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
    return describeRule(this.rule(input));
  }

  ListRules(input: Input) {
    const bus = this.bus(optionalString(input, 'EventBusName'));
    const prefix = optionalString(input, 'NamePrefix') ?? '';
    return {
      Rules: [...bus.rules.values()]
        .filter((rule) => rule.name.startsWith(prefix))
        .map(describeRule),
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

  private createBus(name: string): Bus {
    const bus = { name, arn: this.arn(`event-bus/${name}`), rules: new Map<string, Rule>() };
    this.buses.set(name, bus);
    return bus;
  }

  private rule(input: Input): Rule {
    const bus = this.bus(optionalString(input, 'EventBusName'));
    const name = optionalString(input, 'Rule') ?? optionalString(input, 'Name') ?? '';
    const rule = bus.rules.get(name);
    if (!rule) throw resourceNotFound(`Rule ${name} does not exist on EventBus ${bus.name}.`);
    return rule;
  }
}
