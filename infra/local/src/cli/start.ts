import { buildRegistry, eventLabel } from '@shop/contracts';
import { shopTopology } from '@shop/topology';
import { z } from 'zod';
import { startLocalCloud } from '../localCloud.js';

const PortSchema = z.coerce.number().int().min(0).max(65_535);
const env = z
  .object({
    LOCAL_DYNAMODB_PORT: PortSchema.default(8000),
    LOCAL_SQS_PORT: PortSchema.default(4566),
    LOCAL_EVENTBRIDGE_PORT: PortSchema.default(4010),
    AWS_REGION: z.string().default('eu-west-1'),
  })
  .parse(process.env);

const began = performance.now();
const log = (line: string) => console.log(`[local-cloud] ${line}`);

try {
  const cloud = await startLocalCloud({
    region: env.AWS_REGION,
    account: '000000000000',
    busName: 'shop',
    ports: {
      dynamodb: env.LOCAL_DYNAMODB_PORT,
      sqs: env.LOCAL_SQS_PORT,
      eventbridge: env.LOCAL_EVENTBRIDGE_PORT,
    },
    progress: log,
    topology: shopTopology(),
  });
  log(`local cloud ready in ${Math.round(performance.now() - began)} ms`);
  console.log('\nPoint any AWS SDK client or the AWS CLI at it with:\n');
  for (const [name, value] of Object.entries(cloud.environment))
    console.log(`  export ${name}=${value}`);
  console.log('\nEvents on the shop bus:\n');
  for (const row of buildRegistry()) {
    console.log(
      `  ${eventLabel(row).padEnd(31)} ${row.source.padEnd(15)} -> ${row.consumers.join(', ') || '-'}`,
    );
  }
  console.log('\nConsumer queues (rule -> queue, DLQ after maxReceiveCount):\n');
  for (const consumer of cloud.consumers) {
    console.log(
      `  ${consumer.service.padEnd(10)} ${consumer.queue.url}  (DLQ ${consumer.deadLetterQueue.url})`,
    );
  }
  console.log('\nPress Ctrl-C to stop.');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping ...`);
    await cloud.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
