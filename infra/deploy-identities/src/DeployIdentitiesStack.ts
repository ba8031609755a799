import { SERVICE_NAMES, type ServiceManifest } from '@shop/contracts';
import { PLATFORM_AZ_COUNT, PLATFORM_PARAMETERS } from '@shop/platform';
import {
  DEPLOY_ENVIRONMENTS,
  DEPLOY_REUSABLE_WORKFLOW,
  DEPLOY_ROLE_PATH,
  type DeployEnvironment,
  type DeployedApp,
  deployNames,
  PLATFORM_OWNER,
  SERVICE_TAG,
  serviceTopology,
} from '@shop/topology';
import { Fn, Stack, type StackProps, Tags, Token, Validations } from 'aws-cdk-lib';
import {
  Effect,
  FederatedPrincipal,
  ManagedPolicy,
  OidcProviderNative,
  PolicyStatement,
  Role,
  WebIdentityPrincipal,
} from 'aws-cdk-lib/aws-iam';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { boundaryStatements, type DeployScope, executionStatements } from './deployPolicies.js';

/** A value as cdk-nag prints it in its finding ids: a pseudo parameter as `<AWS::…>`. */
const asNagPrints = (value: string, pseudo: string) =>
  Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value;

/** A scope whose ARNs read as cdk-nag prints them. */
const asNagRendersIt = (scope: DeployScope): DeployScope => ({
  ...scope,
  partition: asNagPrints(scope.partition, 'Partition'),
  region: asNagPrints(scope.region, 'Region'),
  account: asNagPrints(scope.account, 'AccountId'),
});

/** Acknowledges each wildcard action and resource of the allowing statements, for one reason. */
const acknowledgeWildcards = (
  policy: ManagedPolicy,
  statements: readonly PolicyStatement[],
  reason: string,
): void => {
  const allowed = statements.filter((statement) => statement.effect === Effect.ALLOW);
  const ids = new Set([
    ...allowed
      .flatMap((statement) => statement.actions)
      .filter((action) => action.includes('*'))
      .map((action) => `AwsSolutions-IAM5[Action::${action}]`),
    ...allowed
      .flatMap((statement) => statement.resources)
      .filter((resource) => resource.includes('*'))
      .map((resource) => `AwsSolutions-IAM5[Resource::${resource}]`),
  ]);
  Validations.of(policy).acknowledge(...[...ids].map((id) => ({ id, reason })));
};

/** Whether a deployed app is one of the services (whose deploys check their event pacts). */
const isService = (name: DeployedApp): boolean =>
  (SERVICE_NAMES as readonly string[]).includes(name);

/** GitHub's OIDC issuer, and the audience `aws-actions/configure-aws-credentials` asks for. */
export const GITHUB_ISSUER = 'token.actions.githubusercontent.com';
export const GITHUB_AUDIENCE = 'sts.amazonaws.com';

/** One service (or the console) the pipeline deploys, and its functions that must run in the shop VPC. */
export interface DeployedService {
  readonly name: DeployedApp;
  readonly queryCallers: readonly string[];
}

/**
 * The staff console's stack (ADR 0025), deployed by a chain of its own: it calls no query, and
 * its deploy verifies no event pact (it neither publishes nor consumes events).
 *
 * @example
 * ```ts
 * services: [...manifests.map(deployedServiceOf), DEPLOYED_CONSOLE];
 * ```
 */
export const DEPLOYED_CONSOLE: DeployedService = { name: 'console', queryCallers: [] };

/**
 * What the deploy chain must know of a service, from its manifest: its name and the functions
 * that call queries.
 *
 * @example
 * ```ts
 * deployedServiceOf(orderService); // { name: 'order', queryCallers: ['order-api'] }
 * ```
 */
export const deployedServiceOf = (manifest: ServiceManifest): DeployedService => ({
  name: manifest.name,
  queryCallers: serviceTopology(manifest)
    .functions.filter((fn) => (fn.access.queries ?? []).length > 0)
    .map((fn) => fn.functionName),
});

export interface DeployIdentitiesStackProps extends StackProps {
  /** The GitHub repository the deploy workflows run in, `owner/name`. */
  readonly repository: string;
  /** The branch the deploy workflows run from. @default 'main' */
  readonly branch?: string;
  readonly services: readonly DeployedService[];
}

/**
 * The subject GitHub puts in the OIDC token of a job of `deploy-service.yml` called by a
 * service's `deploy-<service>.yml` for one environment, once the repository's subject template
 * includes `repo`, `context`, `workflow_ref` and `job_workflow_ref` (IAM checks only `sub` and
 * `aud` of a GitHub token, so the workflows are bound through the subject).
 *
 * @example
 * ```ts
 * deploySubject({ repository: 'octo/shop', service: 'order', environment: 'staging' });
 * // 'repo:octo/shop:environment:staging:workflow_ref:octo/shop/.github/workflows/deploy-order.yml@refs/heads/main:job_workflow_ref:octo/shop/.github/workflows/deploy-service.yml@refs/heads/main'
 * ```
 */
