import { parentPort } from 'node:worker_threads';
import { type LambdaHandler, lambdaContext, runHandler } from '@shop/local-cloud/lambda';

/**
 * The console function's execution environment, a worker thread of the shop's process whose
 * environment is the function's own (its variables and its role's credentials), so that its SDK
 * clients sign as its role: what Lambda is to it in AWS.
 */
const port = parentPort;
if (port === null) throw new Error('consoleHost runs in a worker thread');
const { handler } = (await import('@shop/console/handler')) as { handler: LambdaHandler };
const region = process.env['AWS_REGION'] ?? 'eu-west-1';

port.on(
  'message',
  async (message: {
    readonly id: number;
    readonly payload: unknown;
    readonly timeoutSeconds: number;
  }) => {
    const context = lambdaContext({
      functionName: String(process.env['AWS_LAMBDA_FUNCTION_NAME']),
      region,
      account: '000000000000',
      timeoutSeconds: message.timeoutSeconds,
      awsRequestId: crypto.randomUUID(),
    });
    port.postMessage({
      id: message.id,
      outcome: await runHandler(handler, message.payload, context),
    });
  },
);
port.postMessage({ ready: true });
