import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export interface LambdaContextProps {
  readonly functionName: string;
  readonly region: string;
  readonly account: string;
  /** @default 30 */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly memoryMB?: number;
  /** The invocation's request id, as Lambda gave it. @default a new one */
  readonly awsRequestId?: string;
}

/**
 * A Lambda invocation context with the fields Lambda provides, its deadline starting now.
 *
 * @example
 * ```ts
 * const context = lambdaContext({ functionName: 'inventory-consumer', region, account });
 * context.getRemainingTimeInMillis(); // about 30000
 * ```
 */
export const lambdaContext = (props: LambdaContextProps): Context => {
  const deadline = Date.now() + (props.timeoutSeconds ?? 30) * 1000;
  const unsupported = () => {
    throw new Error('Callback-style completion is not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: props.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${props.region}:${props.account}:function:${props.functionName}`,
    memoryLimitInMB: String(props.memoryMB ?? 256),
    awsRequestId: props.awsRequestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${props.functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};
