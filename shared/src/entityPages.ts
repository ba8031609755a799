import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { failure, type InvocationResult } from './invocationResult.js';
import { SERVICE_TABLE, withoutKeys } from './tables.js';
import { entityKey } from './VersionedItemStore.js';

/** A page token that this service did not issue (or that was altered). */
export class InvalidPageTokenError extends Error {
  override readonly name = 'InvalidPageTokenError';
}

export interface EntityPageRequest {
  readonly limit: number;
  readonly nextToken?: string | undefined;
  /** Only entities whose attribute equals this value (applied after the page is read). */
  readonly where?: { readonly attribute: string; readonly equals: string } | undefined;
}

export interface EntityPage<T> {
  readonly items: readonly T[];
  readonly nextToken?: string;
}

const ID = /^[A-Za-z0-9-]{1,128}$/;

/**
 * One page of the entities of one kind in a service table, from the `by-entity` index (never a
 * Scan), in id order. The page token is the id the next page starts after, base64url-encoded.
 *
 * @throws {InvalidPageTokenError} when `nextToken` is not one this function issued.
 * @example
 * ```ts
 * const page = await listEntities<Product>(documents, tableName, 'PRODUCT', { limit: 50 });
 * ```
 */
export const listEntities = async <T>(
  documents: DynamoDBDocumentClient,
  tableName: string,
  entity: string,
  request: EntityPageRequest,
): Promise<EntityPage<T>> => {
  const index = SERVICE_TABLE.byEntityIndex;
  let startAfter: Record<string, string> | undefined;
  if (request.nextToken !== undefined) {
    const id = Buffer.from(request.nextToken, 'base64url').toString();
    if (!ID.test(id))
      throw new InvalidPageTokenError('nextToken is not a token this service issued');
    startAfter = entityKey(entity, id); // The entity's key holds the index's key too.
  }
  const { Items, LastEvaluatedKey } = await documents.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index.indexName,
      KeyConditionExpression: '#entity = :entity',
      ...(request.where && { FilterExpression: '#attribute = :value' }),
      ExpressionAttributeNames: {
        '#entity': index.partitionKey,
        ...(request.where && { '#attribute': request.where.attribute }),
      },
      ExpressionAttributeValues: {
        ':entity': entity,
        ...(request.where && { ':value': request.where.equals }),
      },
      Limit: request.limit,
      ...(startAfter && { ExclusiveStartKey: startAfter }),
    }),
  );
  const last = LastEvaluatedKey?.[SERVICE_TABLE.partitionKey];
  return {
    items: (Items ?? []).map((item) => withoutKeys<T>(item)),
    ...(typeof last === 'string' && {
      nextToken: Buffer.from(last.slice(entity.length + 1)).toString('base64url'),
    }),
  };
};

/**
 * A page as a use case's result: the page `list` reads, or `VALIDATION_FAILED` (400) when its
 * `nextToken` is not one the service issued (forged, altered or mangled, e.g. `!!!`). Every list
 * route, REST or Lattice, answers a bad page token through this, never with a 500.
 *
 * @example
 * ```ts
 * return answerOf(await pageResult(() => dependencies.orders.list({ limit, nextToken })));
 * ```
 */
export const pageResult = async <T>(list: () => Promise<T>): Promise<InvocationResult<T>> => {
  try {
    return { ok: true, value: await list() };
  } catch (error) {
    if (error instanceof InvalidPageTokenError) return failure('VALIDATION_FAILED', error.message);
    throw error;
  }
};
