import { IDEMPOTENCY_TABLE } from '@shop/shared';
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export interface IdempotencyTableProps {
  readonly tableName: string;
}

/**
 * The Powertools idempotency records of a service's queue consumer (keys of
 * `IDEMPOTENCY_TABLE`), expiring by TTL.
 *
 * @example
 * ```ts
 * new IdempotencyTable(this, 'IdempotencyTable', { tableName: 'shop-order-idempotency' }).grantRecords(fn);
 * ```
 */
export class IdempotencyTable extends Table {
  constructor(scope: Construct, id: string, props: IdempotencyTableProps) {
    super(scope, id, {
      tableName: props.tableName,
      partitionKey: { name: IDEMPOTENCY_TABLE.partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: IDEMPOTENCY_TABLE.timeToLive,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /** Lets a consumer keep its records: get, put, update and delete one item at a time. */
  grantRecords(grantee: IGrantable): void {
    this.grant(
      grantee,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    );
  }
}
