import {
  CreateTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { IDEMPOTENCY_TABLE, SERVICE_TABLE } from '@shop/shared';
import type { ServiceTables } from '@shop/topology';

/** A created service table and the ARN of its stream. */
export interface CreatedServiceTables extends ServiceTables {
  readonly streamArn: string;
}

/**
 * Creates each service's tables as its CDK stack does: the service table (pk/sk, on-demand, a
 * stream of new images for the outbox relay, TTL on `expiresAt`, the by-entity and by-deadline
 * indexes) and its idempotency table (`id`, TTL on `expiration`).
 */
export const createServiceTables = async (
  dynamodb: DynamoDBClient,
  tables: readonly ServiceTables[],
): Promise<CreatedServiceTables[]> => {
  const created: CreatedServiceTables[] = [];
  for (const table of tables) {
    const { TableDescription } = await dynamodb.send(
      new CreateTableCommand({
        TableName: table.tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: SERVICE_TABLE.partitionKey, AttributeType: 'S' },
          { AttributeName: SERVICE_TABLE.sortKey, AttributeType: 'S' },
          { AttributeName: SERVICE_TABLE.byDeadlineIndex.partitionKey, AttributeType: 'S' },
          { AttributeName: SERVICE_TABLE.byDeadlineIndex.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: SERVICE_TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: SERVICE_TABLE.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: SERVICE_TABLE.byEntityIndex.indexName,
            KeySchema: [
              { AttributeName: SERVICE_TABLE.byEntityIndex.partitionKey, KeyType: 'HASH' },
              { AttributeName: SERVICE_TABLE.byEntityIndex.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: SERVICE_TABLE.byDeadlineIndex.indexName,
            KeySchema: [
              { AttributeName: SERVICE_TABLE.byDeadlineIndex.partitionKey, KeyType: 'HASH' },
              { AttributeName: SERVICE_TABLE.byDeadlineIndex.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    await dynamodb.send(
      new CreateTableCommand({
        TableName: table.idempotencyTableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: IDEMPOTENCY_TABLE.partitionKey, AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE.partitionKey, KeyType: 'HASH' }],
      }),
    );
    for (const [TableName, AttributeName] of [
      [table.tableName, SERVICE_TABLE.timeToLive],
      [table.idempotencyTableName, IDEMPOTENCY_TABLE.timeToLive],
    ] as const) {
      await dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName,
          TimeToLiveSpecification: { Enabled: true, AttributeName },
        }),
      );
    }
    created.push({ ...table, streamArn: String(TableDescription?.LatestStreamArn) });
  }
  return created;
};
