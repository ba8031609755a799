import type { z } from 'zod';

/** A directly invoked function's answer when it could not do what was asked. */
export interface InvocationFailure {
  readonly ok: false;
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly issues?: readonly z.core.$ZodIssue[];
  };
}

/** What a directly invoked function answers: a value, or an error a caller can act on. */
export type InvocationResult<T> = { readonly ok: true; readonly value: T } | InvocationFailure;

/**
 * A thin handler for a function invoked directly: parses the payload with zod (an invalid one is
 * answered with `VALIDATION_FAILED` and the zod issues, nothing runs), then calls one use case.
 *
 * @example
 * ```ts
 * export const handler = invocationHandler(GetOrderRequestSchema, async ({ orderId }) => {
 *   const order = await orders.get(orderId);
 *   return order ? { ok: true, value: order } : failure('NOT_FOUND', `Order ${orderId} not found`);
 * });
 * ```
 */
export const invocationHandler =
  <S extends z.ZodType, T>(schema: S, run: (input: z.output<S>) => Promise<InvocationResult<T>>) =>
  async (payload: unknown): Promise<InvocationResult<T>> => {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Invalid request',
          issues: parsed.error.issues,
        },
      };
    }
    return run(parsed.data);
  };

/** A failed {@link InvocationResult}. */
export const failure = (code: string, message: string): InvocationFailure => ({
  ok: false,
  error: { code, message },
});

/**
 * A value, or `NOT_FOUND` naming what is missing.
 *
 * @example
 * ```ts
 * return found(await orders.get(orderId), `Order ${orderId}`);
 * ```
 */
export const found = <T>(value: T | undefined, what: string): InvocationResult<T> =>
  value === undefined ? failure('NOT_FOUND', `${what} not found`) : { ok: true, value };
