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

const QueueInputSchema = z.union([
  z.looseObject({ QueueUrl: z.url() }),
  z.looseObject({ QueueName: z.string().min(1) }),
]);
/** A Query-protocol field: present once. */
const field = z.tuple([z.string()]).transform(([value]) => value);
const QueryInputSchema = z.looseObject({
  Action: field,
  QueueUrl: field.optional(),
  QueueName: field.optional(),
});

/** Batch operations are authorized as their single-message action: there is no `sqs:*Batch`. */
const ACTION_OF: Readonly<Record<string, string>> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};
const UNSCOPED = new Set(['ListQueues']);

/** The queue's ARN in the endpoint's account and region; the name is the URL's last segment. */
const queueArn = (scope: Scope, input: { QueueUrl?: string; QueueName?: string }): string => {
  const name =
    input.QueueUrl === undefined
      ? String(input.QueueName)
      : decodeURIComponent(
          new URL(input.QueueUrl).pathname.split('/').filter(Boolean).at(-1) ?? '',
        );
  return `arn:aws:sqs:${scope.region}:${scope.account}:${name}`;
};

const derive = (operation: string, body: unknown, scope: Scope): Derivation => {
  const action = `sqs:${ACTION_OF[operation] ?? operation}`;
  if (UNSCOPED.has(operation)) return authorizedOn(operation, action, '*');
  const input = parseInput(QueueInputSchema, body);
  if (!input.success) return unreadable('Validation', input.message);
  return authorized(operation, [{ action, resource: queueArn(scope, input.data), context: {} }]);
};

/**
 * The authorization AWS makes for an SQS call, in the JSON protocol (`X-Amz-Target:
 * AmazonSQS.SendMessage`, `QueueUrl` in the body) or the Query protocol
 * (`Action=SendMessage&QueueUrl=...`, each field at most once): `sqs:<Action>` on
 * `arn:aws:sqs:<region>:<account>:<queue name>`; the batch operations as their single-message
 * action; `*` for ListQueues.
 *
 * @example
 * ```ts
 * sqsRequests(call, scope).requests;
 * // [{ action: 'sqs:SendMessage', resource: 'arn:aws:sqs:eu-west-1:000000000000:orders', context: {} }]
 * ```
 */
export const sqsRequests = (call: ApiCall, scope: Scope): Derivation => {
  const jsonOperation = targetOperation(call, 'AmazonSQS');
  if (jsonOperation !== undefined) return derive(jsonOperation, call.body, scope);
  if (call.headers['x-amz-target'] !== undefined) {
    return unknownOperation(call);
  }
  const query = parseInput(QueryInputSchema, call.body);
  if (!query.success) return unreadable('Validation', query.message);
  return derive(query.data.Action, query.data, scope);
};
