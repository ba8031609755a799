import { readFileSync } from 'node:fs';
import type { ServiceName } from '@shop/contracts';
import type { IamPolicies, NetworkPlacement } from '@shop/local-cloud/iam';
import { latticeArn } from '@shop/local-cloud/lattice';
import {
  type AccessEnvironment,
  type ResolvedRole,
  resourcePoliciesOf,
  rolesOf,
  type TemplateJson,
  vpcEndpointServicesOf,
} from '@shop/service-stack/resolved-access';
import type { PolicyDocument } from '@shop/topology';
import { policyStoreId } from './policyStores.js';
import { LOCAL_ACCOUNT } from './principals.js';

/** The roles and policies the shop's stacks synthesize, resolved for the local account. */
export interface LocalAccess {
  /** Every role of the services' stacks (one per function, and each outbox Pipe's) and the console's. */
  readonly roles: readonly ResolvedRole[];
  readonly policies: IamPolicies;
  /** The functions placed in the shop's VPC reach only the services it has endpoints for. */
  readonly network: NetworkPlacement;
  /** The role a function runs as. */
  roleOf(functionName: string): ResolvedRole;
}

/** Generated from the synthesized stacks by `test/infrastructure/test/localAccess.test.ts`. */
const TEMPLATES = new URL('../access/templates.json', import.meta.url);

const documentOf = (statements: ResolvedRole['statements']): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements as PolicyDocument['Statement'],
});

/**
 * The roles, identity policies and resource policies (queue policies, the bus policy) of the
 * shop's CDK stacks, resolved for the local account and `region`: the local Lattice services'
 * ARNs, the local policy stores, the shop bus. Read from `access/templates.json`, which a test
 * regenerates from the synthesized stacks, so a grant changed in a manifest reaches the local
 * cloud once that file is regenerated.
 *
 * @example
 * ```ts
 * const access = localAccess({ region: 'eu-west-1', busName: 'shop' });
 * access.roleOf('order-api').arn; // 'arn:aws:iam::000000000000:role/shop/order/order-api-eu-west-1'
 * ```
 */
export const localAccess = (props: { readonly region: string; readonly busName: string }) => {
  const environment: AccessEnvironment = {
    account: LOCAL_ACCOUNT,
    region: props.region,
    busName: props.busName,
    latticeServiceArn: (service) =>
      latticeArn(props.region, LOCAL_ACCOUNT, 'service', `shop-${service}`),
    policyStoreId: (service) => policyStoreId(service as ServiceName),
    // DynamoDB Local names streams by creation time: the pipes' grants cover every label.
    streamLabel: '*',
  };
  const templates = JSON.parse(readFileSync(TEMPLATES, 'utf8')) as Record<string, TemplateJson>;
  const roles = Object.entries(templates).flatMap(([service, template]) =>
    service === 'platform' ? [] : rolesOf(environment, service, template),
  );
  const resource = Object.assign(
    {},
    ...Object.entries(templates).map(([service, template]) =>
      resourcePoliciesOf(environment, service, template),
    ),
  ) as IamPolicies['resource'];
  const byFunction = new Map(roles.map((role) => [role.name, role]));
  const vpcEndpoints: ReadonlySet<string> = new Set(
    templates['platform'] === undefined ? [] : vpcEndpointServicesOf(templates['platform']),
  );
  const inVpc = new Set(roles.filter((role) => role.inVpc).map((role) => role.arn));
  return {
    roles,
    policies: {
      identity: Object.fromEntries(roles.map((role) => [role.arn, [documentOf(role.statements)]])),
      resource,
    },
    network: {
      vpcEndpointsOf: (roleArn) => (inVpc.has(roleArn) ? vpcEndpoints : undefined),
    },
    roleOf: (functionName) => {
      const role = byFunction.get(functionName);
      if (role === undefined) throw new Error(`No role runs ${functionName}`);
      return role;
    },
  } satisfies LocalAccess;
};
