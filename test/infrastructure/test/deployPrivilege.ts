import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Json, TemplateJson } from '@shop/service-stack/resolved-access';
import { type DeployedApp, SERVICE_TAG } from '@shop/topology';
import { ACCOUNT, REGION, resolve } from './leastPrivilege.js';

/** The shop VPC and its subnets, as the tests' account has them. */
export const SHOP_VPC = 'vpc-0a1b2c3d4e5f60001';
export const SHOP_SUBNETS = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'];
/** The staff load balancer's HTTPS listener, as the tests' account has it. */
export const STAFF_LISTENER = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/shop-staff/0a1b2c3d4e5f6001/0a1b2c3d4e5f6002`;

/** A policy document. */
export interface Document {
  readonly Version: '2012-10-17';
  readonly Statement: Json[];
}

/** One link of a service's (or the console's) deploy chain: a principal, its policies and its boundary. */
export interface Link {
  readonly name: string;
  readonly arn: string;
  readonly service: DeployedApp;
  readonly policy: Document;
  readonly boundary?: Document;
}

/** One request and the decision it must get. */
export interface DeployCell {
  readonly action: string;
  readonly resource: string;
  /** What the row says of the request beyond its action and resource. */
  readonly detail?: string;
  readonly context?: Record<string, string | string[]>;
  readonly expected: 'Allowed' | 'Denied';
}

export interface DeployOutcome extends DeployCell {
  readonly link: string;
  readonly actual: 'Allowed' | 'Denied';
}

/**
 * The deploy identities template with the platform's SSM parameters (the shop VPC, its subnets
 * and the staff listener) replaced by the values they hold in the tests' account.
 */
export const withShopNetwork = (template: TemplateJson): TemplateJson => {
  const parameters = template.Parameters ?? {};
  const parameterOf = (name: string) =>
    Object.keys(parameters).find((id) => parameters[id]?.Default === name);
  const vpc = parameterOf('/shop/platform/vpc-id');
  const subnets = parameterOf('/shop/platform/subnet-ids');
  const listener = parameterOf('/shop/platform/staff-listener-arn');
  const replace = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(replace);
    if (value === null || typeof value !== 'object') return value;
    if (value['Ref'] === vpc) return SHOP_VPC;
    if (value['Ref'] === listener) return STAFF_LISTENER;
    const select = value['Fn::Select'];
    if (Array.isArray(select) && JSON.stringify(select[1]).includes(`"Ref":"${subnets}"`)) {
      return SHOP_SUBNETS[Number(select[0])] ?? null;
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replace(item)]));
  };
  return replace(template as unknown as Json) as unknown as TemplateJson;
};

/** A managed policy of the template, by name, resolved in the tests' account. */
export const managedPolicy = (template: TemplateJson, name: string): Document => {
  const found = Object.values(template.Resources).find(
    (resource) =>
      resource.Type === 'AWS::IAM::ManagedPolicy' &&
      resource.Properties?.['ManagedPolicyName'] === name,
  );
  if (found === undefined) throw new Error(`no managed policy ${name}`);
  return resolve(template, found.Properties?.['PolicyDocument'] ?? null) as unknown as Document;
};

/** The identity policy of a role of the template, by role name, resolved in the tests' account. */
export const rolePolicy = (template: TemplateJson, roleName: string): Document => {
  const [roleId] =
    Object.entries(template.Resources).find(
      ([, resource]) =>
        resource.Type === 'AWS::IAM::Role' && resource.Properties?.['RoleName'] === roleName,
    ) ?? [];
  const statements = Object.values(template.Resources)
    .filter(
      (resource) =>
        resource.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(resource.Properties?.['Roles']).includes(`"Ref":"${roleId}"`),
    )
    .flatMap(
      (resource) =>
        (resolve(template, resource.Properties?.['PolicyDocument'] ?? null) as unknown as Document)
          .Statement,
    );
  return { Version: '2012-10-17', Statement: statements };
};

/** Evaluates one link of the chain against its cells, with its service as principal tag. */
export const evaluateLink = async (
  link: Link,
  cells: readonly DeployCell[],
): Promise<DeployOutcome[]> => {
  const outcomes: DeployOutcome[] = [];
  for (const cell of cells) {
    const response = await runSimulation(
      {
        identityPolicies: [{ name: link.name, policy: link.policy }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(link.boundary && {
          permissionBoundaryPolicies: [{ name: `${link.name}-boundary`, policy: link.boundary }],
        }),
        request: {
          action: cell.action,
          principal: link.arn,
          resource: { accountId: ACCOUNT, resource: cell.resource },
          contextVariables: {
            'aws:PrincipalArn': link.arn,
            'aws:PrincipalAccount': ACCOUNT,
            [`aws:PrincipalTag/${SERVICE_TAG}`]: link.service,
            ...cell.context,
          },
        },
      } as Parameters<typeof runSimulation>[0],
      {},
    );
    if (response.resultType === 'error') {
      throw new Error(`${link.name} ${cell.action}: ${JSON.stringify(response.errors)}`);
    }
    outcomes.push({
      ...cell,
      link: link.name,
      actual: response.overallResult === 'Allowed' ? 'Allowed' : 'Denied',
    });
  }
  return outcomes;
};
