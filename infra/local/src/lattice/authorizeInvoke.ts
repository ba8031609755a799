import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '@shop/topology';

/** Who calls, as Lattice resolves a signed request (or anonymous for an unsigned one). */
export type LatticeCaller =
  | {
      readonly type: 'AssumedRole';
      /** The session, e.g. `arn:aws:sts::000000000000:assumed-role/order-local/order`. */
      readonly principal: string;
      /** The role with its path, e.g. `arn:aws:iam::000000000000:role/shop/order/order-local`. */
      readonly roleArn: string;
      readonly account: string;
      readonly organizationId: string;
    }
  | { readonly type: 'Anonymous' };

/** One request to a Lattice service, with the condition keys Lattice puts in its context. */
export interface InvokeRequest {
  readonly caller: LatticeCaller;
  readonly serviceArn: string;
  readonly serviceNetworkArn: string;
  readonly method: string;
  readonly path: string;
  readonly port: number;
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly headers: Readonly<Record<string, string>>;
}

export type AuthDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** As Lattice's access logs name the level that denied. */
      readonly authDeniedReason: 'Network' | 'Service';
      /** Lattice's 403 body. */
      readonly message: string;
    };

const contextOf = (request: InvokeRequest): Record<string, string | string[]> => ({
  'vpc-lattice-svcs:ServiceArn': request.serviceArn,
  'vpc-lattice-svcs:ServiceNetworkArn': request.serviceNetworkArn,
  'vpc-lattice-svcs:RequestMethod': request.method,
  'vpc-lattice-svcs:RequestPath': request.path,
  'vpc-lattice-svcs:Port': String(request.port),
  // A parameter without a name (`?=x`) has no condition key: no policy can name it.
  ...Object.fromEntries(
    Object.entries(request.query).flatMap(([name, values]) =>
      name === '' ? [] : [[`vpc-lattice-svcs:RequestQueryString/${name}`, [...values]]],
    ),
  ),
  ...Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      `vpc-lattice-svcs:RequestHeader/${name}`,
      value,
    ]),
  ),
  ...(request.caller.type === 'AssumedRole'
    ? {
        'aws:PrincipalType': 'AssumedRole',
        'aws:PrincipalArn': request.caller.roleArn,
        'aws:PrincipalAccount': request.caller.account,
        'aws:PrincipalOrgID': request.caller.organizationId,
      }
    : { 'aws:PrincipalType': 'Anonymous' }),
});

/** Whether one auth policy, on its own, allows the request: 'Allowed', or how it denies. */
const evaluate = async (
  policy: PolicyDocument,
  request: InvokeRequest,
): Promise<'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied'> => {
  const caller = request.caller;
  const response = await runSimulation(
    {
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policy,
      request: {
        action: 'vpc-lattice-svcs:Invoke',
        principal: caller.type === 'AssumedRole' ? caller.principal : 'anonymous',
        // The auth policy is asked on its own: evaluated as if in the caller's account, so the
        // answer is the policy's, not the absence of an identity policy across accounts.
        resource: {
          accountId: caller.type === 'AssumedRole' ? caller.account : '000000000000',
          resource: `${request.serviceArn}${request.path}`,
        },
        contextVariables: contextOf(request),
      },
    } as Parameters<typeof runSimulation>[0],
    {},
  );
  if (response.resultType === 'error') {
    throw new Error(`The auth policy could not be evaluated: ${JSON.stringify(response.errors)}`);
  }
  const result = response.overallResult;
  return result === 'Allowed' || result === 'ExplicitlyDenied' ? result : 'ImplicitlyDenied';
};

const denial = (
  request: InvokeRequest,
  level: 'Network' | 'Service',
  result: 'ImplicitlyDenied' | 'ExplicitlyDenied',
): AuthDecision => {
  const user = request.caller.type === 'AssumedRole' ? request.caller.principal : 'anonymous';
  const kind = level === 'Network' ? 'network-based' : 'service-based';
  const why =
    result === 'ExplicitlyDenied'
      ? `with an explicit deny in a ${kind} policy`
      : `because no ${kind} policy allows the vpc-lattice-svcs:Invoke action`;
  return {
    allowed: false,
    authDeniedReason: level,
    message: `AccessDeniedException: User: ${user} is not authorized to perform: vpc-lattice-svcs:Invoke on resource: ${request.serviceArn}${request.path} ${why}`,
  };
};

/**
 * Lattice's authorization of one request with `AWS_IAM` auth on the service network and the
 * service: the network's auth policy must allow it, then the service's, each evaluated by the
 * IAM policy simulator with the condition keys Lattice provides (`aws:PrincipalOrgID`,
 * `aws:PrincipalType`, `vpc-lattice-svcs:RequestMethod`, ...). An explicit deny wins. The
 * caller's identity policy is not evaluated here: the least-privilege matrix proves it against
 * the synthesized roles. The root path `/` is always denied: the simulator cannot evaluate it.
 *
 * @example
 * ```ts
 * const decision = await authorizeInvoke({ network, service }, request);
 * if (!decision.allowed) reply(403, decision.message);
 * ```
 */
export const authorizeInvoke = async (
  policies: { readonly network: PolicyDocument; readonly service: PolicyDocument },
  request: InvokeRequest,
): Promise<AuthDecision> => {
  // The simulator's resource types want a request path after the service: the root path's
  // resource (`…/svc-…/`) is one it cannot evaluate. It is denied, as if no policy allowed it.
  if (request.path === '/') return denial(request, 'Network', 'ImplicitlyDenied');
  const network = await evaluate(policies.network, request);
  if (network !== 'Allowed') return denial(request, 'Network', network);
  const service = await evaluate(policies.service, request);
  if (service !== 'Allowed') return denial(request, 'Service', service);
  return { allowed: true };
};
