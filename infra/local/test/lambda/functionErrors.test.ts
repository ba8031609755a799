import { describe, expect, it } from 'vitest';
import { exitReason, runtimeExitError, taskTimedOut } from '../../src/lambda/index.js';

describe("Lambda's function errors", () => {
  it('words a runtime that exited as Lambda does: the signal, or the exit status', () => {
    expect(exitReason({ code: null, signal: 'SIGKILL' })).toBe('signal: killed');
    expect(exitReason({ code: null, signal: 'SIGSEGV' })).toBe('signal: segmentation fault');
    expect(exitReason({ code: 1, signal: null })).toBe('exit status 1');
    expect(runtimeExitError('r-1', { code: null, signal: 'SIGKILL' })).toEqual({
      kind: 'error',
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: r-1 Error: Runtime exited with error: signal: killed',
    });
  });

  it('words a timeout as Lambda does, in seconds with two decimals', () => {
    expect(taskTimedOut('r-2', 3)).toEqual({
      kind: 'error',
      errorType: 'Sandbox.Timedout',
      errorMessage: 'RequestId: r-2 Error: Task timed out after 3.00 seconds',
    });
  });
});
