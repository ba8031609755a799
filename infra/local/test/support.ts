import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { inject } from 'vitest';
import {
  type Deliver,
  type DeliveryFailure,
  deliveryByService,
  type EventBridgeServer,
  logsDelivery,
  sqsDelivery,
  startEventBridge,
} from '../src/eventbridge/index.js';
import { LOCAL_CREDENTIALS } from '../src/localCloud.js';
import { type CloudWatchLogsServer, startCloudWatchLogs } from '../src/logs/index.js';

export { createQueue } from '../src/sqs/createQueue.js';

/** Region and account every local test uses, and the local dummy credentials. */
export const region = 'eu-west-1';
export const account = '000000000000';
export const credentials = LOCAL_CREDENTIALS;

/** SQS, CloudWatch Logs and EventBridge on free ports, with SDK clients pointed at them. */
export interface Messaging {
  readonly sqs: SQSClient;
  readonly eventBridge: EventBridgeClient;
  readonly eventBridgeServer: EventBridgeServer;
  readonly logs: CloudWatchLogsClient;
  readonly logsServer: CloudWatchLogsServer;
  stop(): Promise<void>;
}

export interface MessagingOptions {
  /** Wraps the bus's delivery to SQS, e.g. to make a target fail as AWS can. */
  readonly deliver?: (toSqs: Deliver) => Deliver;
  readonly onDeliveryFailure?: (failure: DeliveryFailure) => void;
}

export const startMessaging = async (options: MessagingOptions = {}): Promise<Messaging> => {
  const sqsServer = await startFauxqs({ port: 0, logger: false, defaultRegion: region });
  const sqs = new SQSClient({ region, credentials, endpoint: sqsServer.address });
  const toSqs = sqsDelivery(sqs);
  const logsServer = await startCloudWatchLogs({ port: 0, region, account });
  const logs = new CloudWatchLogsClient({ region, credentials, endpoint: logsServer.endpoint });
  const eventBridgeServer = await startEventBridge({
    port: 0,
    account,
    region,
    deliver: deliveryByService({
      sqs: options.deliver?.(toSqs) ?? toSqs,
      logs: logsDelivery(logsServer.logGroups),
    }),
    ...(options.onDeliveryFailure && { onDeliveryFailure: options.onDeliveryFailure }),
  });
  const eventBridge = new EventBridgeClient({
    region,
    credentials,
    endpoint: eventBridgeServer.endpoint,
  });
  return {
    sqs,
    eventBridge,
    eventBridgeServer,
    logs,
    logsServer,
    stop: async () => {
      logs.destroy();
      await eventBridgeServer.close();
      await logsServer.close();
      await sqsServer.stop();
    },
  };
};

/** A promise resolved from outside: tests wait on what the code under test does, never on time. */
export const deferred = <T = void>() => {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

/**
 * The endpoint of the DynamoDB Local the `shared-dynamodb` project's files share (started by
 * `dynamodb/sharedDynamoDbLocal.ts`), once it answers: polled until its start deadline. Each file
 * names its own tables; one that stops, kills or restarts DynamoDB Local starts its own.
 *
 * @example
 * ```ts
 * const dynamodb = new DynamoDBClient({ region, credentials, endpoint: await sharedDynamoDb() });
 * ```
 */
export const sharedDynamoDb = async (): Promise<string> => {
  const { endpoint, startTimeoutMs } = inject('sharedDynamoDb');
  const client = new DynamoDBClient({ region, credentials, endpoint, maxAttempts: 1 });
  const deadline = Date.now() + startTimeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}));
        return endpoint;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`The shared DynamoDB Local did not answer on ${endpoint}: ${error}`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    client.destroy();
  }
};
