import type { AuthDecision, LatticeCaller } from './authorizeInvoke.js';

/** The gateway's answer to one request, with what its access-log entry records. */
export interface GatewayAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly caller: LatticeCaller | undefined;
  readonly decision?: AuthDecision;
  readonly failureReason?: string;
  readonly targetMs?: number;
}

/**
 * A plain-text answer of the gateway itself (a denial or a failure), with what the access log
 * should record.
 *
 * @example
 * ```ts
 * textAnswer(504, 'Gateway Timeout', { caller, failureReason: 'TargetDataTimeout' });
 * ```
 */
export const textAnswer = (
  status: number,
  body: string,
  extra: Partial<GatewayAnswer> = {},
): GatewayAnswer => ({
  status,
  headers: { 'content-type': 'text/plain' },
  body,
  caller: undefined,
  ...extra,
});
