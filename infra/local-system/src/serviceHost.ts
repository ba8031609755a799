import { ENVIRONMENT, SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { lambdaContext, SqsEventSourceMapping, type SqsHandler } from '@shop/local-cloud/lambda';
import { awsClients } from '@shop/shared';
import { serviceTopology } from '@shop/topology';
import type { EventSourceMessage, HostMessage, InvokeMessage } from './ipc.js';
import { manifestOf } from './services.js';

/**
 * The process of one service: what Lambda is to its functions in AWS. It loads the service's
 * handlers (the same modules its CDK stack bundles), runs the SQS event-source mapping of its
 * queue, and answers invocations the shop forwards over IPC.
 */
const service = process.argv[2] as ServiceName;
if (!SERVICE_NAMES.includes(service)) throw new Error(`Unknown service: ${process.argv[2]}`);
const region = process.env['AWS_REGION'] ?? 'eu-west-1';
const account = '000000000000';
const topology = serviceTopology(manifestOf(service));

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
const handlers = new Map<string, Handler>();
for (const fn of topology.functions) {
  const module = (await import(`@shop/${service}/handlers/${fn.handler}`)) as { handler: Handler };
  handlers.set(fn.functionName, module.handler);
}

const send = (message: HostMessage) => process.send?.(message);
const context = (functionName: string, timeoutSeconds = 30) =>
  lambdaContext({ functionName, region, account, timeoutSeconds });

const { consumer } = topology;
const queueHandler = consumer && handlers.get(consumer.functionName);
const mapping =
  consumer && queueHandler
    ? new SqsEventSourceMapping({
        sqs: awsClients().sqs,
        queueUrl: String(process.env[ENVIRONMENT.queueUrl]),
        handler: queueHandler as SqsHandler,
        functionName: consumer.functionName,
        region,
        account,
        batchSize: consumer.batchSize,
        maximumBatchingWindowSeconds: consumer.maximumBatchingWindowSeconds,
        maximumConcurrency: consumer.maximumConcurrency,
        functionTimeoutSeconds: consumer.functionTimeoutSeconds,
      })
    : undefined;
await mapping?.start();

process.on('message', async (message: InvokeMessage | EventSourceMessage) => {
  if (message.type === 'event-source') {
    await (message.enabled ? mapping?.start() : mapping?.stop());
    send({ type: 'result', id: message.id, outcome: { kind: 'result', payload: null } });
    return;
  }
  const handler = handlers.get(message.functionName);
  if (handler === undefined) {
    send({ type: 'result', id: message.id, outcome: { kind: 'unknown-function' } });
    return;
  }
  try {
    const payload = await handler(message.payload, context(message.functionName));
    send({ type: 'result', id: message.id, outcome: { kind: 'result', payload } });
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    send({
      type: 'result',
      id: message.id,
      outcome: {
        kind: 'error',
        errorType: failure.name,
        errorMessage: failure.message,
        trace: (failure.stack ?? '').split('\n'),
      },
    });
  }
});

const stop = async () => {
  await mapping?.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => undefined);
process.on('disconnect', () => void stop());
send({ type: 'ready', functions: [...handlers.keys()] });
