import { groupValues } from '../http/groupValues.js';
import type { IamCaller, IamDecision, RequestAuthorizer } from './authorizeRequest.js';
import { accessDeniedMessage, type Refusal } from './awsRefusals.js';
import { deriveIamRequests, SIGNING_NAMES, wireProtocol } from './deriveIamRequests.js';
import type { ApiCall, Derivation, EndpointKind, Scope, WireProtocol } from './iamRequest.js';
import type { CredentialsRegistry } from './localCredentials.js';
import { headerOf, type ReceivedRequest, repeatedHeader } from './receivedRequest.js';
import type { SigV4Rejection } from './verifySigV4.js';
import { verifySigV4 } from './verifySigV4.js';

/** Why the front allowed or refused a request. */
export type DecisionReason =
  | 'IdentityPolicy'
  | 'ResourcePolicy'
  | 'UnauthenticatedOperation'
  | 'NoAllow'
  | 'ExplicitDenyInIdentityPolicy'
  | 'ExplicitDenyInResourcePolicy'
  | 'MissingAuthentication'
  | 'NoVpcEndpoint'
  | `Signature:${SigV4Rejection}`
  | 'Unreadable';

/** One line of the decision log: one authorization, or the refusal that came before any. */
export interface IamDecisionLogEntry {
  readonly kind: EndpointKind;
  /** The API operation, when the request could be read. */
  readonly operation: string | undefined;
  readonly principal: string | undefined;
  readonly roleArn: string | undefined;
  readonly action: string | undefined;
  readonly resource: string | undefined;
  readonly decision: 'Allow' | 'Deny';
  readonly reason: DecisionReason;
}

/** What the front does with a request, and what it logs. */
export interface Judgement {
  readonly protocol: WireProtocol;
  /** Undefined: forward the request unchanged. */
  readonly refusal: Refusal | undefined;
  readonly log: readonly IamDecisionLogEntry[];
  /** The call's body as the front read it (JSON parsed), for whoever is told of it after. */
  readonly input?: unknown;
}

/** Where the code of each role runs, as far as the network goes. */
export interface NetworkPlacement {
  /**
   * The AWS services the VPC a role's functions run in has endpoints for, named as in
   * `com.amazonaws.<region>.<service>` (e.g. `sqs`); undefined when they run outside any VPC.
   */
  vpcEndpointsOf(roleArn: string): ReadonlySet<string> | undefined;
}

export interface JudgeContext {
  readonly kind: EndpointKind;
  readonly scope: Scope;
  readonly credentials: CredentialsRegistry;
  readonly authorizer: RequestAuthorizer;
  /** @default every role's code reaches every endpoint */
  readonly network?: NetworkPlacement;
  /** The `host:port` clients sign for. */
  readonly host: string;
  readonly now: Date;
}

/** A form, as Cognito's managed login receives, not a call of the endpoint's JSON protocol. */
const isForm = (request: ReceivedRequest) =>
  headerOf(request, 'content-type')?.split(';')[0]?.trim() === 'application/x-www-form-urlencoded';

/**
 * The call as the deriver reads it: JSON body, or the Query protocol's fields (URL and form); a
 * form sent to a JSON-protocol endpoint has no body for the deriver, which reads its path.
 */
const apiCall = (request: ReceivedRequest, protocol: WireProtocol): ApiCall | undefined => {
  const url = new URL(request.target, 'http://localhost');
  const text = Buffer.from(request.body ?? new Uint8Array()).toString('utf8');
  let body: unknown;
  if (protocol === 'query') {
    body = groupValues([...url.searchParams, ...new URLSearchParams(text)]);
  } else if (protocol === 'json' && !isForm(request)) {
    try {
      body = JSON.parse(text || '{}');
    } catch {
      return undefined;
    }
  }
  const headers = Object.fromEntries(
    Object.keys(request.headers).map((name) => [name, headerOf(request, name)]),
  );
  return {
    method: request.method,
    path: url.pathname,
    query: groupValues(url.searchParams),
    headers,
    body,
  };
};

/** The call's authorizations, and its body as read (once) for them. */
const derive = (
  request: ReceivedRequest,
  context: JudgeContext,
  protocol: WireProtocol,
): { readonly derivation: Derivation; readonly input?: unknown } => {
  const repeated = repeatedHeader(request, ['x-amz-target', 'content-type']);
  if (repeated !== undefined) {
    return {
      derivation: { ok: false, code: 'Validation', message: `More than one '${repeated}' header.` },
    };
  }
  const call = apiCall(request, protocol);
  return call === undefined
    ? {
        derivation: {
          ok: false,
          code: 'Validation',
          message: 'The request body is not valid JSON.',
        },
      }
    : { derivation: deriveIamRequests(context.kind, call, context.scope), input: call.body };
};

const grantReason = (decision: IamDecision): DecisionReason =>
  decision.allowed
    ? decision.grantedBy === 'identity'
      ? 'IdentityPolicy'
      : 'ResourcePolicy'
    : decision.reason;

