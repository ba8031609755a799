import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateArchiveCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ServiceName } from '@shop/contracts';
import type { ShopTopology } from '@shop/topology';
import { createQueue, type QueueRef } from './sqs/createQueue.js';

export interface ProvisionedConsumer {
  readonly service: ServiceName;
  readonly queue: QueueRef;
  readonly deadLetterQueue: QueueRef;
}

/** The audit log group with its retention, and the rule that writes every event of the bus to it. */
const provisionAuditLog = async (
  topology: ShopTopology,
  clients: {
    readonly eventBridge: EventBridgeClient;
    readonly logs: CloudWatchLogsClient;
    readonly busArn: string;
  },
): Promise<void> => {
  const { ruleName, logGroupName, retentionDays } = topology.audit;
  await clients.logs.send(new CreateLogGroupCommand({ logGroupName }));
  await clients.logs.send(
    new PutRetentionPolicyCommand({ logGroupName, retentionInDays: retentionDays }),
  );
  // arn:aws:events:<region>:<account>:event-bus/<name>: the group is in the bus's account and region.
  const [, partition, , region, account] = clients.busArn.split(':');
  await clients.eventBridge.send(
    new PutRuleCommand({
      Name: ruleName,
      EventBusName: topology.busName,
      EventPattern: JSON.stringify({ account: [account] }),
    }),
  );
  await clients.eventBridge.send(
    new PutTargetsCommand({
      Rule: ruleName,
      EventBusName: topology.busName,
      Targets: [
        {
          Id: 'audit-log',
          Arn: `arn:${partition}:logs:${region}:${account}:log-group:${logGroupName}`,
        },
      ],
    }),
  );
};

/**
 * Creates the shop's messaging topology in the local cloud through the real SDK clients, the same
 * resources the CDK apps deploy: the archive on the bus (which must exist), the audit log (a log
 * group and the rule writing every event to it), and per consumer its DLQ, its queue with the
 * redrive policy, and its rule targeting the queue (with the DLQ as the target's dead-letter
 * queue).
 */
export const provisionTopology = async (
  topology: ShopTopology,
  clients: {
    readonly sqs: SQSClient;
    readonly eventBridge: EventBridgeClient;
    readonly logs: CloudWatchLogsClient;
    readonly busArn: string;
  },
): Promise<ProvisionedConsumer[]> => {
  await clients.eventBridge.send(
    new CreateArchiveCommand({
      ArchiveName: topology.archiveName,
      EventSourceArn: clients.busArn,
      RetentionDays: topology.archiveRetentionDays,
    }),
  );
  await provisionAuditLog(topology, clients);
  const provisioned: ProvisionedConsumer[] = [];
  for (const consumer of topology.consumers) {
    const deadLetterQueue = await createQueue(clients.sqs, consumer.deadLetterQueueName, {
      MessageRetentionPeriod: String(14 * 24 * 3600),
    });
    const queue = await createQueue(clients.sqs, consumer.queueName, {
      VisibilityTimeout: String(consumer.visibilityTimeoutSeconds),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: deadLetterQueue.arn,
        maxReceiveCount: consumer.maxReceiveCount,
      }),
    });
    await clients.eventBridge.send(
      new PutRuleCommand({
        Name: consumer.ruleName,
        EventBusName: topology.busName,
        EventPattern: JSON.stringify(consumer.eventPattern),
      }),
    );
    await clients.eventBridge.send(
      new PutTargetsCommand({
        Rule: consumer.ruleName,
        EventBusName: topology.busName,
        Targets: [{ Id: 'queue', Arn: queue.arn, DeadLetterConfig: { Arn: deadLetterQueue.arn } }],
      }),
    );
    provisioned.push({ service: consumer.service, queue, deadLetterQueue });
  }
  return provisioned;
};
