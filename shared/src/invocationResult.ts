import type * as z from 'zod/mini';

/** A use case's answer when it could not do what was asked. */
export interface InvocationFailure {
  readonly ok: false;
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly issues?: readonly z.core.$ZodIssue[];
  };
}

/** What a use case answers: a value, or an error a caller can act on (mapped to HTTP by `answerOf`). */
export type InvocationResult<T> = { readonly ok: true; readonly value: T } | InvocationFailure;

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
