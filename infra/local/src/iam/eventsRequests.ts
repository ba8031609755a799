import * as z from 'zod';
import {
  type ApiCall,
  authorized,
  authorizedOn,
  type Derivation,
  parseInput,
  type Scope,
  targetOperation,
  unknownOperation,
  unreadable,
} from './iamRequest.js';

const PutEventsInputSchema = z.looseObject({
  Entries: z
    .array(
      z.looseObject({
        Source: z.string().optional(),
        DetailType: z.string().optional(),
        EventBusName: z.string().min(1).optional(),
      }),
    )
    .min(1),
});
const RuleInputSchema = z.looseObject({
  Name: z.string().min(1).optional(),
  Rule: z.string().min(1).optional(),
  EventBusName: z.string().min(1).optional(),
});
const NamedInputSchema = z.looseObject({
  Name: z.string().min(1).optional(),
  EventBusName: z.string().min(1).optional(),
  ArchiveName: z.string().min(1).optional(),
  ReplayName: z.string().min(1).optional(),
});

const RULE_OPERATIONS = new Set([
  'PutRule',
  'DeleteRule',
  'DescribeRule',
  'EnableRule',
  'DisableRule',
  'PutTargets',
  'RemoveTargets',
  'ListTargetsByRule',
]);
const UNSCOPED = new Set([
  'ListEventBuses',
  'ListRules',
  'ListArchives',
  'ListReplays',
  'TestEventPattern',
  'ListRuleNamesByTarget',
]);

const arnOf = (scope: Scope, kind: string, name: string): string =>
  name.startsWith('arn:')
    ? name
    : `arn:aws:events:${scope.region}:${scope.account}:${kind}/${name}`;

/** A bus named by name or ARN; `default` when not named. */
const busArn = (scope: Scope, name = 'default'): string => arnOf(scope, 'event-bus', name);

/** `rule/<name>` on the default bus, `rule/<bus>/<name>` on a custom one. */
const ruleArn = (scope: Scope, rule: string, bus = 'default'): string => {
  const busName = bus.startsWith('arn:') ? bus.slice(bus.lastIndexOf('/') + 1) : bus;
  return arnOf(scope, 'rule', busName === 'default' ? rule : `${busName}/${rule}`);
};

const putEvents = (call: ApiCall, scope: Scope): Derivation => {
  const input = parseInput(PutEventsInputSchema, call.body);
  if (!input.success) return unreadable('Validation', input.message);
  return authorized(
    'PutEvents',
    input.data.Entries.map((entry) => ({
      action: 'events:PutEvents',
      resource: busArn(scope, entry.EventBusName),
      context: {
        // Both keys are multi-valued (ArrayOfString) in the Service Authorization Reference.
        ...(entry.Source !== undefined && { 'events:source': [entry.Source] }),
        ...(entry.DetailType !== undefined && { 'events:detail-type': [entry.DetailType] }),
      },
    })),
  );
};

/** The resource of an operation other than PutEvents, or why it cannot be named. */
const resourceOf = (operation: string, body: unknown, scope: Scope): string | Error => {
  if (UNSCOPED.has(operation)) return '*';
  if (RULE_OPERATIONS.has(operation)) {
    const input = parseInput(RuleInputSchema, body);
    const rule = input.success ? (input.data.Name ?? input.data.Rule) : undefined;
    if (!input.success || rule === undefined) return new Error(`${operation} needs a rule name`);
    return ruleArn(scope, rule, input.data.EventBusName);
  }
  const input = parseInput(NamedInputSchema, body);
  if (!input.success) return new Error(input.message);
  const { ArchiveName, ReplayName, Name, EventBusName } = input.data;
  if (ArchiveName !== undefined) return arnOf(scope, 'archive', ArchiveName);
  if (ReplayName !== undefined) return arnOf(scope, 'replay', ReplayName);
  if (operation.endsWith('EventBus')) return busArn(scope, Name);
  return busArn(scope, EventBusName);
};

/**
 * The authorizations AWS makes for an EventBridge call (JSON 1.1 protocol). PutEvents is
 * authorized per entry, as AWS does: `events:PutEvents` on the entry's bus (by name or ARN,
 * `default` when absent) with the entry's `events:source` and `events:detail-type`; rule
 * operations on `rule/[<bus>/]<name>`; bus, archive and replay operations on their ARN; the
 * List operations on `*`.
 *
 * @example
 * ```ts
 * eventsRequests(call, scope).requests;
 * // [{ action: 'events:PutEvents', resource: 'arn:aws:events:eu-west-1:000000000000:event-bus/shop',
 * //    context: { 'events:source': ['shop.order'], 'events:detail-type': ['OrderPlaced'] } }]
 * ```
 */
export const eventsRequests = (call: ApiCall, scope: Scope): Derivation => {
  const operation = targetOperation(call, 'AWSEvents');
  if (operation === undefined) {
    return unknownOperation(call);
  }
  if (operation === 'PutEvents') return putEvents(call, scope);
  const resource = resourceOf(operation, call.body, scope);
  if (resource instanceof Error) return unreadable('Validation', resource.message);
  return authorizedOn(operation, `events:${operation}`, resource);
};
