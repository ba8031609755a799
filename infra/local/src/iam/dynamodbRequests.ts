import * as z from 'zod';
import {
  type ApiCall,
  authorized,
  authorizedOn,
  type Derivation,
  type IamRequest,
  parseInput,
  type Scope,
  targetOperation,
  unknownOperation,
  unreadable,
} from './iamRequest.js';

const TableInputSchema = z.looseObject({
  TableName: z.string().min(1),
  IndexName: z.string().min(1).optional(),
});
const ResourceArnInputSchema = z.looseObject({ ResourceArn: z.string().startsWith('arn:') });
const RequestItemsInputSchema = z.looseObject({ RequestItems: z.record(z.string(), z.unknown()) });
const TransactItemsInputSchema = z.looseObject({
  TransactItems: z.array(z.record(z.string(), z.looseObject({ TableName: z.string().min(1) }))),
});
const StreamInputSchema = z.looseObject({ StreamArn: z.string().min(1) });
const IteratorInputSchema = z.looseObject({ ShardIterator: z.string().min(1) });

/** Operations whose resource is `*` in the Service Authorization Reference. */
const UNSCOPED = new Set([
  'ListTables',
  'DescribeLimits',
  'DescribeEndpoints',
  'ListBackups',
  'ListGlobalTables',
  'ListStreams',
  'ListImports',
  'ListExports',
]);
/** What each item kind of `TransactWriteItems` is authorized as: there is no TransactWriteItems action. */
const TRANSACT_WRITE_ACTIONS: Readonly<Record<string, string>> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};
const STREAM_ARN = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)\/stream\/([^/|]+)$/;

/** A table named by name or ARN, in the endpoint's account and region. */
const tableArn = (scope: Scope, table: string): string =>
  table.startsWith('arn:')
    ? table
    : `arn:aws:dynamodb:${scope.region}:${scope.account}:table/${table}`;

/**
 * A stream ARN in the endpoint's account and region: DynamoDB Local names its streams in region
 * `ddblocal`, account `000000000000`, so only the table and the stream label are kept.
 */
const streamArn = (scope: Scope, arn: string): string | undefined => {
  const parsed = STREAM_ARN.exec(arn);
  return parsed === null ? undefined : `${tableArn(scope, String(parsed[1]))}/stream/${parsed[2]}`;
};

const one = (operation: string, resource: string): Derivation =>
  authorizedOn(operation, `dynamodb:${operation}`, resource);

const perTable = (operation: string, call: ApiCall, scope: Scope): Derivation => {
  const input = parseInput(RequestItemsInputSchema, call.body);
  if (!input.success) return unreadable('Validation', input.message);
  return authorized(
    operation,
    Object.keys(input.data.RequestItems).map((table) => ({
      action: `dynamodb:${operation}`,
      resource: tableArn(scope, table),
      context: {},
    })),
  );
};

const transact = (operation: string, call: ApiCall, scope: Scope): Derivation => {
  const input = parseInput(TransactItemsInputSchema, call.body);
  if (!input.success) return unreadable('Validation', input.message);
  const requests: IamRequest[] = [];
  for (const item of input.data.TransactItems) {
    for (const [kind, target] of Object.entries(item)) {
      const action =
        operation === 'TransactGetItems'
          ? kind === 'Get' && 'dynamodb:GetItem'
          : TRANSACT_WRITE_ACTIONS[kind];
      if (!action) return unreadable('Validation', `Unknown transaction item ${kind}`);
      requests.push({ action, resource: tableArn(scope, target.TableName), context: {} });
    }
  }
  return authorized(operation, requests);
};

const streamOperation = (operation: string, call: ApiCall, scope: Scope): Derivation => {
  if (UNSCOPED.has(operation)) return one(operation, '*');
  // Either field names the stream; neither is an error reported below, so no message is built here.
  const byArn = StreamInputSchema.safeParse(call.body ?? {});
  const byIterator = byArn.success ? undefined : IteratorInputSchema.safeParse(call.body ?? {});
  const arn = byArn.success
    ? byArn.data.StreamArn
    : byIterator?.success
      ? byIterator.data.ShardIterator.split('|')[0]
      : undefined;
  const resource = arn === undefined ? undefined : streamArn(scope, arn);
  return resource === undefined
    ? unreadable('Validation', `${operation} needs a StreamArn or a ShardIterator of a stream`)
    : one(operation, resource);
};

const tableOperation = (operation: string, call: ApiCall, scope: Scope): Derivation => {
  if (UNSCOPED.has(operation)) return one(operation, '*');
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    return perTable(operation, call, scope);
  }
  if (operation === 'TransactGetItems' || operation === 'TransactWriteItems') {
    return transact(operation, call, scope);
  }
  // Most calls name a table, not a resource ARN: trying the ARN first must cost no error message.
  const byArn = ResourceArnInputSchema.safeParse(call.body ?? {});
  if (byArn.success) return one(operation, byArn.data.ResourceArn);
  const input = parseInput(TableInputSchema, call.body);
  if (!input.success) return unreadable('Validation', input.message);
  const table = tableArn(scope, input.data.TableName);
  const index = input.data.IndexName;
  const onIndex = index !== undefined && (operation === 'Query' || operation === 'Scan');
  return one(operation, onIndex ? `${table}/index/${index}` : table);
};

/**
 * The authorizations AWS makes for a DynamoDB or DynamoDB Streams call (JSON 1.0 protocol):
 * `dynamodb:<Operation>` on the table, or on `table/<t>/index/<i>` for a Query or Scan of an
 * index; one per table for BatchGetItem / BatchWriteItem; `GetItem` per table for
 * TransactGetItems and `PutItem`/`UpdateItem`/`DeleteItem`/`ConditionCheckItem` per item kind
 * and table for TransactWriteItems (there are no Transact* actions); the stream ARN for
 * DescribeStream / GetShardIterator / GetRecords (read from the shard iterator); `*` for
 * ListTables and ListStreams.
 *
 * @example
 * ```ts
 * dynamodbRequests(call, { region: 'eu-west-1', account: '000000000000' });
 * // { ok: true, operation: 'GetItem', requests: [{ action: 'dynamodb:GetItem', resource: 'arn:aws:dynamodb:eu-west-1:000000000000:table/orders', context: {} }], unauthenticated: false }
 * ```
 */
export const dynamodbRequests = (call: ApiCall, scope: Scope): Derivation => {
  const tableCall = targetOperation(call, 'DynamoDB_20120810');
  if (tableCall !== undefined) return tableOperation(tableCall, call, scope);
  const streamCall = targetOperation(call, 'DynamoDBStreams_20120810');
  if (streamCall !== undefined) return streamOperation(streamCall, call, scope);
  return unknownOperation(call);
};
