import type { LambdaEvent } from './LocalLambda.js';

const invocations = (count: number) => `${count} invocation${count === 1 ? '' : 's'}`;

/**
 * One line that says what happened to a function or a service's process, for a log.
 *
 * @example
 * ```ts
 * lambdaEventLine({ kind: 'crashed', service: 'payment', code: null, signal: 'SIGKILL', attempt: 1, restartInMs: 100, failed: [] });
 * // 'payment: process exited (signal SIGKILL), 0 invocations in flight failed with Runtime.ExitError; restart attempt 1 in 100 ms'
 * ```
 */
export const lambdaEventLine = (event: LambdaEvent): string => {
  switch (event.kind) {
    case 'crashed':
      return `${event.service}: process exited (${event.signal === null ? `code ${event.code}` : `signal ${event.signal}`}), ${invocations(event.failed.length)} in flight failed with Runtime.ExitError; restart attempt ${event.attempt} in ${event.restartInMs} ms`;
    case 'restart-failed':
      return `${event.service}: restart attempt ${event.attempt - 1} failed (${event.error.split('\n')[0]}); restart attempt ${event.attempt} in ${event.restartInMs} ms`;
    case 'restarted':
      return `${event.service}: restarted (attempt ${event.attempt}), its functions loaded in ${event.startMs} ms`;
    case 'timed-out':
      return `${event.functionName}: RequestId ${event.requestId} timed out after ${event.timeoutSeconds} s (Sandbox.Timedout)`;
    case 'discarded':
      return event.terminated
        ? `${event.functionName}: the execution environment of RequestId ${event.requestId} was discarded${event.alsoFailed > 0 ? `, failing ${invocations(event.alsoFailed)} it also ran` : ''}`
        : `${event.functionName}: RequestId ${event.requestId} had ended; no execution environment to discard`;
  }
};
