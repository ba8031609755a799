/**
 * The `ERROR_CODE` values of the EventBridge user guide's dead-letter queue page that a delivery
 * to an SQS queue can meet.
 */
export type TargetErrorCode =
  | 'CONNECTION_FAILURE'
  | 'ERROR_FROM_TARGET'
  | 'INVALID_PARAMETER'
  | 'NO_PERMISSIONS'
  | 'NO_RESOURCE'
  | 'SDK_CLIENT_ERROR'
  | 'THROTTLING'
  | 'TIMEOUT'
  | 'UNKNOWN';

/** Why a target did not take an event, and whether EventBridge retries it. */
export interface TargetError {
  readonly code: TargetErrorCode;
  readonly message: string;
  readonly retriable: boolean;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);
const MISSING = /NonExistentQueue|QueueDoesNotExist|ResourceNotFound|NotFound/;
const DENIED = /AccessDenied|NotAuthorized|UnrecognizedClient|InvalidClientTokenId|Forbidden/;
const THROTTLED = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/;
const INVALID = /Invalid|TooLong|Malformed|Validation/;

interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly Code?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

/**
 * Classifies what a delivery threw (an AWS SDK v3 error, a network error, anything else) as the
 * EventBridge user guide describes: network failures, time-outs, throttling and the target's
 * server errors are retried; a missing target, missing permissions and a request the target
 * refuses are not ("all retry attempts fail until an action is taken"); anything unknown is not
 * retried either.
 *
 * @example
 * ```ts
 * targetErrorOf(queueDoesNotExist); // { code: 'NO_RESOURCE', message: '…', retriable: false }
 * ```
 */
export const targetErrorOf = (error: unknown): TargetError => {
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? error : {};
  const message = typeof shape.message === 'string' ? shape.message : String(error);
  const name = `${String(shape.name ?? '')} ${String(shape.Code ?? '')}`;
  const status = shape.$metadata?.httpStatusCode;
  const of = (code: TargetErrorCode, retriable: boolean): TargetError => ({
    code,
    message,
    retriable,
  });
  if (typeof shape.code === 'string' && NETWORK_CODES.has(shape.code))
    return of('CONNECTION_FAILURE', true);
  if (shape.name === 'TimeoutError' || shape.code === 'ETIMEDOUT') return of('TIMEOUT', true);
  if (THROTTLED.test(name) || status === 429) return of('THROTTLING', true);
  if (shape.$fault === 'server' || (typeof status === 'number' && status >= 500))
    return of('ERROR_FROM_TARGET', true);
  if (MISSING.test(name)) return of('NO_RESOURCE', false);
  if (DENIED.test(name)) return of('NO_PERMISSIONS', false);
  if (INVALID.test(name)) return of('INVALID_PARAMETER', false);
  if (shape.$fault === 'client') return of('SDK_CLIENT_ERROR', false);
  return of('UNKNOWN', false);
};
