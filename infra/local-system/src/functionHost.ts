import { parentPort, workerData } from 'node:worker_threads';
import { type LambdaHandler, lambdaContext, runHandler } from '@shop/local-cloud/lambda';
import type { HostMessage, InvokeMessage } from './ipc.js';

/**
 * One execution environment of a function, in a worker thread of its service's process: what a
 * Lambda execution environment is to it in AWS. The thread's environment is the function's own
 * (its variables and its role's credentials), and its modules are its own, so its SDK clients
 * sign as its role. It runs the invocations it is given, each with a Lambda context carrying
 * the request id and timeout the shop's Lambda gave it; enforcing the timeout is not its job.
 */
const { functionName, module } = workerData as {
  readonly functionName: string;
  /** The URL of the function's bundled handler module. */
  readonly module: string;
};
const port = parentPort;
if (port === null) throw new Error('functionHost runs in a worker thread');
const region = process.env['AWS_REGION'] ?? 'eu-west-1';
const account = '000000000000';

const { handler } = (await import(module)) as {
  handler: LambdaHandler;
};

const send = (message: HostMessage) => port.postMessage(message);
port.on('message', async (message: InvokeMessage) => {
  const context = lambdaContext({
    functionName,
    region,
    account,
    timeoutSeconds: message.timeoutSeconds,
    awsRequestId: message.requestId,
  });
  send({
    type: 'result',
    id: message.id,
    outcome: await runHandler(handler, message.payload, context),
  });
});
send({ type: 'ready', functions: [functionName] });
