import type { InvocationResult } from '../invocationResult.js';

/** A route's answer: a status and a JSON body. */
export interface ApiAnswer {
  readonly status: number;
  readonly body?: unknown;
}

/**
 * The HTTP status of each failure code a service answers, e.g. `{ OUT_OF_STOCK: 409 }`.
 *
 * @example
 * ```ts
 * export const ORDER_FAILURE_STATUSES = { OUT_OF_STOCK: 409 } as const satisfies FailureStatuses;
 * ```
 */
export type FailureStatuses = Readonly<Record<string, number>>;

/** The codes any use case may fail with, whatever the service: their statuses are the same everywhere. */
const GENERIC_FAILURE_STATUSES: FailureStatuses = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  SERVICE_UNAVAILABLE: 503,
};

/**
 * An error answer: `{ error: { code, message, issues? } }`, never a stack trace.
 *
 * @example
 * ```ts
 * return problem(400, 'VALIDATION_FAILED', 'Invalid order id', parsed.error.issues);
 * ```
 */
export const problem = (
  status: number,
  code: string,
  message: string,
  issues?: unknown,
): ApiAnswer => ({
  status,
  body: { error: { code, message, ...(issues !== undefined && { issues }) } },
});

/**
 * A use case's result as an answer: its value with `status`, or its failure with the status its
 * code has in `statuses` (the service's own codes) or among the generic codes (VALIDATION_FAILED
 * 400, NOT_FOUND 404, SERVICE_UNAVAILABLE 503); any other code is 422.
 *
 * @example
 * ```ts
 * return answerOf(await placeOrderCommand(command), 201, ORDER_FAILURE_STATUSES);
 * ```
 */
export const answerOf = <T>(
  result: InvocationResult<T>,
  status = 200,
  statuses: FailureStatuses = {},
): ApiAnswer =>
  result.ok
    ? { status, body: result.value }
    : problem(
        statuses[result.error.code] ?? GENERIC_FAILURE_STATUSES[result.error.code] ?? 422,
        result.error.code,
        result.error.message,
        result.error.issues,
      );

/**
 * An answer as the JSON response both API Gateway and VPC Lattice take from a function: status
 * code, `content-type` and any `headers`, the body as JSON (empty without one).
 *
 * @example
 * ```ts
 * jsonResponse(problem(405, 'METHOD_NOT_ALLOWED', 'DELETE is not allowed here'), { allow: 'GET' });
 * ```
 */
export const jsonResponse = (
  answer: ApiAnswer,
  headers: Readonly<Record<string, string>> = {},
): { statusCode: number; headers: Record<string, string>; body: string } => ({
  statusCode: answer.status,
  headers: { 'content-type': 'application/json', ...headers },
  body: answer.body === undefined ? '' : JSON.stringify(answer.body),
});
