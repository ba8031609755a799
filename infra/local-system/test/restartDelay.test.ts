import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_POLICY, restartAttempt, restartDelayMs } from '../src/restartDelay.js';

describe('restartDelayMs', () => {
  it('waits 0.1 s before the first restart, doubling each attempt up to 10 s', () => {
    expect(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map((attempt) =>
        restartDelayMs(attempt, DEFAULT_RESTART_POLICY),
      ),
    ).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000]);
  });
});

describe('restartAttempt', () => {
  it('counts crashes in a row, and starts again after a healthy run', () => {
    const policy = { baseMs: 100, maxMs: 1000, stableMs: 5000 };

    expect(restartAttempt(0, 10, policy)).toBe(1);
    expect(restartAttempt(1, 4999, policy)).toBe(2);
    expect(restartAttempt(6, 5000, policy)).toBe(1);
  });
});
