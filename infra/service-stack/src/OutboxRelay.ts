import { eventSource } from '@shop/contracts';
import { OUTBOX_ITEM } from '@shop/shared';
import { type OutboxRelayTopology, serviceRolePath } from '@shop/topology';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnPipe } from 'aws-cdk-lib/aws-pipes';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ServiceTable } from './ServiceTable.js';

export interface OutboxRelayProps {
  readonly relay: OutboxRelayTopology;
  /** The service's table, whose stream carries its outbox items. */
  readonly table: ServiceTable;
  /** The shop bus. */
  readonly eventBusArn: string;
}

const IMAGE = '$.dynamodb.NewImage';

/**
 * A service's transactional outbox relay: an EventBridge Pipe from its table's stream (inserted
 * outbox items only) to the shop bus, with its own role that may put events only with the
 * service's own `source`, and a DLQ for what it could not publish.
 *
 * @example
 * ```ts
 * new OutboxRelay(this, 'Outbox', { relay, table, eventBusArn });
 * ```
 */
export class OutboxRelay extends Construct {
  constructor(scope: Construct, id: string, props: OutboxRelayProps) {
    super(scope, id);
    const { relay, table } = props;
    const deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      queueName: relay.deadLetterQueueName,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the outbox Pipe's dead-letter queue (cdk-nag only recognizes queues' redrive policies).",
    });
    const role = this.pipeRole(props, deadLetterQueue);
    const pipe = new CfnPipe(this, 'Pipe', {
      name: `${relay.service}-outbox`,
      description: `Publishes ${relay.service}'s outbox items to the shop bus`,
      roleArn: role.roleArn,
      source: table.tableStreamArn ?? '',
      sourceParameters: {
        dynamoDbStreamParameters: {
          startingPosition: 'TRIM_HORIZON',
          batchSize: 10,
          maximumRetryAttempts: 3,
          deadLetterConfig: { arn: deadLetterQueue.queueArn },
        },
        filterCriteria: { filters: [{ pattern: JSON.stringify(relay.filter) }] },
      },
      target: props.eventBusArn,
      targetParameters: {
        eventBridgeEventBusParameters: {
          source: `${IMAGE}.${OUTBOX_ITEM.attributes.source}.S`,
          detailType: `${IMAGE}.${OUTBOX_ITEM.attributes.detailType}.S`,
        },
        inputTemplate: `<${IMAGE}.${OUTBOX_ITEM.attributes.detail}.S>`,
      },
    });
    pipe.node.addDependency(role);
  }

  /**
   * The Pipe's role: read the table's stream, send what it cannot publish to its DLQ, put events
   * on the bus with the service's source only.
   */
  private pipeRole({ relay, table, eventBusArn }: OutboxRelayProps, deadLetterQueue: Queue): Role {
    const role = new Role(this, 'PipeRole', {
      assumedBy: new ServicePrincipal('pipes.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      path: serviceRolePath(relay.service),
      description: `${relay.service} outbox Pipe: read the stream, put events with its own source`,
    });
    // unused-grant *-outbox-pipe dynamodb:ListStreams: EventBridge Pipes needs it to read a
    // DynamoDB stream source (with DescribeStream, GetRecords and GetShardIterator), on `*`;
    // the local relay is given its stream's ARN and never lists.
    table.grantStreamRead(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, which a Pipe with a DynamoDB stream source needs, supports no resource-level permissions; every other action is scoped to this table and its stream.',
    });
    // unused-grant *-outbox-pipe sqs:SendMessage: The Pipe sends a batch there only when it
    // still cannot put it on the bus after its retries; no system test makes the bus refuse.
    deadLetterQueue.grant(role, 'sqs:SendMessage');
    role.addToPolicy(
      new PolicyStatement({
        sid: 'PutOwnEventsOnly',
        actions: ['events:PutEvents'],
        resources: [eventBusArn],
        conditions: {
          'ForAllValues:StringEquals': { 'events:source': [eventSource(relay.service)] },
          Null: { 'events:source': 'false' },
        },
      }),
    );
    return role;
  }
}