/** The authorizations of a signed, readable call, each logged; the first denial refuses it. */
const authorize = async (
  context: JudgeContext,
  caller: IamCaller,
  derivation: Extract<Derivation, { readonly ok: true }>,
): Promise<Pick<Judgement, 'refusal' | 'log'>> => {
  const decisions = await Promise.all(
    derivation.requests.map((request) => context.authorizer.authorize(caller, request)),
  );
  const log = derivation.requests.map((request, index): IamDecisionLogEntry => {
    const decision = decisions[index] ?? { allowed: false, reason: 'NoAllow' };
    return {
      kind: context.kind,
      operation: derivation.operation,
      principal: caller.principal,
      roleArn: caller.roleArn,
      action: request.action,
      resource: request.resource,
      decision: decision.allowed ? 'Allow' : 'Deny',
      reason: grantReason(decision),
    };
  });
  const deniedAt = decisions.findIndex((decision) => !decision.allowed);
  const denied = decisions[deniedAt];
  const request = derivation.requests[deniedAt];
  if (denied === undefined || denied.allowed || request === undefined)
    return { refusal: undefined, log };
  const message = accessDeniedMessage(context.kind, caller.principal, request, denied);
  return { refusal: { kind: 'AccessDenied', message }, log };
};

/**
 * Why a caller could not have reached this endpoint in AWS: its functions run in a VPC without
 * an endpoint for the service (and the VPC has no other way out), or undefined.
 */
const unreachable = (context: JudgeContext, caller: IamCaller): string | undefined => {
  const endpoints = context.network?.vpcEndpointsOf(caller.roleArn);
  if (endpoints === undefined || endpoints.has(context.kind)) return undefined;
  const endpoint = `com.amazonaws.${context.scope.region}.${context.kind}`;
  return `${caller.principal} runs in a VPC that has no endpoint for ${context.kind} (${endpoint}): in AWS this request could not leave the VPC, and the call would hang until the function timed out.`;
};

/**
 * Judges one request as the AWS endpoint would, in AWS's order: an unsigned request is refused
 * (MissingAuthenticationToken) unless the operation is one AWS serves unsigned; the signature is
 * verified (hardened SigV4, the key's secret from the registry); a caller whose functions run in
 * a VPC without an endpoint for this service is refused, since in AWS its request would never
 * arrive; the call is read (operation, resources, condition keys); then every authorization it
 * needs is decided with the caller's identity policies and the resource's policy. Each step is
 * logged.
 *
 * @example
 * ```ts
 * const judgement = await judgeRequest(receivedRequest(req, body), context);
 * if (judgement.refusal) reply(refusalAnswer(context.kind, judgement.protocol, judgement.refusal));
 * ```
 */
export const judgeRequest = async (
  request: ReceivedRequest,
  context: JudgeContext,
): Promise<Judgement> => {
  const protocol = wireProtocol(context.kind, {
    'x-amz-target': headerOf(request, 'x-amz-target'),
  });
  const { derivation, input } = derive(request, context, protocol);
  const operation = derivation.ok ? derivation.operation : undefined;
  const entry = (reason: DecisionReason, caller?: IamCaller): IamDecisionLogEntry => ({
    kind: context.kind,
    operation,
    principal: caller?.principal,
    roleArn: caller?.roleArn,
    action: undefined,
    resource: undefined,
    decision: reason === 'UnauthenticatedOperation' ? 'Allow' : 'Deny',
    reason,
  });
  if (
    headerOf(request, 'authorization') === undefined ||
    (derivation.ok && derivation.ownAuthorization === true)
  ) {
    return derivation.ok && derivation.unauthenticated
      ? { protocol, refusal: undefined, log: [entry('UnauthenticatedOperation')] }
      : {
          protocol,
          refusal: { kind: 'MissingAuthentication' },
          log: [entry('MissingAuthentication')],
        };
  }
  const verdict = await verifySigV4(request, {
    secretOf: (key) => context.credentials.lookup(key)?.secretAccessKey,
    service: SIGNING_NAMES[context.kind],
    region: context.scope.region,
    now: context.now,
    host: context.host,
  });
  if (!verdict.ok) {
    const refusal: Refusal = {
      kind: 'Signature',
      reason: verdict.reason,
      message: verdict.message,
    };
    return { protocol, refusal, log: [entry(`Signature:${verdict.reason}`)] };
  }
  const caller = context.credentials.lookup(verdict.accessKeyId);
  if (caller === undefined) throw new Error('A verified key has credentials');
  const cutOff = unreachable(context, caller);
  if (cutOff !== undefined) {
    const refusal: Refusal = { kind: 'Unreachable', message: cutOff };
    return { protocol, refusal, log: [entry('NoVpcEndpoint', caller)] };
  }
  if (!derivation.ok) {
    const refusal: Refusal = {
      kind: 'Unreadable',
      code: derivation.code,
      message: derivation.message,
    };
    return { protocol, refusal, log: [entry('Unreadable', caller)] };
  }
  if (derivation.unauthenticated) {
    return { protocol, refusal: undefined, log: [entry('UnauthenticatedOperation', caller)] };
  }
  return { protocol, input, ...(await authorize(context, caller, derivation)) };
};
