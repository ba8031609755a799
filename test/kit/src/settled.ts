import { vi } from 'vitest';

/**
 * Runs a use case to its end on fake timers, so the back-off between its retries takes no time.
 *
 * @example
 * ```ts
 * await settled(() => onEvent(dependencies, event, context));
 * ```
 */
export const settled = async <T>(work: () => Promise<T>): Promise<T> => {
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
