import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { OUTBOX_ITEM } from '@shop/shared';
import type { OutboxRelayTopology } from '@shop/topology';
import { createQueue, type QueueRef } from '../sqs/createQueue.js';
import { newImageString, StreamToBusRelay } from './StreamToBusRelay.js';

export interface OutboxRelays {
  /** Each relay's dead-letter queue, by service. */
  readonly deadLetterQueues: ReadonlyMap<string, QueueRef>;
  /** Records published so far, over all relays. */
  publishedCount(): number;
  stop(): Promise<void>;
}

/**
 * Starts one relay per producer, as the EventBridge Pipe its stack deploys: the table's stream,
 * filtered to inserted outbox items, transformed into a PutEvents entry on the bus, with a DLQ.
 */
export const startOutboxRelays = async (
  relays: readonly OutboxRelayTopology[],
  props: {
    readonly busName: string;
    readonly streamArns: ReadonlyMap<string, string>;
    readonly eventBridge: EventBridgeClient;
    readonly sqs: SQSClient;
    readonly region: string;
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
    readonly dynamodbEndpoint: string;
  },
): Promise<OutboxRelays> => {
  const streams = new DynamoDBStreamsClient({
    region: props.region,
    credentials: props.credentials,
    endpoint: props.dynamodbEndpoint,
  });
  const { detail, detailType, source } = OUTBOX_ITEM.attributes;
  const deadLetterQueues = new Map<string, QueueRef>();
  const started: StreamToBusRelay[] = [];
  for (const relay of relays) {
    const deadLetterQueue = await createQueue(props.sqs, relay.deadLetterQueueName);
    deadLetterQueues.set(relay.service, deadLetterQueue);
    const pipe = new StreamToBusRelay({
      streams,
      eventBridge: props.eventBridge,
      streamArn: String(props.streamArns.get(relay.tableName)),
      filter: relay.filter,
      transform: (record) => ({
        EventBusName: props.busName,
        Source: newImageString(record, source),
        DetailType: newImageString(record, detailType),
        Detail: newImageString(record, detail),
      }),
      deadLetter: async (record, reason) => {
        await props.sqs.send(
          new SendMessageCommand({
            QueueUrl: deadLetterQueue.url,
            MessageBody: JSON.stringify(record),
            MessageAttributes: { ErrorMessage: { DataType: 'String', StringValue: reason } },
          }),
        );
      },
    });
    pipe.start();
    started.push(pipe);
  }
  return {
    deadLetterQueues,
    publishedCount: () => started.reduce((sum, pipe) => sum + pipe.publishedCount, 0),
    stop: async () => {
      await Promise.all(started.map((pipe) => pipe.stop()));
    },
  };
};
