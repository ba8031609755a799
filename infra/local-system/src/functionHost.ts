import { parentPort, workerData } from 'node:worker_threads';
import { ENVIRONMENT, type ServiceName } from '@shop/contracts';
import { lambdaContext, SqsEventSourceMapping, type SqsHandler } from '@shop/local-cloud/lambda';
import { awsClients } from '@shop/shared';
import { serviceTopology } from '@shop/topology';
import type { EventSourceMessage, HostMessage, InvokeMessage, StopMessage } from './ipc.js';
import { manifestOf } from './services.js';

/**
 * One function of a service, in a worker thread of its service's process: what a Lambda
 * execution environment is to it in AWS. The thread's environment is the function's own (its
 * variables and its role's credentials), and its modules are its own, so its SDK clients sign as
 * its role. A queue consumer's thread also runs its SQS event-source mapping, which polls, as
 * in AWS, with the function's role.
 */
const {
  service,
  functionName,
  handler: handlerName,
} = workerData as {
  readonly service: ServiceName;
  readonly functionName: string;
  readonly handler: string;
};
const port = parentPort;
if (port === null) throw new Error('functionHost runs in a worker thread');
const region = process.env['AWS_REGION'] ?? 'eu-west-1';
const account = '000000000000';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
const { handler } = (await import(`@shop/${service}/handlers/${handlerName}`)) as {
  handler: Handler;
};

const consumer = serviceTopology(manifestOf(service)).consumer;
const mapping =
  consumer?.functionName === functionName
    ? new SqsEventSourceMapping({
        sqs: awsClients().sqs,
        queueUrl: String(process.env[ENVIRONMENT.queueUrl]),
        handler: handler as SqsHandler,
        functionName,
        region,
        account,
        batchSize: consumer.batchSize,
        maximumBatchingWindowSeconds: consumer.maximumBatchingWindowSeconds,
        maximumConcurrency: consumer.maximumConcurrency,
        functionTimeoutSeconds: consumer.functionTimeoutSeconds,
      })
    : undefined;
await mapping?.start();

const send = (message: HostMessage) => port.postMessage(message);
const invoke = async (message: InvokeMessage) => {
  try {
    const context = lambdaContext({ functionName, region, account, timeoutSeconds: 30 });
    const payload = await handler(message.payload, context);
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
};

port.on('message', async (message: InvokeMessage | EventSourceMessage | StopMessage) => {
  if (message.type === 'invoke') return invoke(message);
  if (message.type === 'event-source') await (message.enabled ? mapping?.start() : mapping?.stop());
  else await mapping?.stop();
  send({ type: 'result', id: message.id, outcome: { kind: 'result', payload: null } });
});
send({ type: 'ready', functions: [functionName] });
