import {
  type CredentialsRegistry,
  issueLocalCredentials,
  type LocalCredentials,
} from '@shop/local-cloud/iam';
import type { LatticePrincipal } from '@shop/local-cloud/lattice';
import type { PolicyDocument } from '@shop/topology';

/** The account and organization the local shop stands for. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_ORGANIZATION = 'o-localshop00';

/**
 * The role of whoever runs the shop on this machine, as an account's administrator: the AWS CLI,
 * the bus observer of the system tests. No function runs as it.
 */
export const LOCAL_ADMIN_ROLE = `arn:aws:iam::${LOCAL_ACCOUNT}:role/shop-local-admin`;

/**
 * The administrator's identity policy: everything, as `AdministratorAccess`, except invoking a
 * function. The administrator observes and operates the local cloud; into the shop it goes as
 * a user of the user pool, through the REST APIs, like everyone else.
 */
export const LOCAL_ADMIN_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    {
      Sid: 'EnterTheShopOnlyAsAUser',
      Effect: 'Deny',
      Action: ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl'],
      Resource: '*',
    },
  ],
};

/**
 * One local access key per role of the shop's stacks (each function's role, each outbox Pipe's)
 * and one for the local administrator, under a seed of this run: a function signs as its own
 * role session, `arn:aws:sts::<account>:assumed-role/<role>/<function>`, as Lambda names it.
 *
 * @example
 * ```ts
 * const credentials = localCredentials(localAccess({ region, busName: 'shop' }));
 * credentials.forRole(access.roleOf('order-api').arn)?.accessKeyId; // 'ASIA...'
 * ```
 */
export const localCredentials = (access: {
  /** Each role: its ARN, and the function (or Pipe) that runs as it. */
  readonly roles: readonly { readonly arn: string; readonly name: string }[];
}): CredentialsRegistry =>
  issueLocalCredentials({
    roles: [
      ...access.roles.map((role) => ({ roleArn: role.arn, sessionName: role.name })),
      { roleArn: LOCAL_ADMIN_ROLE, sessionName: 'local-admin' },
    ],
  });

/**
 * The Lattice gateway's view of local credentials: a principal of the shop's organization.
 *
 * @example
 * ```ts
 * const principal = latticePrincipalOf(credentials.forRole(roleArn));
 * ```
 */
export const latticePrincipalOf = (credentials: LocalCredentials): LatticePrincipal => ({
  accessKeyId: credentials.accessKeyId,
  secretAccessKey: credentials.secretAccessKey,
  roleArn: credentials.roleArn,
  sessionName: credentials.principal.slice(credentials.principal.lastIndexOf('/') + 1),
  account: LOCAL_ACCOUNT,
  organizationId: LOCAL_ORGANIZATION,
});

/**
 * Credentials of a principal in another account and organization, for trying the service
 * network's guardrail: every Lattice request signed with them is denied at the network policy.
 */
export const OUTSIDER_PRINCIPAL: LatticePrincipal = {
  accessKeyId: 'localoutsider',
  secretAccessKey: 'localoutsider',
  roleArn: 'arn:aws:iam::999999999999:role/outsider',
  sessionName: 'outsider',
  account: '999999999999',
  organizationId: 'o-elsewhere00',
};

/**
 * Every principal the local Lattice gateway knows: each role's credentials, and the outsider.
 *
 * @example
 * ```ts
 * startLatticeGateway({ ..., principals: localPrincipals(credentials) });
 * ```
 */
export const localPrincipals = (credentials: CredentialsRegistry): LatticePrincipal[] => [
  ...credentials.all.map(latticePrincipalOf),
  OUTSIDER_PRINCIPAL,
];
