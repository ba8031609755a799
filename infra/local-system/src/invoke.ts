import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { functionOf, orderService } from './services.js';

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

/** What Order's get-order function answers. */
export type OrderResult =
  | {
      readonly ok: true;
      readonly value: Readonly<Record<string, unknown>> & { readonly status: string };
    }
  | { readonly ok: false; readonly error: unknown };

export interface SettledOrderOptions {
  /** Between two reads of the order. @default 100 */
  readonly intervalMs?: number;
  /** Give up and answer the last read after this long. @default 30_000 */
  readonly timeoutMs?: number;
  /** Called before each read, e.g. to count them. */
  readonly onPoll?: () => void;
}

/**
 * Reads an order through `order-get-order` until it has left PENDING (or the time is up), and
 * answers the last read. For the CLI and benchmarks; tests wait for the saga's events instead.
 *
 * @example
 * ```ts
 * const order = await settledOrder(lambda, orderId);
 * ```
 */
export const settledOrder = async (
  lambda: LambdaClient,
  orderId: string,
  options: SettledOrderOptions = {},
): Promise<OrderResult> => {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    options.onPoll?.();
    const order = (await invoke(lambda, functionOf(orderService, 'getOrder'), {
      orderId,
    })) as OrderResult;
    if (!order.ok || order.value.status !== 'PENDING' || Date.now() > deadline) return order;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
};
