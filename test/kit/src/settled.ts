import { vi } from 'vitest';

/**
 * Runs a use case to its end on fake timers, so the back-off between its retries takes no time.
 * Called while another run settles (a change landing in the middle of it), it leaves the timers
 * to that run.
 *
 * @example
 * ```ts
 * await settled(() => onEvent(dependencies, event, context));
 * ```
 */
export const settled = async <T>(work: () => Promise<T>): Promise<T> => {
  if (vi.isFakeTimers()) return work();
  vi.useFakeTimers();
  try {
    const result = work();
    result.catch(() => undefined);
    await vi.runAllTimersAsync();
    return await result;
  } finally {
    vi.useRealTimers();
  }
};
