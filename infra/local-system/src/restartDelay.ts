/** How a crashed service process is started again. */
export interface RestartPolicy {
  /** The wait before the first restart. */
  readonly baseMs: number;
  /** The longest wait: the delay doubles up to it. */
  readonly maxMs: number;
  /** A process that ran this long before it crashed starts the count again. */
  readonly stableMs: number;
}

/** 0.1 s, doubling to 10 s; a process that ran for a minute counts as healthy again. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  baseMs: 100,
  maxMs: 10_000,
  stableMs: 60_000,
};

/**
 * The restart attempt a crash begins: the one after the last, or the first again if the process
 * had been running for the policy's `stableMs`.
 *
 * @example
 * ```ts
 * restartAttempt(3, 500, DEFAULT_RESTART_POLICY); // 4
 * restartAttempt(3, 120_000, DEFAULT_RESTART_POLICY); // 1
 * ```
 */
export const restartAttempt = (
  previous: number,
  ranForMs: number,
  policy: RestartPolicy,
): number => (ranForMs >= policy.stableMs ? 1 : previous + 1);

/**
 * How long to wait before restart attempt `attempt` (1, 2, ...): `baseMs`, doubled each time, at
 * most `maxMs`.
 *
 * @example
 * ```ts
 * [1, 2, 3].map((attempt) => restartDelayMs(attempt, DEFAULT_RESTART_POLICY)); // [100, 200, 400]
 * ```
 */
export const restartDelayMs = (attempt: number, policy: RestartPolicy): number =>
  Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
