export interface RetryOptions {
  /** @default 5 */
  readonly attempts?: number;
  /** Delay before the second attempt; doubled each time, with full jitter. @default 20 */
  readonly baseDelayMs?: number;
  /** Which errors are worth another attempt. */
  readonly retryable: (error: unknown) => boolean;
}

/**
 * Runs `operation` until it succeeds, a non-retryable error is thrown or the attempts run out
 * (then the last error is thrown). Waits with exponential back-off and full jitter in between,
 * so concurrent losers of a race do not collide again.
 *
 * @example
 * ```ts
 * await retry(() => reserve(order), { retryable: (e) => e instanceof ConcurrentUpdateError });
 * ```
 */
export const retry = async <T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> => {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || !options.retryable(error)) throw error;
      const delay = Math.random() * base * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
};
