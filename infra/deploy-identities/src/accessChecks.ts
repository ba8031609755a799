import {
  type AccessEnvironment,
  type Json,
  resolveTemplateValue,
  type TemplateJson,
} from '@shop/service-stack/resolved-access';
import type { DeployedApp } from '@shop/topology';

/** Whose policy a document is, for Access Analyzer. */
export type PolicyType = 'IDENTITY_POLICY' | 'RESOURCE_POLICY';

/** One IAM policy of a template: where it is, its kind, and its document resolved. */
export interface TemplatePolicy {
  /** The logical id, and the property for a role's trust policy. */
  readonly id: string;
  readonly policyType: PolicyType;
  /** Set for a role's trust policy, which ValidatePolicy checks as its own kind. */
  readonly resourceType?: 'AWS::IAM::AssumeRolePolicyDocument';
  readonly document: string;
}

/** What one request for access must never be granted. */
export interface ForbiddenAccess {
  readonly actions: readonly string[];
  readonly resources?: readonly string[];
}

/** A function of the shop, and the service (or the console) whose stack holds it. */
export interface OwnedFunction {
  readonly owner: DeployedApp;
  readonly functionName: string;
}

/**
 * What no policy of `app`'s template may grant: passing any role, scanning any table, and
 * invoking a function of another stack (each other service's, and the console's).
 *
 * @example
 * ```ts
 * forbiddenAccessOf('console', { partition: 'aws', region, account }, functions);
 * // [{ actions: ['iam:PassRole'] }, { actions: ['dynamodb:Scan'] },
 * //  { actions: ['lambda:InvokeFunction'], resources: ['arn:aws:lambda:…:function:order-api', …] }]
 * ```
 */
export const forbiddenAccessOf = (
  app: DeployedApp,
  where: { readonly partition: string; readonly region: string; readonly account: string },
  functions: readonly OwnedFunction[],
): ForbiddenAccess[] => [
  { actions: ['iam:PassRole'] },
  { actions: ['dynamodb:Scan'] },
  {
    actions: ['lambda:InvokeFunction'],
    resources: functions
      .filter((fn) => fn.owner !== app)
      .map(
        (fn) =>
          `arn:${where.partition}:lambda:${where.region}:${where.account}:function:${fn.functionName}`,
      ),
  },
];

/** The three Access Analyzer policy checks, as the deploy uses them. */
export interface PolicyChecker {
  /** The findings of ValidatePolicy, by type (`ERROR`, `SECURITY_WARNING`, ...) and issue. */
  validate(policy: TemplatePolicy): Promise<readonly { type: string; issue: string }[]>;
  /** CheckNoNewAccess: whether `policy` grants anything `previous` did not. */
  grantsNewAccess(policy: TemplatePolicy, previous: TemplatePolicy): Promise<boolean>;
  /** CheckAccessNotGranted: whether `policy` grants any of `access`. */
  grants(policy: TemplatePolicy, access: ForbiddenAccess): Promise<boolean>;
}

/** The policy-bearing properties of a template, by resource type. */
const POLICIES: Readonly<Record<string, readonly [string, PolicyType][]>> = {
  'AWS::IAM::Policy': [['PolicyDocument', 'IDENTITY_POLICY']],
  'AWS::IAM::ManagedPolicy': [['PolicyDocument', 'IDENTITY_POLICY']],
  'AWS::IAM::Role': [['AssumeRolePolicyDocument', 'RESOURCE_POLICY']],
  'AWS::SQS::QueuePolicy': [['PolicyDocument', 'RESOURCE_POLICY']],
  'AWS::VpcLattice::AuthPolicy': [['Policy', 'RESOURCE_POLICY']],
};