export const deploySubject = (props: {
  readonly repository: string;
  readonly service: DeployedApp;
  readonly environment: DeployEnvironment;
  readonly branch?: string;
}): string => {
  const ref = `refs/heads/${props.branch ?? 'main'}`;
  const workflow = (file: string) => `${props.repository}/.github/workflows/${file}@${ref}`;
  return [
    `repo:${props.repository}`,
    `environment:${props.environment}`,
    `workflow_ref:${workflow(deployNames(props.service).workflow)}`,
    `job_workflow_ref:${workflow(DEPLOY_REUSABLE_WORKFLOW)}`,
  ].join(':');
};

/**
 * The deploy pipeline's identities, deployed once per account and region after the platform:
 * GitHub's OIDC provider; per service, the managed policies its own CDK bootstrap runs
 * CloudFormation under (`shop-<service>-cfn-execution`, and `shop-<service>-boundary` as the
 * permissions boundary of that role and of every role the service's stack creates); and per
 * service and environment, the role its deploy workflow assumes, which may only assume the
 * service's own bootstrap roles, read the service's deployed template and ask Access Analyzer.
 * The staff console's stack (`DEPLOYED_CONSOLE`) gets a chain of its own in the same way.
 * Every role and policy carries `shop:service`.
 *
 * @example
 * ```ts
 * new DeployIdentitiesStack(app, 'ShopDeployIdentities', {
 *   env, repository: 'octo-org/zero-trust-shop',
 *   services: [{ name: 'order', queryCallers: ['order-api'] }, DEPLOYED_CONSOLE],
 * });
 * ```
 */
export class DeployIdentitiesStack extends Stack {
  readonly provider: OidcProviderNative;
  readonly roles: ReadonlyMap<string, Role>;

  constructor(scope: Construct, id: string, props: DeployIdentitiesStackProps) {
    super(scope, id, props);
    Tags.of(this).add(SERVICE_TAG, PLATFORM_OWNER);
    this.provider = new OidcProviderNative(this, 'GitHub', {
      url: `https://${GITHUB_ISSUER}`,
      clientIds: [GITHUB_AUDIENCE],
    });
    const parameter = (name: string) => StringParameter.valueForStringParameter(this, name);
    const network = {
      vpcId: parameter(PLATFORM_PARAMETERS.vpcId),
      subnetIds: Fn.split(',', parameter(PLATFORM_PARAMETERS.subnetIds), PLATFORM_AZ_COUNT),
    };
    const roles = new Map<string, Role>();
    for (const service of props.services) {
      const deployScope: DeployScope = {
        service: service.name,
        queryCallers: service.queryCallers,
        partition: this.partition,
        region: this.region,
        account: this.account,
        ...network,
        staffListenerArn: parameter(PLATFORM_PARAMETERS.staffListenerArn),
      };
      this.servicePolicies(deployScope);
      for (const environment of DEPLOY_ENVIRONMENTS) {
        const role = this.deployRole(service.name, environment, props);
        roles.set(role.node.id, role);
      }
    }
    this.roles = roles;
  }

  /** The CloudFormation execution policy and the permissions boundary of one service. */
  private servicePolicies(scope: DeployScope): void {
    const names = deployNames(scope.service);
    const service = scope.service;
    const execution = new ManagedPolicy(this, `${names.stackName}Execution`, {
      managedPolicyName: names.executionPolicy,
      description: `CloudFormation execution of ${service}'s own bootstrap: ${service}'s resources only`,
      statements: executionStatements(scope),
    });
    const boundary = new ManagedPolicy(this, `${names.stackName}Boundary`, {
      managedPolicyName: names.boundary,
      description: `Ceiling of ${service}'s CloudFormation execution role and of every role ${service}'s stack creates`,
      statements: boundaryStatements(scope),
    });
    for (const policy of [execution, boundary]) {
      Tags.of(policy).add(SERVICE_TAG, service);
    }
    acknowledgeWildcards(
      execution,
      executionStatements(asNagRendersIt(scope)),
      `CloudFormation creates, changes and deletes ${service}'s resources: wildcards only within ${service}'s own names, its own role path, or resources tagged shop:service=${service}.`,
    );
    acknowledgeWildcards(
      boundary,
      boundaryStatements(asNagRendersIt(scope)),
      'A permissions boundary is a ceiling, not a grant: it allows everything but what it denies, and the roles it bounds are granted by their own policies.',
    );
  }

