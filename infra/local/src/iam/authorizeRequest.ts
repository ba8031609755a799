import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '@shop/topology';
import type { IamRequest, Scope } from './iamRequest.js';

/** The policies that decide: each role's identity policies and each resource's own policy. */
export interface IamPolicies {
  /** Identity policies by role ARN (the documents CDK synthesizes for the role). */
  readonly identity: Readonly<Record<string, readonly PolicyDocument[]>>;
  /** Resource-based policies by resource ARN: queue, bus, function, table or stream policies. */
  readonly resource: Readonly<Record<string, PolicyDocument>>;
}

/** The signed-in caller: a role session. */
export interface IamCaller {
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` */
  readonly principal: string;
  readonly roleArn: string;
}

export type IamDecision =
  | {
      readonly allowed: true;
      /** Which policy granted it. */
      readonly grantedBy: 'identity' | 'resource';
    }
  | {
      readonly allowed: false;
      /** An explicit deny, and in which kind of policy; or no policy allows. */
      readonly reason: 'ExplicitDenyInIdentityPolicy' | 'ExplicitDenyInResourcePolicy' | 'NoAllow';
      /** Why the simulator could not evaluate the request, if it could not. */
      readonly error?: string;
    };

export interface RequestAuthorizer {
  authorize(caller: IamCaller, request: IamRequest): Promise<IamDecision>;
}

/** The resource whose policy governs `arn`: an index is governed by its table, a qualified function by its function. */
const governingResources = (arn: string): string[] => {
  const table = /^(arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/[^/]+)\/index\/[^/]+$/.exec(arn)?.[1];
  const fn = /^(arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+):[^:]+$/.exec(arn)?.[1];
  return [arn, ...(table === undefined ? [] : [table]), ...(fn === undefined ? [] : [fn])];
};

const decisionOf = (response: Awaited<ReturnType<typeof runSimulation>>): IamDecision => {
  if (response.resultType === 'error') {
    return { allowed: false, reason: 'NoAllow', error: response.errors.message };
  }
  const analysis =
    response.resultType === 'single' ? response.result.analysis : response.results[0]?.analysis;
  if (response.overallResult === 'Allowed') {
    return {
      allowed: true,
      grantedBy: analysis?.identityAnalysis?.result === 'Allowed' ? 'identity' : 'resource',
    };
  }
  if (response.overallResult === 'ExplicitlyDenied') {
    const inIdentity = analysis?.identityAnalysis?.result === 'ExplicitlyDenied';
    return {
      allowed: false,
      reason: inIdentity ? 'ExplicitDenyInIdentityPolicy' : 'ExplicitDenyInResourcePolicy',
    };
  }
  return { allowed: false, reason: 'NoAllow' };
};

/** One authorization, evaluated by the simulator. */
const evaluate = async (
  policies: IamPolicies,
  scope: Scope,
  caller: IamCaller,
  request: IamRequest,
): Promise<IamDecision> => {
  const resourcePolicy = governingResources(request.resource)
    .map((arn) => policies.resource[arn])
    .find((policy) => policy !== undefined);
  const response = await runSimulation(
    {
      identityPolicies: (policies.identity[caller.roleArn] ?? []).map((policy, index) => ({
        name: `${caller.roleArn}#${index}`,
        policy,
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy !== undefined && { resourcePolicy }),
      request: {
        action: request.action,
        principal: caller.principal,
        resource: { accountId: scope.account, resource: request.resource },
        contextVariables: {
          'aws:PrincipalArn': caller.roleArn,
          'aws:PrincipalAccount': scope.account,
          'aws:PrincipalType': 'AssumedRole',
          'aws:RequestedRegion': scope.region,
          ...Object.fromEntries(
            Object.entries(request.context).map(([key, value]) => [
              key,
              typeof value === 'string' ? value : [...value],
            ]),
          ),
        },
      },
    },
    {},
  );
  return decisionOf(response);
};

/**
 * An authorizer that decides as AWS does within one account: a request is allowed when the
 * caller's identity policies or the resource's own policy allow it and no policy denies it,
 * evaluated by the IAM policy simulator with the global condition keys of a role session
 * (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:RequestedRegion`) and the
 * request's service keys. Decisions are cached per role, action, resource and keys (the
 * policies are fixed for the authorizer's life), so a repeated call costs a map lookup.
 *
 * @example
 * ```ts
 * const authorizer = createRequestAuthorizer({ identity: { [roleArn]: [policy] }, resource: {} }, scope);
 * await authorizer.authorize({ principal, roleArn }, { action: 'sqs:SendMessage', resource: queueArn, context: {} });
 * ```
 */
export const createRequestAuthorizer = (
  policies: IamPolicies,
  scope: Scope,
  cacheSize = 10_000,
): RequestAuthorizer => {
  const cache = new Map<string, Promise<IamDecision>>();
  return {
    authorize: (caller, request) => {
      const key = JSON.stringify([
        caller.principal,
        caller.roleArn,
        request.action,
        request.resource,
        request.context,
      ]);
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      const decision = evaluate(policies, scope, caller, request);
      decision.catch(() => cache.delete(key));
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value ?? '');
      cache.set(key, decision);
      return decision;
    },
  };
};
