import type { InvokeOutcome } from '@shop/local-cloud/lambda';
import type { FunctionSetup } from './serviceEnvironment.js';

/** A function as its service process is given it: its setup and its bundled handler module's URL. */
export interface HostedFunction extends FunctionSetup {
  readonly module: string;
}

/** Runs one invocation of a function (the shop → a service process → the function's thread). */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: number;
  readonly functionName: string;
  /** Lambda's request id of the invocation, the context's `awsRequestId`. */
  readonly requestId: string;
  /** The function's timeout, for the context's `getRemainingTimeInMillis`. */
  readonly timeoutSeconds: number;
  readonly payload: unknown;
}

/**
 * Discards the execution environment that runs an invocation which timed out: its thread is
 * terminated, and the function's next invocation starts a new one.
 */
export interface DiscardMessage {
  readonly type: 'discard';
  readonly functionName: string;
  readonly requestId: string;
}

/** What the shop sends a service process. */
export type ShopMessage = InvokeMessage | DiscardMessage;

/** The answer to a `DiscardMessage`, once the environment's thread has stopped. */
export interface DiscardedMessage {
  readonly type: 'discarded';
  readonly functionName: string;
  readonly requestId: string;
  /** False when the invocation had already ended: nothing was left to discard. */
  readonly terminated: boolean;
  /** The other invocations the environment was running, failed with it. */
  readonly alsoFailed: number;
}

/**
 * Where an invocation that needed a new execution environment is: `initializing` while the
 * environment starts (a cold start), `started` once its handler runs.
 */
export interface PhaseMessage {
  readonly type: 'phase';
  readonly id: number;
  readonly phase: InvocationPhase;
}

export type InvocationPhase = 'initializing' | 'started';

/** What a service process, or a function's thread, answers. */
export type HostMessage =
  | { readonly type: 'ready'; readonly functions: readonly string[] }
  | { readonly type: 'result'; readonly id: number; readonly outcome: InvokeOutcome }
  | PhaseMessage
  | DiscardedMessage;
