import type { InvokeOutcome } from '../lambda/startLambdaEndpoint.js';
import type { LatticeCaller } from './authorizeInvoke.js';
import { type GatewayAnswer, textAnswer } from './gatewayAnswer.js';

const isLatticeResponse = (
  value: unknown,
): value is { statusCode: number; headers?: Record<string, string>; body?: string } => {
  if (typeof value !== 'object' || value === null) return false;
  const { statusCode, headers, body } = value as Record<string, unknown>;
  return (
    Number.isInteger(statusCode) &&
    (headers === undefined || (typeof headers === 'object' && headers !== null)) &&
    (body === undefined || typeof body === 'string')
  );
};

/** The target's outcome, `TargetConnectionError` when it cannot be invoked, or 'timeout'. */
const invokeWithin = async (
  invoke: (event: unknown) => Promise<InvokeOutcome>,
  event: unknown,
  timeoutMs: number,
): Promise<InvokeOutcome | 'timeout'> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    invoke(event).catch((error: unknown) => ({
      kind: 'error' as const,
      errorType: 'TargetConnectionError',
      errorMessage: String(error),
    })),
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
};

/**
 * Forwards an authorized request's Lambda event to the service's target and turns what it answers
 * into the gateway's answer: the target's Lattice response, or 504 when it is slower than
 * `timeoutMs`, 503 when it cannot be reached, 502 when it fails (a function error, a runtime that
 * exited, a function timeout) or answers no Lattice response, and 429 when Lambda throttled it
 * (Lattice's documentation does not say; Lambda's own status is passed on, which callers retry).
 *
 * @example
 * ```ts
 * const answer = await forwardToTarget(service.invoke, event, caller, 30_000);
 * ```
 */
export const forwardToTarget = async (
  invoke: (event: unknown) => Promise<InvokeOutcome>,
  event: unknown,
  caller: LatticeCaller,
  timeoutMs: number,
): Promise<GatewayAnswer> => {
  const began = performance.now();
  const outcome = await invokeWithin(invoke, event, timeoutMs);
  const targetMs = performance.now() - began;
  if (outcome === 'timeout') {
    return textAnswer(504, 'Gateway Timeout', {
      caller,
      failureReason: 'TargetDataTimeout',
      targetMs,
    });
  }
  if (outcome.kind === 'throttled') {
    return textAnswer(429, 'Too Many Requests', {
      caller,
      failureReason: 'TargetThrottled',
      targetMs,
    });
  }
  if (outcome.kind !== 'result') {
    const unreachable =
      outcome.kind === 'unknown-function' || outcome.errorType === 'TargetConnectionError';
    return textAnswer(
      unreachable ? 503 : 502,
      unreachable ? 'Service Unavailable' : 'Bad Gateway',
      {
        caller,
        failureReason: unreachable ? 'TargetConnectionError' : 'TargetProtocolError',
        targetMs,
      },
    );
  }
  if (!isLatticeResponse(outcome.payload)) {
    return textAnswer(502, 'Bad Gateway', {
      caller,
      failureReason: 'TargetProtocolError',
      targetMs,
    });
  }
  const { statusCode, headers = {}, body = '' } = outcome.payload;
  return { status: statusCode, headers, body, caller, targetMs };
};
