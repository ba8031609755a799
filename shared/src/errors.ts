/**
 * The event depends on something that has not happened here yet (it arrived out of order). The
 * message is retried later with back-off; it is neither dropped nor treated as a failure of its
 * own, and reaches the DLQ only if what it waits for never comes.
 *
 * @example
 * ```ts
 * if (order === undefined) throw new RetryLaterError(`order ${orderId} is not known yet`);
 * ```
 */
export class RetryLaterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/**
 * The write lost a race with a concurrent change of the same item; re-read and try again.
 *
 * @example
 * ```ts
 * throw new ConcurrentUpdateError(`order ${orderId} changed since it was read`);
 * ```
 */
export class ConcurrentUpdateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConcurrentUpdateError';
  }
}

/** Why a query to another service failed; `status` is the HTTP status when there was an answer. */
export abstract class QueryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * The other service could not answer in time (timeout, connection refused, 5xx, throttled), even
 * after the retries an idempotent GET allows. Usually shown to the user as 503.
 *
 * @example
 * ```ts
 * if (error instanceof QueryUnavailableError) return failure('DEPENDENCY_UNAVAILABLE', error.message);
 * ```
 */
export class QueryUnavailableError extends QueryError {
  override readonly name = 'QueryUnavailableError';
}

/** The Lattice auth policies (or the identity policy) denied the call: a deployment error, never retried. */
export class QueryDeniedError extends QueryError {
  override readonly name = 'QueryDeniedError';
}

/** The other service refused the request (4xx) or answered something its contract does not allow. */
export class QueryRejectedError extends QueryError {
  override readonly name = 'QueryRejectedError';
}

/**
 * An `x-amzn-ava-user-context` header that is not Verified Access's: malformed, not ES384, signed
 * by another instance or key, or expired. The request did not come through Verified Access.
 *
 * @example
 * ```ts
 * if (error instanceof UserContextRejectedError) return { statusCode: 401 };
 * ```
 */
export class UserContextRejectedError extends Error {
  override readonly name = 'UserContextRejectedError';
}
