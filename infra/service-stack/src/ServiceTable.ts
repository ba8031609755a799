import type { TableAccess } from '@shop/contracts';
import { SERVICE_TABLE } from '@shop/shared';
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export interface ServiceTableProps {
  readonly tableName: string;
}

const ACTIONS: Readonly<Record<'read' | 'write', readonly string[]>> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
};

/**
 * A service's table: its state and its outbox (keys of `SERVICE_TABLE`), a stream of new images
 * for the outbox relay, point-in-time recovery, retained when the stack is deleted, the
 * by-entity index for pages of one kind of item, and the sparse by-deadline index (keys only) of
 * the items that have a deadline.
 *
 * @example
 * ```ts
 * const table = new ServiceTable(this, 'Table', { tableName: 'shop-order' });
 * table.grantAccess(fn, 'read');
 * ```
 */
export class ServiceTable extends Table {
  constructor(scope: Construct, id: string, props: ServiceTableProps) {
    super(scope, id, {
      tableName: props.tableName,
      partitionKey: { name: SERVICE_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: SERVICE_TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: StreamViewType.NEW_IMAGE,
      timeToLiveAttribute: SERVICE_TABLE.timeToLive,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.addGlobalSecondaryIndex({
      indexName: SERVICE_TABLE.byEntityIndex.indexName,
      partitionKey: { name: SERVICE_TABLE.byEntityIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: SERVICE_TABLE.byEntityIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    this.addGlobalSecondaryIndex({
      indexName: SERVICE_TABLE.byDeadlineIndex.indexName,
      partitionKey: {
        name: SERVICE_TABLE.byDeadlineIndex.partitionKey,
        type: AttributeType.STRING,
      },
      sortKey: { name: SERVICE_TABLE.byDeadlineIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
  }

  /**
   * Lets a function read items (`GetItem`, `BatchGetItem`) and pages of one kind of item
   * (`Query` on the by-entity index, the only query the services make), write items
   * (`PutItem`, `UpdateItem`), or both; never scan, delete or change the table.
   */
  grantAccess(grantee: IGrantable, access: TableAccess): void {
    const actions = access === 'read-write' ? [...ACTIONS.read, ...ACTIONS.write] : ACTIONS[access];
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'OwnTable', actions: [...actions], resources: [this.tableArn] }),
    );
    if (access === 'write') return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'OwnTablePages',
        actions: ['dynamodb:Query'],
        resources: [`${this.tableArn}/index/${SERVICE_TABLE.byEntityIndex.indexName}`],
      }),
    );
  }

  /** Lets a function read pages of the items whose deadline has come (`Query` on by-deadline). */
  grantDeadlines(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'OwnTableDeadlines',
        actions: ['dynamodb:Query'],
        resources: [`${this.tableArn}/index/${SERVICE_TABLE.byDeadlineIndex.indexName}`],
      }),
    );
  }
}
