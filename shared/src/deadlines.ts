import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SERVICE_TABLE } from './tables.js';
import { deadlineKeys, entityKey } from './VersionedItemStore.js';

export interface DuePageRequest {
  /** Entities whose deadline is at or before this moment. */
  readonly now: Date;
  readonly limit: number;
  /** The `after` of the page before. @default the first page */
  readonly after?: string | undefined;
}

export interface DuePage {
  /** The ids of the due entities, soonest deadline first. */
  readonly ids: readonly string[];
  /** Where the next page starts; absent on the last page. */
  readonly after?: string;
}

/** Where a page of the `by-deadline` index ended: the last entity's id and deadline. */
interface Position {
  readonly id: string;
  readonly at: string;
}

const encode = (position: Position): string =>
  Buffer.from(JSON.stringify(position)).toString('base64url');

const decode = (after: string): Position =>
  JSON.parse(Buffer.from(after, 'base64url').toString()) as Position;

/**
 * One page of the entities of one kind whose deadline has come (at or before `now`), soonest
 * first, from the sparse `by-deadline` index (never a Scan): their ids only, since the index is
 * eventually consistent and keeps the keys only. Read each one again before acting on it.
 *
 * @example
 * ```ts
 * const { ids, after } = await dueEntities(documents, tableName, 'ORDER', { now, limit: 25 });
 * ```
 */
export const dueEntities = async (
  documents: DynamoDBDocumentClient,
  tableName: string,
  entity: string,
  request: DuePageRequest,
): Promise<DuePage> => {
  const index = SERVICE_TABLE.byDeadlineIndex;
  const start = request.after === undefined ? undefined : decode(request.after);
  const { Items, LastEvaluatedKey } = await documents.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index.indexName,
      KeyConditionExpression: '#of = :entity AND #at <= :now',
      ExpressionAttributeNames: { '#of': index.partitionKey, '#at': index.sortKey },
      ExpressionAttributeValues: { ':entity': entity, ':now': request.now.toISOString() },
      Limit: request.limit,
      ...(start && {
        ExclusiveStartKey: { ...entityKey(entity, start.id), ...deadlineKeys(entity, start.at) },
      }),
    }),
  );
  const idOf = (item: Record<string, unknown> | undefined) =>
    String(item?.[SERVICE_TABLE.partitionKey]).slice(entity.length + 1);
  const last = LastEvaluatedKey?.[index.sortKey];
  return {
    ids: (Items ?? []).map(idOf),
    ...(typeof last === 'string' && { after: encode({ id: idOf(LastEvaluatedKey), at: last }) }),
  };
};
