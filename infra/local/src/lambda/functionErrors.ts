import type { InvokeOutcome } from './startLambdaEndpoint.js';

/** How a runtime's process ended: its exit code, or the signal that ended it. */
export interface RuntimeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The words Lambda's runtime reports for a signal (Go's names for them), e.g. `killed`. */
const SIGNAL_WORDS: Readonly<Partial<Record<NodeJS.Signals, string>>> = {
  SIGABRT: 'aborted',
  SIGALRM: 'alarm clock',
  SIGBUS: 'bus error',
  SIGFPE: 'floating point exception',
  SIGHUP: 'hangup',
  SIGILL: 'illegal instruction',
  SIGINT: 'interrupt',
  SIGKILL: 'killed',
  SIGPIPE: 'broken pipe',
  SIGQUIT: 'quit',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGTRAP: 'trace/breakpoint trap',
  SIGUSR1: 'user defined signal 1',
  SIGUSR2: 'user defined signal 2',
};

/**
 * How Lambda words a runtime's end: `signal: killed`, `exit status 1`.
 *
 * @example
 * ```ts
 * exitReason({ code: null, signal: 'SIGKILL' }); // 'signal: killed'
 * ```
 */
export const exitReason = ({ code, signal }: RuntimeExit): string =>
  signal !== null ? `signal: ${SIGNAL_WORDS[signal] ?? signal}` : `exit status ${code ?? 0}`;

/**
 * What Lambda answers for an invocation whose runtime exited while it ran: a function error of
 * type `Runtime.ExitError`.
 *
 * @example
 * ```ts
 * runtimeExitError(requestId, { code: null, signal: 'SIGKILL' });
 * // { kind: 'error', errorType: 'Runtime.ExitError',
 * //   errorMessage: 'RequestId: … Error: Runtime exited with error: signal: killed' }
 * ```
 */
export const runtimeExitError = (
  requestId: string,
  exit: RuntimeExit,
): Extract<InvokeOutcome, { kind: 'error' }> => ({
  kind: 'error',
  errorType: 'Runtime.ExitError',
  errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${exitReason(exit)}`,
});

/**
 * What Lambda answers for an invocation that ran past the function's timeout: a function error
 * of type `Sandbox.Timedout`, after which the execution environment is reset.
 *
 * @example
 * ```ts
 * taskTimedOut(requestId, 30).errorMessage; // 'RequestId: … Error: Task timed out after 30.00 seconds'
 * ```
 */
export const taskTimedOut = (
  requestId: string,
  timeoutSeconds: number,
): Extract<InvokeOutcome, { kind: 'error' }> => ({
  kind: 'error',
  errorType: 'Sandbox.Timedout',
  errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
});
