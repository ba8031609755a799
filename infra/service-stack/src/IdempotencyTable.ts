import { IDEMPOTENCY_TABLE } from '@shop/shared';
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export interface IdempotencyTableProps {
  readonly tableName: string;
}

/**
 * The Powertools idempotency records of a service (keys of `IDEMPOTENCY_TABLE`), expiring by TTL:
 * its queue consumer's, one per event id, and its API's, one per client's `Idempotency-Key`.
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

  /**
   * Lets a function keep its records: get, put, update and delete one item at a time (the
   * permissions Powertools' idempotency documents).
   */
  grantRecords(grantee: IGrantable): void {
    // unused-grant * dynamodb:GetItem *-idempotency: Powertools reads a record only when the
    // conditional put of its claim fails without returning the record it found, and DynamoDB
    // returns it (ReturnValuesOnConditionCheckFailure).
    // sometimes-used-grant * dynamodb:DeleteItem *-idempotency: Powertools deletes its
    // in-progress record when a handler throws, so that the retry runs it again; whether a run
    // meets a handler that throws depends on timing (a lost race, a charge left unsettled, a
    // query that times out while an order is placed with an Idempotency-Key).
    this.grant(
      grantee,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    );
  }
}