/** A service's own Lattice service, named by `Fn::GetAtt` in its auth policy, as its ARN. */
const withOwnLatticeService = (
  environment: AccessEnvironment,
  service: DeployedApp,
  template: TemplateJson,
  value: Json,
): Json => {
  if (Array.isArray(value))
    return value.map((item) => withOwnLatticeService(environment, service, template, item));
  if (value === null || typeof value !== 'object') return value;
  const getAtt = value['Fn::GetAtt'];
  if (
    Array.isArray(getAtt) &&
    template.Resources[String(getAtt[0])]?.Type === 'AWS::VpcLattice::Service'
  ) {
    return environment.latticeServiceArn(service);
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      withOwnLatticeService(environment, service, template, item),
    ]),
  );
};

/**
 * Every IAM policy of a synthesized (or deployed) template, its intrinsics resolved in the
 * target account, so that Access Analyzer reads real ARNs.
 *
 * @example
 * ```ts
 * policiesOf(environment, 'order', template).map((policy) => policy.id);
 * // ['apiRoleDefaultPolicy...', 'apiRole...:AssumeRolePolicyDocument', ...]
 * ```
 */
export const policiesOf = (
  environment: AccessEnvironment,
  service: DeployedApp,
  template: TemplateJson,
): TemplatePolicy[] =>
  Object.entries(template.Resources).flatMap(([id, resource]) =>
    (POLICIES[resource.Type] ?? []).flatMap(([property, policyType]) => {
      const value = resource.Properties?.[property];
      if (value === undefined) return [];
      const document = resolveTemplateValue(
        environment,
        service,
        template,
        withOwnLatticeService(environment, service, template, value as Json),
      );
      const trust = property === 'AssumeRolePolicyDocument';
      return [
        {
          id: trust ? `${id}:${property}` : id,
          policyType,
          ...(trust && { resourceType: 'AWS::IAM::AssumeRolePolicyDocument' as const }),
          document: JSON.stringify(document),
        },
      ];
    }),
  );

/** The outcome of the checks: what fails the deploy, and what its reviewers should see. */
export interface AccessCheckReport {
  readonly failures: readonly string[];
  readonly newAccess: readonly string[];
  readonly checked: number;
}

/**
 * Checks a service's template before it is deployed: every policy passes ValidatePolicy without
 * an `ERROR` or `SECURITY_WARNING`; no identity policy grants any of `forbidden`; and each
 * policy that was deployed before is compared with it by CheckNoNewAccess (new access is
 * reported, for the environment's reviewers, not failed: the least-privilege matrix has already
 * been reviewed in the change).
 *
 * @example
 * ```ts
 * const report = await checkDeployAccess({ policies, deployed, forbidden, checker });
 * if (report.failures.length > 0) process.exitCode = 1;
 * ```
 */
export const checkDeployAccess = async (props: {
  readonly policies: readonly TemplatePolicy[];
  readonly deployed: readonly TemplatePolicy[];
  readonly forbidden: readonly ForbiddenAccess[];
  readonly checker: PolicyChecker;
}): Promise<AccessCheckReport> => {
  const failures: string[] = [];
  const newAccess: string[] = [];
  for (const policy of props.policies) {
    for (const finding of await props.checker.validate(policy)) {
      if (finding.type === 'ERROR' || finding.type === 'SECURITY_WARNING') {
        failures.push(`${policy.id}: ${finding.type} ${finding.issue}`);
      }
    }
    if (policy.policyType === 'IDENTITY_POLICY') {
      for (const access of props.forbidden) {
        if (await props.checker.grants(policy, access)) {
          failures.push(
            `${policy.id}: grants ${access.actions.join(', ')}${access.resources ? ` on ${access.resources.join(', ')}` : ''}`,
          );
        }
      }
    }
    const previous = props.deployed.find((candidate) => candidate.id === policy.id);
    if (previous === undefined) newAccess.push(`${policy.id}: new policy`);
    else if (await props.checker.grantsNewAccess(policy, previous)) {
      newAccess.push(`${policy.id}: grants new access`);
    }
  }
  return { failures, newAccess, checked: props.policies.length };
};
