import * as z from 'zod';
import {
  type ApiCall,
  authorizedOn,
  type Derivation,
  parseInput,
  type Scope,
  targetOperation,
  unknownOperation,
  unreadable,
} from './iamRequest.js';

const GroupInputSchema = z.looseObject({
  logGroupName: z.string().min(1).optional(),
  logGroupIdentifier: z.string().min(1).optional(),
  logStreamName: z.string().min(1).optional(),
});

/** Operations on one log stream: authorized on the stream's ARN. */
const STREAM_OPERATIONS = new Set(['PutLogEvents', 'GetLogEvents']);
/** Operations on no one log group: authorized on every group of the account. */
const ACCOUNT_OPERATIONS = new Set(['DescribeLogGroups']);

/** The group's name, from its name or its ARN (`…:log-group:<name>` with or without `:*`). */
const groupName = (identifier: string): string =>
  /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(:\*)?$/.exec(identifier)?.[1] ?? identifier;

/**
 * The authorization AWS makes for a CloudWatch Logs call (JSON 1.1 protocol, `Logs_20140328`):
 * `logs:<Operation>` on the log group's ARN as IAM policies name it,
 * `arn:aws:logs:<region>:<account>:log-group:<name>:*`; PutLogEvents and GetLogEvents on the
 * stream, `…:log-group:<name>:log-stream:<stream>` (which `log-group:<name>:*` covers);
 * DescribeLogGroups on `…:log-group:*`.
 *
 * @example
 * ```ts
 * logsRequests(call, scope).requests;
 * // [{ action: 'logs:FilterLogEvents', resource: 'arn:aws:logs:eu-west-1:000000000000:log-group:/aws/events/shop-audit:*', context: {} }]
 * ```
 */
export const logsRequests = (call: ApiCall, scope: Scope): Derivation => {
  const operation = targetOperation(call, 'Logs_20140328');
  if (operation === undefined) return unknownOperation(call);
  const action = `logs:${operation}`;
  const groups = `arn:aws:logs:${scope.region}:${scope.account}:log-group:`;
  if (ACCOUNT_OPERATIONS.has(operation)) return authorizedOn(operation, action, `${groups}*`);
  const input = parseInput(GroupInputSchema, call.body);
  if (!input.success) return unreadable('Validation', input.message);
  const identifier = input.data.logGroupName ?? input.data.logGroupIdentifier;
  if (identifier === undefined) return unreadable('Validation', `${operation} needs a log group`);
  const group = `${groups}${groupName(identifier)}`;
  const stream = input.data.logStreamName;
  if (STREAM_OPERATIONS.has(operation) && stream !== undefined) {
    return authorizedOn(operation, action, `${group}:log-stream:${stream}`);
  }
  return authorizedOn(operation, action, `${group}:*`);
};
