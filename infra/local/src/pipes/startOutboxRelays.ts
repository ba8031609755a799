import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { OUTBOX_ITEM } from '@shop/shared';
import type { OutboxRelayTopology } from '@shop/topology';
import type { TableWrites } from '../dynamodb/tableWrites.js';
import { createQueue, type QueueRef } from '../sqs/createQueue.js';
import { newImageString, StreamToBusRelay } from './StreamToBusRelay.js';
import { sqsDeadLetter } from './sqsDeadLetter.js';

/** The clients one relay reads its stream, puts events and dead-letters records with. */
export interface RelayClients {
  readonly streams: DynamoDBStreamsClient;
  readonly eventBridge: EventBridgeClient;
  readonly sqs: SQSClient;
}

export interface OutboxRelays {
  /** Each relay's dead-letter queue, by service. */
  readonly deadLetterQueues: ReadonlyMap<string, QueueRef>;
  /** Records published so far, over all relays. */
  publishedCount(): number;
  /** Records sent to a dead-letter queue so far, over all relays. */
  sentToDlqCount(): number;
  /** Records a dead-letter queue refused so far, over all relays: lost, each one reported. */
  failedToBeSentToDlqCount(): number;
  stop(): Promise<void>;
}

/**
 * How often a relay reads its stream when no write was told of: the fallback for writes that
 * reach DynamoDB Local past what tells of them (e.g. straight to its own port).
 */
export const RELAY_FALLBACK_POLL_MS = 1000;

/**
 * Starts one relay per producer, as the EventBridge Pipe its stack deploys: the table's stream,
 * filtered to inserted outbox items, transformed into a PutEvents entry on the bus, with a DLQ;
 * a record the DLQ refuses too is logged and counted. Each relay reads its stream as soon as
 * `writes` tells of a write to its table, and every `RELAY_FALLBACK_POLL_MS` otherwise.
 *
 * @example
 * ```ts
 * const relays = await startOutboxRelays(topology.outboxRelays, { busName, streamArns, sqs, writes, clientsOf });
 * ```
 */
export const startOutboxRelays = async (
  relays: readonly OutboxRelayTopology[],
  props: {
    readonly busName: string;
    readonly streamArns: ReadonlyMap<string, string>;
    /** Creates the relays' dead-letter queues. */
    readonly sqs: SQSClient;
    /** Where the writes to the tables are told. */
    readonly writes: TableWrites;
    /** A relay's clients, signed as its Pipe's role where IAM is enforced. */
    readonly clientsOf: (service: string) => RelayClients;
  },
): Promise<OutboxRelays> => {
  const { detail, detailType, source } = OUTBOX_ITEM.attributes;
  const deadLetterQueues = new Map<string, QueueRef>();
  const started: StreamToBusRelay[] = [];
  const unlisten: (() => void)[] = [];
  for (const relay of relays) {
    const deadLetterQueue = await createQueue(props.sqs, relay.deadLetterQueueName);
    deadLetterQueues.set(relay.service, deadLetterQueue);
    const clients = props.clientsOf(relay.service);
    const pipe = new StreamToBusRelay({
      streams: clients.streams,
      eventBridge: clients.eventBridge,
      streamArn: String(props.streamArns.get(relay.tableName)),
      filter: relay.filter,
      transform: (record) => ({
        EventBusName: props.busName,
        Source: newImageString(record, source),
        DetailType: newImageString(record, detailType),
        Detail: newImageString(record, detail),
      }),
      deadLetter: sqsDeadLetter(clients.sqs, deadLetterQueue.url),
      idlePollMs: RELAY_FALLBACK_POLL_MS,
    });
    unlisten.push(props.writes.on(relay.tableName, () => pipe.wake()));
    pipe.start();
    started.push(pipe);
  }
  return {
    deadLetterQueues,
    publishedCount: () => started.reduce((sum, pipe) => sum + pipe.publishedCount, 0),
    sentToDlqCount: () => started.reduce((sum, pipe) => sum + pipe.sentToDlqCount, 0),
    failedToBeSentToDlqCount: () =>
      started.reduce((sum, pipe) => sum + pipe.failedToBeSentToDlqCount, 0),
    stop: async () => {
      for (const stopListening of unlisten) stopListening();
      await Promise.all(started.map((pipe) => pipe.stop()));
    },
  };
};
