/**
 * Benchmark: cold start of the local cloud, and the latency from PutEvents to the consumer's
 * handler (bus -> rule -> SQS -> event-source mapping -> handler) over 1,000 events.
 */
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { localFunction, SqsEventSourceMapping } from '../src/lambda/index.js';
import { LOCAL_CREDENTIALS, startLocalCloud } from '../src/localCloud.js';
import { percentile } from './percentile.js';

const EVENTS = 1000;
const IN_FLIGHT = 10;
const region = 'eu-west-1';

const coldStart = performance.now();
const cloud = await startLocalCloud({
  region,
  account: '000000000000',
  busName: 'shop',
  ports: { dynamodb: 0, sqs: 0, eventbridge: 0 },
});
const coldStartMs = performance.now() - coldStart;

const common = { region, credentials: LOCAL_CREDENTIALS };
const sqs = new SQSClient({
  ...common,
  endpoint: String(cloud.environment['AWS_ENDPOINT_URL_SQS']),
});
const events = new EventBridgeClient({ ...common, endpoint: cloud.eventBridge.endpoint });
const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench' }));
const { Attributes } = await sqs.send(
  new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
);
await events.send(
  new PutRuleCommand({ Name: 'bench', EventBusName: 'shop', EventPattern: '{"source":["bench"]}' }),
);
await events.send(
  new PutTargetsCommand({
    Rule: 'bench',
    EventBusName: 'shop',
    Targets: [{ Id: 'q', Arn: String(Attributes?.['QueueArn']) }],
  }),
);

const sentAt = new Map<number, number>();
const latencies: number[] = [];
let allReceived: () => void = () => undefined;
const received = new Promise<void>((resolve) => {
  allReceived = resolve;
});
const mapping = new SqsEventSourceMapping({
  sqs,
  queueUrl: String(QueueUrl),
  functionName: 'bench',
  region,
  maximumConcurrency: 2,
  invoke: localFunction(
    async (event: SQSEvent) => {
      const now = performance.now();
      for (const record of event.Records) {
        const { detail } = JSON.parse(record.body) as { detail: { n: number } };
        latencies.push(now - (sentAt.get(detail.n) ?? now));
      }
      if (latencies.length >= EVENTS) allReceived();
      return { batchItemFailures: [] };
    },
    { functionName: 'bench', region, account: '000000000000' },
  ),
});
await mapping.start();

let next = 0;
const sender = async () => {
  while (next < EVENTS) {
    const n = next++;
    sentAt.set(n, performance.now());
    await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'shop',
            Source: 'bench',
            DetailType: 'Tick',
            Detail: JSON.stringify({ n }),
          },
        ],
      }),
    );
  }
};
const began = performance.now();
await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
await received;
const totalMs = performance.now() - began;

await mapping.stop();
await cloud.stop();

const sorted = [...latencies].sort((a, b) => a - b);
console.log(`local cloud cold start:            ${coldStartMs.toFixed(0)} ms`);
console.log(
  `events:                            ${latencies.length} (${IN_FLIGHT} PutEvents calls in flight)`,
);
console.log(`PutEvents -> handler latency p50:  ${percentile(sorted, 50).toFixed(1)} ms`);
console.log(`PutEvents -> handler latency p99:  ${percentile(sorted, 99).toFixed(1)} ms`);
console.log(
  `throughput:                        ${((latencies.length / totalMs) * 1000).toFixed(0)} events/s`,
);
process.exit(0);
