import type { Context } from 'aws-lambda';
import { type LambdaContextProps, lambdaContext } from './lambdaContext.js';
import type { InvokeOutcome } from './startLambdaEndpoint.js';

/** A Lambda handler, as a function module exports it. */
export type LambdaHandler = (event: never, context: Context) => Promise<unknown>;

/**
 * What a handler's run comes to: its result, or the error it threw as Lambda reports a function
 * error (`errorType` is the error's name).
 *
 * @example
 * ```ts
 * const outcome = await runHandler(handler, event, lambdaContext({ functionName, region, account }));
 * ```
 */
export const runHandler = async (
  handler: LambdaHandler,
  event: unknown,
  context: Context,
): Promise<Extract<InvokeOutcome, { kind: 'result' | 'error' }>> => {
  try {
    return { kind: 'result', payload: await handler(event as never, context) };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return {
      kind: 'error',
      errorType: failure.name,
      errorMessage: failure.message,
      trace: (failure.stack ?? '').split('\n'),
    };
  }
};

/**
 * A handler run in this process, each invocation with a fresh Lambda context: the simplest
 * `invoke` for an `SqsEventSourceMapping` or `startLambdaEndpoint`, with no concurrency limit,
 * timeout or isolation.
 *
 * @example
 * ```ts
 * const mapping = new SqsEventSourceMapping({ ..., invoke: localFunction(handler, { functionName, region, account }) });
 * ```
 */
export const localFunction =
  (handler: LambdaHandler, context: LambdaContextProps) =>
  (event: unknown): Promise<InvokeOutcome> =>
    runHandler(handler, event, lambdaContext(context));
