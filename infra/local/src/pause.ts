import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits `ms`, or less if `signal` aborts first: a loop's pause between attempts that a stop cuts
 * short. It never rejects, and leaves no timer or listener behind.
 *
 * @example
 * await pause(backOff(failures), stopped.signal);
 */
export const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  sleep(ms, undefined, { signal }).catch(() => undefined);
