import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/** A function answered with an unhandled error. */
export class FunctionError extends Error {
  constructor(functionName: string, detail: string) {
    super(`${functionName} failed: ${detail}`);
    this.name = 'FunctionError';
  }
}

/**
 * Invokes a function through the Lambda API (the real SDK client) and returns its decoded JSON
 * answer.
 *
 * @throws {FunctionError} when the function failed.
 *
 * @example
 * ```ts
 * const result = await invoke(lambda, 'order-get-order', { orderId });
 * ```
 */
export const invoke = async (
  lambda: LambdaClient,
  functionName: string,
  payload: unknown,
): Promise<unknown> => {
  const output = await lambda.send(
    new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(payload) }),
  );
  const text = Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8');
  if (output.FunctionError !== undefined) throw new FunctionError(functionName, text);
  return text === '' ? undefined : JSON.parse(text);
};