  /** The role one service's deploy workflow assumes for one GitHub environment. */
  private deployRole(
    service: DeployedApp,
    environment: DeployEnvironment,
    props: DeployIdentitiesStackProps,
  ): Role {
    const names = deployNames(service);
    const claims = {
      [`${GITHUB_ISSUER}:aud`]: GITHUB_AUDIENCE,
      [`${GITHUB_ISSUER}:sub`]: deploySubject({
        repository: props.repository,
        service,
        environment,
        ...(props.branch !== undefined && { branch: props.branch }),
      }),
    };
    const role = new Role(
      this,
      `${names.stackName}${environment === 'staging' ? 'Staging' : 'Production'}`,
      {
        roleName: names.role(environment),
        path: DEPLOY_ROLE_PATH,
        description: `GitHub Actions: deploy-${service}.yml to ${environment}, ${service}'s bootstrap only`,
        assumedBy: new WebIdentityPrincipal(this.provider.oidcProviderArn, {
          StringEquals: claims,
        }),
      },
    );
    Tags.of(role).add(SERVICE_TAG, service);
    role.assumeRolePolicy?.addStatements(
      new PolicyStatement({
        sid: 'SessionTagsOnlyOfItsOwnService',
        actions: ['sts:TagSession'],
        principals: [new FederatedPrincipal(this.provider.oidcProviderArn)],
        conditions: {
          StringEquals: { ...claims, [`aws:RequestTag/${SERVICE_TAG}`]: service },
          'ForAllValues:StringEquals': { 'aws:TagKeys': [SERVICE_TAG] },
        },
      }),
    );
    const bootstrapRoles = ['deploy', 'file-publishing', 'lookup'].map(
      (kind) =>
        `arn:${this.partition}:iam::${this.account}:role/cdk-${names.qualifier}-${kind}-role-${this.account}-${this.region}`,
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'AssumeItsOwnBootstrapRoles',
        actions: ['sts:AssumeRole'],
        resources: bootstrapRoles,
        conditions: {
          StringEquals: {
            [`iam:ResourceTag/${SERVICE_TAG}`]: `\${aws:PrincipalTag/${SERVICE_TAG}}`,
          },
        },
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'TagSessionsOnlyAsItsOwnService',
        actions: ['sts:TagSession'],
        resources: bootstrapRoles,
        conditions: {
          StringEquals: {
            [`aws:RequestTag/${SERVICE_TAG}`]: `\${aws:PrincipalTag/${SERVICE_TAG}}`,
          },
          'ForAllValues:StringEquals': { 'aws:TagKeys': [SERVICE_TAG] },
        },
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadItsDeployedTemplate',
        actions: ['cloudformation:GetTemplate', 'cloudformation:DescribeStacks'],
        resources: [
          `arn:${this.partition}:cloudformation:${this.region}:${this.account}:stack/${names.stackName}/*`,
        ],
      }),
    );
    // can-i-deploy: the commits the other services run in this environment, and its own once
    // deployed. The console publishes and consumes no event: its deploy checks no pact.
    const deployedCommit = (name: string) =>
      `arn:${this.partition}:ssm:${this.region}:${this.account}:parameter/shop/${environment}/deployed/${name}`;
    if (isService(service)) {
      role.addToPolicy(
        new PolicyStatement({
          sid: 'RecordItsDeployedCommit',
          actions: ['ssm:PutParameter'],
          resources: [deployedCommit(service)],
        }),
      );
    }
    const others = props.services
      .map(({ name }) => name)
      .filter((name) => isService(service) && isService(name) && name !== service);
    if (others.length > 0) {
      role.addToPolicy(
        new PolicyStatement({
          sid: 'ReadTheCommitsTheOtherServicesRun',
          actions: ['ssm:GetParameter'],
          resources: others.map(deployedCommit),
        }),
      );
    }
    role.addToPolicy(
      new PolicyStatement({
        sid: 'CheckPoliciesBeforeDeploying',
        actions: [
          'access-analyzer:ValidatePolicy',
          'access-analyzer:CheckNoNewAccess',
          'access-analyzer:CheckAccessNotGranted',
        ],
        resources: ['*'],
      }),
    );
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Access Analyzer policy checks (ValidatePolicy, CheckNoNewAccess, CheckAccessNotGranted) support no resource-level permissions.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudformation:${asNagPrints(this.region, 'Region')}:${asNagPrints(this.account, 'AccountId')}:stack/${names.stackName}/*]`,
        reason: `The stack id after ${names.stackName}/ changes when the stack is recreated; the name is fixed.`,
      },
    );
    return role;
  }
}
