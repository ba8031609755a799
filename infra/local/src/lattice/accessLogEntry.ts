import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { firstHeader } from '../http/firstHeader.js';
import type { GatewayAnswer } from './gatewayAnswer.js';

/** One access-log entry, with the field names of Lattice's `VpcLatticeAccessLogs`. */
export interface LatticeAccessLogEntry {
  readonly startTime: string;
  readonly requestId: string;
  readonly serviceNetworkArn: string;
  readonly serviceArn: string;
  readonly targetGroupArn: string;
  readonly requestMethod: string;
  readonly requestPath: string;
  readonly protocol: 'HTTP/1.1';
  readonly responseCode: number;
  /** Milliseconds from the request's arrival to the last byte of the answer. */
  readonly duration: number;
  /** Milliseconds the target took, when the request reached it. */
  readonly requestToTargetDuration: number | null;
  readonly callerPrincipal: string | null;
  readonly resolvedUser: string;
  readonly authDeniedReason: 'Network' | 'Service' | null;
  readonly failureReason: string | null;
  readonly userAgent: string | null;
  readonly sourceIpPort: string;
}

/** The ARNs of the Lattice resources a request went through. */
export type LatticeArns = Pick<
  LatticeAccessLogEntry,
  'serviceNetworkArn' | 'serviceArn' | 'targetGroupArn'
>;

const round = (ms: number) => Math.round(ms * 100) / 100;

const resolvedUser = (caller: GatewayAnswer['caller']): string => {
  if (caller === undefined) return 'Unknown';
  return caller.type === 'AssumedRole' ? caller.principal : 'Anonymous';
};

/**
 * The access-log entry of a request the gateway has just answered.
 *
 * @example
 * ```ts
 * onAccessLog(accessLogEntry(request, answer, { startTime, arrived }, arns));
 * ```
 */
export const accessLogEntry = (
  request: IncomingMessage,
  answer: GatewayAnswer,
  arrival: { readonly startTime: string; readonly arrived: number },
  arns: LatticeArns,
): LatticeAccessLogEntry => ({
  startTime: arrival.startTime,
  requestId: firstHeader(request, 'x-amzn-requestid') ?? randomUUID(),
  serviceNetworkArn: arns.serviceNetworkArn,
  serviceArn: arns.serviceArn,
  targetGroupArn: arns.targetGroupArn,
  requestMethod: request.method ?? 'GET',
  requestPath: request.url ?? '/',
  protocol: 'HTTP/1.1',
  responseCode: answer.status,
  duration: round(performance.now() - arrival.arrived),
  requestToTargetDuration: answer.targetMs === undefined ? null : round(answer.targetMs),
  callerPrincipal: answer.caller?.type === 'AssumedRole' ? answer.caller.principal : null,
  resolvedUser: resolvedUser(answer.caller),
  authDeniedReason:
    answer.decision !== undefined && !answer.decision.allowed
      ? answer.decision.authDeniedReason
      : null,
  failureReason: answer.failureReason ?? null,
  userAgent: firstHeader(request, 'user-agent') ?? null,
  sourceIpPort: `${request.socket.remoteAddress}:${request.socket.remotePort}`,
});
