import type { ConsumerTopology } from '@shop/topology';
import { Duration, Names } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnRule } from 'aws-cdk-lib/aws-events';
import { Effect, type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ConsumerQueueProps {
  readonly consumer: ConsumerTopology;
  /** The shop bus the rule is created on. */
  readonly eventBusName: string;
}

/**
 * A consumer's queue and DLQ (encrypted, TLS only, redrive after `maxReceiveCount`, an alarm on
 * DLQ depth), and the rule on the shared bus, generated from its subscriptions, that feeds the
 * queue; only that rule may send to either queue.
 *
 * @example
 * ```ts
 * const queue = new ConsumerQueue(this, 'Consumer', { consumer, eventBusName });
 * queue.feed(fn);
 * ```
 */
export class ConsumerQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  private readonly consumer: ConsumerTopology;

  constructor(scope: Construct, id: string, props: ConsumerQueueProps) {
    super(scope, id);
    const { consumer } = props;
    this.consumer = consumer;
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      queueName: consumer.deadLetterQueueName,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      queueName: consumer.queueName,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(consumer.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: consumer.maxReceiveCount },
    });
    new Alarm(this, 'DeadLetterQueueAlarm', {
      alarmDescription: `Messages ${consumer.service} could not process are waiting in its DLQ`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const rule = new CfnRule(this, 'Subscriptions', {
      name: consumer.ruleName,
      eventBusName: props.eventBusName,
      description: `${consumer.service} subscribes to ${consumer.events.join(', ')}`,
      eventPattern: consumer.eventPattern,
      targets: [
        {
          id: 'queue',
          arn: this.queue.queueArn,
          deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
        },
      ],
    });
    for (const target of [this.queue, this.deadLetterQueue]) {
      target.addToResourcePolicy(
        new PolicyStatement({
          sid: 'FromTheSubscriptionRule',
          effect: Effect.ALLOW,
          principals: [new ServicePrincipal('events.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [target.queueArn],
          conditions: { ArnEquals: { 'aws:SourceArn': rule.attrArn } },
        }),
      );
    }
  }

  /**
   * Makes the queue the function's event source: batches with partial batch responses and a
   * maximum concurrency, read with the permissions Lambda's mapping needs (those of
   * `AWSLambdaSQSQueueExecutionRole`, not `grantConsumeMessages`, whose `GetQueueUrl` it never
   * calls); the function may change a message's visibility (its back-off) and send what it can
   * never process to the DLQ with its reason.
   */
  feed(fn: IFunction): void {
    this.queue.grant(fn, 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes');
    // sometimes-used-grant *-events sqs:ChangeMessageVisibility: The back-off of an event whose
    // handling failed (a copy whose twin is still in progress, a lost race, a charge left
    // unsettled); whether a run meets one depends on timing.
    this.queue.grant(fn, 'sqs:ChangeMessageVisibility');
    this.deadLetterQueue.grant(fn, 'sqs:SendMessage');
    // The id SqsEventSource gives its mapping: the mapping it created stays the same resource.
    fn.addEventSourceMapping(`SqsEventSource:${Names.nodeUniqueId(this.queue.node)}`, {
      eventSourceArn: this.queue.queueArn,
      batchSize: this.consumer.batchSize,
      maxBatchingWindow: Duration.seconds(this.consumer.maximumBatchingWindowSeconds),
      reportBatchItemFailures: true,
      maxConcurrency: this.consumer.maximumConcurrency,
    });
  }

  /** Lets the staff function peek at the DLQ and move its messages back to the queue. */
  grantRedrive(grantee: IGrantable): void {
    // sometimes-used-grant *-staff sqs:ChangeMessageVisibility *-dlq: A redrive makes a message it
    // received and did not move visible again at once (one that died again after the redrive
    // began); whether a run meets one depends on how fast the consumer parks it again.
    this.deadLetterQueue.grant(
      grantee,
      'sqs:ReceiveMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
    );
    this.queue.grant(grantee, 'sqs:SendMessage');
  }
}
