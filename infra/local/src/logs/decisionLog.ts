import { type DecisionLogMessage, SHOP_LOG_GROUPS } from '@shop/contracts';
import type { AuthorizationLogEntry } from '../apiGateway/startApiGateway.js';
import type { IamDecisionLogEntry } from '../iam/judgeRequest.js';
import type { LatticeAccessLogEntry } from '../lattice/accessLogEntry.js';
import type { VerifiedAccessDecision } from '../verifiedAccess/decisionLogEntry.js';
import type { IsAuthorizedLogEntry } from '../verifiedPermissions/startVerifiedPermissions.js';
import type { LogGroups } from './LogGroups.js';

/** The log stream each decision log group is written in by the local cloud. */
export const DECISION_LOG_STREAM = 'local';

/**
 * An IAM front's decision: the role session, the action and resource it asked for, and the ARN
 * whose policies decided (the role's identity policies or the resource's policy).
 *
 * @example
 * ```ts
 * iamDecisionMessage(entry, new Date()); // { kind: 'iam', decision: 'Deny', reason: 'NoAllow', ... }
 * ```
 */
export const iamDecisionMessage = (entry: IamDecisionLogEntry, at: Date): DecisionLogMessage => {
  const decidedBy =
    entry.reason === 'IdentityPolicy' || entry.reason === 'ExplicitDenyInIdentityPolicy'
      ? entry.roleArn
      : entry.reason === 'ResourcePolicy' || entry.reason === 'ExplicitDenyInResourcePolicy'
        ? entry.resource
        : undefined;
  return {
    kind: 'iam',
    decision: entry.decision,
    principal: entry.principal ?? 'anonymous',
    action: entry.action ?? entry.operation ?? 'unknown',
    resource: entry.resource ?? '*',
    policies: decidedBy === undefined ? [] : [decidedBy],
    reason: entry.reason,
    at: at.toISOString(),
  };
};

/**
 * A Lattice access-log entry's authorization: `vpc-lattice-svcs:Invoke` on the service's path,
 * decided by the network's and the service's auth policies (named by their ARNs). A request
 * refused before any policy (unsigned where a signature is needed, a bad signature) is a Deny
 * with no policy.
 *
 * @example
 * ```ts
 * latticeDecisionMessage(entry); // { kind: 'lattice', action: 'vpc-lattice-svcs:Invoke', ... }
 * ```
 */
export const latticeDecisionMessage = (entry: LatticeAccessLogEntry): DecisionLogMessage => {
  const denied = entry.authDeniedReason !== null || entry.failureReason === 'ClientAccessDenied';
  const policies =
    entry.authDeniedReason === 'Network'
      ? [entry.serviceNetworkArn]
      : entry.authDeniedReason === 'Service'
        ? [entry.serviceArn]
        : denied
          ? []
          : [entry.serviceNetworkArn, entry.serviceArn];
  return {
    kind: 'lattice',
    decision: denied ? 'Deny' : 'Allow',
    principal: entry.callerPrincipal ?? entry.resolvedUser,
    action: 'vpc-lattice-svcs:Invoke',
    resource: `${entry.serviceArn}${entry.requestPath}`,
    policies,
    reason: entry.authDeniedReason ?? (denied ? (entry.failureReason ?? 'Denied') : 'Allowed'),
    at: entry.startTime,
  };
};

/**
 * A Verified Access decision: the staff user (ID token `sub`) and device, the request, and the
 * group policy's deciding policies.
 *
 * @example
 * ```ts
 * verifiedAccessDecisionMessage(entry, new Date()); // { kind: 'verified-access', action: 'GET /order/admin/orders', ... }
 * ```
 */
export const verifiedAccessDecisionMessage = (
  entry: VerifiedAccessDecision,
  at: Date,
): DecisionLogMessage => ({
  kind: 'verified-access',
  decision: entry.decision,
  principal:
    entry.user === undefined
      ? 'anonymous'
      : `${entry.user}${entry.device === undefined ? '' : ` on ${entry.device}`}`,
  action: `${entry.method} ${entry.path}`,
  resource: entry.instanceArn,
  policies: entry.policies,
  reason: [entry.reason, ...entry.errors].join(': '),
  at: at.toISOString(),
});

/**
 * A REST API authorizer's decision: the authorizer's principal, `execute-api:Invoke` on the
 * method ARN, and the API whose authorizer decided.
 *
 * @example
 * ```ts
 * authorizerDecisionMessage(entry, new Date()); // { kind: 'authorizers', reason: 'Unauthorized', ... }
 * ```
 */
export const authorizerDecisionMessage = (
  entry: AuthorizationLogEntry,
  at: Date,
): DecisionLogMessage => ({
  kind: 'authorizers',
  decision: entry.decision,
  principal: entry.principalId ?? 'anonymous',
  action: 'execute-api:Invoke',
  resource: entry.methodArn,
  policies:
    entry.reason === 'Unauthorized' || entry.reason === 'AuthorizerError' ? [] : [entry.api],
  reason: entry.reason,
  at: at.toISOString(),
});

const entity = (ref: { readonly type: string; readonly id: string }) =>
  `${ref.type}::${JSON.stringify(ref.id)}`;

/**
 * A Verified Permissions IsAuthorized decision, in Cedar's terms: `Shop::User::"alice"`,
 * `Shop::Action::"ViewOrder"`, the determining policies' ids.
 *
 * @example
 * ```ts
 * verifiedPermissionsDecisionMessage(entry, new Date()); // { kind: 'verified-permissions', decision: 'Allow', ... }
 * ```
 */
export const verifiedPermissionsDecisionMessage = (
  entry: IsAuthorizedLogEntry,
  at: Date,
): DecisionLogMessage => {
  const allowed = entry.decision === 'ALLOW';
  return {
    kind: 'verified-permissions',
    decision: allowed ? 'Allow' : 'Deny',
    principal: entity(entry.principal),
    action: entity(entry.action),
    resource: entity(entry.resource),
    policies: entry.determiningPolicies,
    reason:
      entry.errors.length > 0
        ? entry.errors.join('; ')
        : allowed
          ? 'PermitMatched'
          : entry.determiningPolicies.length > 0
            ? 'ForbidMatched'
            : 'NoPermitMatched',
    at: at.toISOString(),
  };
};

/**
 * Writes each decision as one JSON message to its kind's log group (`SHOP_LOG_GROUPS.decisions`),
 * in the stream `local`, timestamped when it was decided; the groups are created when first
 * written.
 *
 * @example
 * ```ts
 * const write = decisionLogWriter(cloud.logs.logGroups);
 * write(iamDecisionMessage(entry, new Date()));
 * ```
 */
export const decisionLogWriter =
  (logGroups: LogGroups) =>
  (message: DecisionLogMessage): void => {
    const timestamp = Date.parse(message.at);
    logGroups.append(SHOP_LOG_GROUPS.decisions[message.kind], DECISION_LOG_STREAM, [
      {
        timestamp: Number.isNaN(timestamp) ? Date.now() : timestamp,
        message: JSON.stringify(message),
      },
    ]);
  };
