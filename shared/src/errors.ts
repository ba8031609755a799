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
