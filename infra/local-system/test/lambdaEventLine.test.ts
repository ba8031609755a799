import { describe, expect, it } from 'vitest';
import { lambdaEventLine } from '../src/lambdaEventLine.js';

describe('lambdaEventLine', () => {
  it('says in one line which service crashed, how, what failed, and when it restarts', () => {
    expect(
      lambdaEventLine({
        kind: 'crashed',
        service: 'payment',
        code: null,
        signal: 'SIGKILL',
        attempt: 2,
        restartInMs: 200,
        failed: [{ functionName: 'payment-events', requestId: 'r-1' }],
      }),
    ).toBe(
      'payment: process exited (signal SIGKILL), 1 invocation in flight failed with Runtime.ExitError; restart attempt 2 in 200 ms',
    );
    expect(
      lambdaEventLine({
        kind: 'crashed',
        service: 'order',
        code: 1,
        signal: null,
        attempt: 1,
        restartInMs: 100,
        failed: [],
      }),
    ).toBe(
      'order: process exited (code 1), 0 invocations in flight failed with Runtime.ExitError; restart attempt 1 in 100 ms',
    );
  });

  it('says when a function timed out and its environment was discarded', () => {
    expect(
      lambdaEventLine({
        kind: 'timed-out',
        functionName: 'inventory-queries',
        requestId: 'r-2',
        timeoutSeconds: 30,
      }),
    ).toBe('inventory-queries: RequestId r-2 timed out after 30 s (Sandbox.Timedout)');
    expect(
      lambdaEventLine({
        kind: 'discarded',
        service: 'inventory',
        functionName: 'inventory-queries',
        requestId: 'r-2',
        terminated: true,
        alsoFailed: 2,
      }),
    ).toBe(
      'inventory-queries: the execution environment of RequestId r-2 was discarded, failing 2 invocations it also ran',
    );
  });
});
