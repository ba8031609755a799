import type { CredentialsRegistry, IamEnforcement, LocalCredentials } from '@shop/local-cloud/iam';
import type { LocalAccess } from './localAccess.js';
import { LOCAL_ADMIN_POLICY, LOCAL_ADMIN_ROLE, localCredentials } from './principals.js';

/** The shop's IAM: the stacks' roles and policies, every role's key, and where decisions go. */
export interface ShopIam extends IamEnforcement {
  readonly credentials: CredentialsRegistry;
  /** The credentials of the role a function (or `<service>-outbox-pipe`) runs as. */
  credentialsOf(functionName: string): LocalCredentials;
  /** The local administrator's: the AWS CLI's and the tests' observer's, never a function's. */
  readonly admin: LocalCredentials;
}

/**
 * The IAM the local cloud enforces: the roles and policies of the shop's stacks (and the local
 * administrator's), one key per role, and every decision reported to `onDecision`.
 *
 * @example
 * ```ts
 * const iam = shopIam(localAccess({ region, busName: 'shop' }), { onDecision: (entry) => log.push(entry) });
 * startLocalCloud({ ..., iam });
 * ```
 */
export const shopIam = (
  access: LocalAccess,
  observers: Pick<IamEnforcement, 'onDecision' | 'onTiming'>,
): ShopIam => {
  const credentials = localCredentials(access);
  const find = (roleArn: string) => {
    const found = credentials.forRole(roleArn);
    if (found === undefined) throw new Error(`No credentials for ${roleArn}`);
    return found;
  };
  return {
    credentials,
    policies: {
      identity: { ...access.policies.identity, [LOCAL_ADMIN_ROLE]: [LOCAL_ADMIN_POLICY] },
      resource: access.policies.resource,
    },
    network: access.network,
    ...observers,
    credentialsOf: (functionName) => find(access.roleOf(functionName).arn),
    admin: find(LOCAL_ADMIN_ROLE),
  };
};
