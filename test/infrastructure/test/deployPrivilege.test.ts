import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { deployedServiceOf } from '@shop/deploy-identities';
import type { TemplateJson } from '@shop/service-stack/resolved-access';
import { DEPLOY_ROLE_PATH, deployNames, SERVICE_TAG } from '@shop/topology';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type DeployCell,
  type DeployOutcome,
  evaluateLink,
  type Link,
  managedPolicy,
  rolePolicy,
  SHOP_SUBNETS,
  SHOP_VPC,
  withShopNetwork,
} from './deployPrivilege.js';
import { ACCOUNT, latticeServiceArn, REGION } from './leastPrivilege.js';
import { SHOP_SERVICES } from './shop.js';
import { synthesizeDeployIdentities } from './stacks.js';

const arn = (service: string, resource: string) =>
  `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const iam = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`;
const bootstrapRole = (qualifier: string, kind: string) =>
  iam(`role/cdk-${qualifier}-${kind}-role-${ACCOUNT}-${REGION}`);
const tagged = (owner: string) => ({ [`aws:ResourceTag/${SERVICE_TAG}`]: owner });
const taggedRole = (owner: string) => ({ [`iam:ResourceTag/${SERVICE_TAG}`]: owner });
const tagging = (owner: string) => ({
  [`aws:RequestTag/${SERVICE_TAG}`]: owner,
  'aws:TagKeys': [SERVICE_TAG],
});
const cell = (
  expected: DeployCell['expected'],
  action: string,
  resource: string,
  detail?: string,
  context?: DeployCell['context'],
): DeployCell => ({
  action,
  resource,
  expected,
  ...(detail !== undefined && { detail }),
  ...(context !== undefined && { context }),
});
const OTHER_VPC = 'vpc-0ffffffffffffffff';
const OTHER_SUBNET = 'subnet-0ffffffffffffffff';
const SECURITY_GROUP = 'sg-0a1b2c3d4e5f60001';

/** Another service than `service`, to try its resources. */
const anotherThan = (service: ServiceName): ServiceName =>
  SERVICE_NAMES[(SERVICE_NAMES.indexOf(service) + 1) % SERVICE_NAMES.length] ?? service;

/** What the role a service's deploy workflow assumes may do, and what it may not. */
const workflowCells = (service: ServiceName): DeployCell[] => {
  const other = anotherThan(service);
  const own = deployNames(service);
  return [
    ...['deploy', 'file-publishing', 'lookup'].map((kind) =>
      cell(
        'Allowed',
        'sts:AssumeRole',
        bootstrapRole(own.qualifier, kind),
        undefined,
        taggedRole(service),
      ),
    ),
    cell(
      'Denied',
      'sts:AssumeRole',
      bootstrapRole(own.qualifier, 'cfn-exec'),
      'only CloudFormation',
      taggedRole(service),
    ),
    cell(
      'Denied',
      'sts:AssumeRole',
      bootstrapRole(deployNames(other).qualifier, 'deploy'),
      `${other}'s bootstrap`,
      taggedRole(other),
    ),
    cell(
      'Denied',
      'sts:AssumeRole',
      bootstrapRole('hnb659fds', 'deploy'),
      'the default bootstrap (AdministratorAccess)',
      taggedRole('platform'),
    ),
    cell(
      'Allowed',
      'sts:TagSession',
      bootstrapRole(own.qualifier, 'deploy'),
      `tag ${SERVICE_TAG}=${service}`,
      tagging(service),
    ),
    cell(
      'Denied',
      'sts:TagSession',
      bootstrapRole(own.qualifier, 'deploy'),
      `tag ${SERVICE_TAG}=${other}`,
      tagging(other),
    ),
    cell(
      'Allowed',
      'cloudformation:GetTemplate',
      arn('cloudformation', `stack/${own.stackName}/1`),
    ),
    cell(
      'Denied',
      'cloudformation:GetTemplate',
      arn('cloudformation', `stack/${deployNames(other).stackName}/1`),
    ),
    cell('Denied', 'cloudformation:GetTemplate', arn('cloudformation', 'stack/ShopPlatform/1')),
    cell(
      'Denied',
      'cloudformation:UpdateStack',
      arn('cloudformation', `stack/${own.stackName}/1`),
      'only through its bootstrap',
    ),
    cell('Allowed', 'access-analyzer:ValidatePolicy', '*'),
    cell('Allowed', 'access-analyzer:CheckNoNewAccess', '*'),
    cell('Denied', 'iam:CreateRole', iam('role/anything')),
  ];
};

/** What a service's CloudFormation execution role may change, and what it may not. */
const executionCells = (service: ServiceName, queryCallers: readonly string[]): DeployCell[] => {
  const other = anotherThan(service);
  const boundary = (owner: string) => iam(`policy/shop-${owner}-boundary`);
  const fn = (name: string) => arn('lambda', `function:${name}`);
  const inVpc = (vpc: string, subnets: string[], groups: string[]) => ({
    'lambda:VpcIds': vpc,
    'lambda:SubnetIds': subnets,
    ...(groups.length > 0 && { 'lambda:SecurityGroupIds': groups }),
  });
  const caller = queryCallers[0];
  return [
    cell('Allowed', 'lambda:UpdateFunctionCode', fn(`${service}-api`)),
    cell('Denied', 'lambda:UpdateFunctionCode', fn(`${other}-api`)),
    cell('Allowed', 'dynamodb:UpdateTable', arn('dynamodb', `table/shop-${service}`)),
    cell('Denied', 'dynamodb:UpdateTable', arn('dynamodb', `table/shop-${other}`)),
    cell('Denied', 'dynamodb:DeleteTable', arn('dynamodb', `table/shop-${other}-idempotency`)),
    cell('Allowed', 'sqs:SetQueueAttributes', arn('sqs', `${service}-events`)),
    cell('Denied', 'sqs:SetQueueAttributes', arn('sqs', `${other}-events`)),
    cell('Allowed', 'events:PutRule', arn('events', `rule/shop/${service}-subscriptions`)),
    cell('Denied', 'events:PutRule', arn('events', `rule/shop/${other}-subscriptions`)),
    cell('Allowed', 'ssm:PutParameter', arn('ssm', `parameter/shop/${service}/api-url`)),
    cell('Denied', 'ssm:PutParameter', arn('ssm', `parameter/shop/${other}/api-url`)),
    cell('Allowed', 'ssm:GetParameters', arn('ssm', 'parameter/shop/platform/vpc-id')),
    // The platform
    cell('Denied', 'ssm:PutParameter', arn('ssm', 'parameter/shop/platform/vpc-id')),
    cell('Denied', 'events:DeleteEventBus', arn('events', 'event-bus/shop')),
    cell('Denied', 'ec2:DeleteVpc', arn('ec2', `vpc/${SHOP_VPC}`)),
    cell(
      'Denied',
      'vpc-lattice:UpdateServiceNetwork',
      arn('vpc-lattice', 'servicenetwork/sn-0a1b2c3d4e5f60001'),
      'tagged platform',
      tagged('platform'),
    ),
    // Tagged resources
    cell(
      'Allowed',
      'vpc-lattice:UpdateService',
      latticeServiceArn(service),
      `tagged ${service}`,
      tagged(service),
    ),
    cell(
      'Denied',
      'vpc-lattice:UpdateService',
      latticeServiceArn(other),
      `tagged ${other}`,
      tagged(other),
    ),
    cell(
      'Allowed',
      'vpc-lattice:CreateService',
      arn('vpc-lattice', 'service/*'),
      `tag ${SERVICE_TAG}=${service}`,
      tagging(service),
    ),
    cell(
      'Denied',
      'vpc-lattice:CreateService',
      arn('vpc-lattice', 'service/*'),
      `tag ${SERVICE_TAG}=${other}`,
      tagging(other),
    ),
    cell(
      'Denied',
      'lambda:TagResource',
      fn(`${service}-api`),
      `tag ${SERVICE_TAG}=${other}`,
      tagging(other),
    ),
    cell(
      'Denied',
      'verifiedpermissions:DeletePolicyStore',
      `arn:aws:verifiedpermissions::${ACCOUNT}:policy-store/PSEXAMPLEabcdefg111111`,
      `tagged ${other}`,
      tagged(other),
    ),
    // IAM
    cell(
      'Allowed',
      'iam:CreateRole',
      iam(`role/shop/${service}/${service}-api-${REGION}`),
      `boundary shop-${service}-boundary`,
      { 'iam:PermissionsBoundary': boundary(service) },
    ),
    cell(
      'Denied',
      'iam:CreateRole',
      iam(`role/shop/${service}/${service}-api-${REGION}`),
      'no boundary',
    ),
    cell(
      'Denied',
      'iam:CreateRole',
      iam(`role/shop/${service}/${service}-api-${REGION}`),
      `boundary shop-${other}-boundary`,
      { 'iam:PermissionsBoundary': boundary(other) },
    ),
    cell(
      'Denied',
      'iam:CreateRole',
      iam(`role/shop/${other}/${other}-api-${REGION}`),
      `boundary shop-${service}-boundary`,
      { 'iam:PermissionsBoundary': boundary(service) },
    ),
    cell('Denied', 'iam:CreateRole', iam('role/admin'), `boundary shop-${service}-boundary`, {
      'iam:PermissionsBoundary': boundary(service),
    }),
    cell('Allowed', 'iam:PutRolePolicy', iam(`role/shop/${service}/${service}-api-${REGION}`)),
    cell('Denied', 'iam:PutRolePolicy', iam(`role/shop/${other}/${other}-api-${REGION}`)),
    cell(
      'Allowed',
      'iam:PassRole',
      iam(`role/shop/${service}/${service}-api-${REGION}`),
      'to Lambda',
      { 'iam:PassedToService': 'lambda.amazonaws.com' },
    ),
    cell('Denied', 'iam:PassRole', iam(`role/shop/${other}/${other}-api-${REGION}`), 'to Lambda', {
      'iam:PassedToService': 'lambda.amazonaws.com',
    }),
    cell(
      'Denied',
      'iam:DeleteRolePermissionsBoundary',
      iam(`role/shop/${service}/${service}-api-${REGION}`),
    ),
    cell('Denied', 'iam:CreatePolicyVersion', iam(`policy/shop-${service}-boundary`)),
    // The Lambda VPC guardrail
    ...(caller === undefined
      ? []
      : [
          cell(
            'Allowed',
            'lambda:CreateFunction',
            fn(caller),
            'in the shop VPC, subnets, a security group',
            inVpc(SHOP_VPC, SHOP_SUBNETS, [SECURITY_GROUP]),
          ),
          cell('Denied', 'lambda:CreateFunction', fn(caller), 'outside any VPC'),
          cell(
            'Denied',
            'lambda:UpdateFunctionConfiguration',
            fn(caller),
            'in another VPC',
            inVpc(OTHER_VPC, [OTHER_SUBNET], [SECURITY_GROUP]),
          ),
          cell(
            'Denied',
            'lambda:UpdateFunctionConfiguration',
            fn(caller),
            'in the shop VPC, one subnet not its',
            inVpc(SHOP_VPC, [SHOP_SUBNETS[0] ?? '', OTHER_SUBNET], [SECURITY_GROUP]),
          ),
          cell(
            'Denied',
            'lambda:CreateFunction',
            fn(caller),
            'in the shop VPC, no security group',
            inVpc(SHOP_VPC, SHOP_SUBNETS, []),
          ),
        ]),
    cell(
      'Allowed',
      'lambda:CreateFunction',
      fn(`${service}-events`),
      'outside any VPC (calls no query)',
    ),
    cell(
      'Denied',
      'lambda:CreateFunction',
      fn(`${service}-events`),
      'in another VPC',
      inVpc(OTHER_VPC, [OTHER_SUBNET], [SECURITY_GROUP]),
    ),
  ];
};

/** Each service's deploy chain: its workflow's role, and its CloudFormation execution role. */
const chainOf = (template: TemplateJson, service: ServiceName): Link[] => {
  const names = deployNames(service);
  const role = names.role('staging');
  return [
    {
      name: role,
      arn: iam(`role${DEPLOY_ROLE_PATH}${role}`),
      service,
      policy: rolePolicy(template, role),
    },
    {
      name: `cdk-${names.qualifier}-cfn-exec-role`,
      arn: bootstrapRole(names.qualifier, 'cfn-exec'),
      service,
      policy: managedPolicy(template, names.executionPolicy),
      boundary: managedPolicy(template, names.boundary),
    },
  ];
};

const cellsOf = (link: Link): DeployCell[] => {
  const manifest = SHOP_SERVICES.find((candidate) => candidate.name === link.service);
  if (manifest === undefined) throw new Error(`no manifest for ${link.service}`);
  return link.boundary === undefined
    ? workflowCells(link.service)
    : executionCells(link.service, deployedServiceOf(manifest).queryCallers);
};

const matrixOf = async (links: readonly Link[]) => {
  const outcomes: DeployOutcome[] = [];
  for (const link of links) outcomes.push(...(await evaluateLink(link, cellsOf(link))));
  return outcomes;
};

const deviations = (outcomes: readonly DeployOutcome[]) =>
  outcomes.filter((outcome) => outcome.actual !== outcome.expected);

const markdown = (links: readonly Link[], outcomes: readonly DeployOutcome[]) => {
  const short = (resource: string) =>
    resource.replace(`:${REGION}:${ACCOUNT}:`, ':…:').replace(`::${ACCOUNT}:`, '::…:');
  const lines = [
    '# Deploy privilege, proven',
    '',
    'Generated by `test/infrastructure/test/deployPrivilege.test.ts` from the synthesized deploy',
    'identities app (`infra/deploy-identities`), evaluated with the IAM policy simulator',
    '`@cloud-copilot/iam-simulate` (AGPL-3.0, used only by tests and the local cloud). Each',
    "service's deploy chain has two links of its own: the role its GitHub workflow assumes",
    "(`shop-deploy-<service>-<environment>`; staging's is shown, production's is the same but for",
    'its trust), and the CloudFormation execution role of its own CDK bootstrap, under the',
    "service's execution policy and permissions boundary. Between them sits the bootstrap's deploy",
    'role, which CDK creates and which may pass only that execution role. Every link carries the',
    `principal tag \`${SERVICE_TAG}=<service>\`. Every cell is a request and the decision it got;`,
    'the test fails on any cell that differs from what is expected, and on a deliberately',
    'over-broad execution policy and boundary.',
    '',
    `${links.length} links, ${outcomes.length} cells: ${
      outcomes.filter((o) => o.actual === 'Allowed').length
    } allowed, ${outcomes.filter((o) => o.actual === 'Denied').length} denied.`,
  ];
  for (const link of links) {
    lines.push(
      '',
      `## ${link.name} (${link.service})`,
      '',
      '| Request | Resource | Decision |',
      '| --- | --- | --- |',
    );
    for (const o of outcomes.filter((outcome) => outcome.link === link.name)) {
      lines.push(
        `| ${o.action}${o.detail ? ` (${o.detail})` : ''} | ${short(o.resource)} | ${o.actual} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
};

describe('least privilege of the deploy pipeline, proven by policy simulation', () => {
  const { template } = synthesizeDeployIdentities();
  const resolved = withShopNetwork(template.toJSON() as TemplateJson);
  const links = SERVICE_NAMES.flatMap((service) => chainOf(resolved, service));
  let outcomes: DeployOutcome[] = [];

  beforeAll(async () => {
    outcomes = await matrixOf(links);
  });

  it("lets each service's chain change only that service, and denies it everything else in the matrix", () => {
    expect(outcomes.length).toBeGreaterThan(100);
    expect(deviations(outcomes)).toEqual([]);
  });

  it('catches a deliberately over-broad execution policy and boundary', async () => {
    const execution = links.find((link) => link.name === 'cdk-order-cfn-exec-role');
    if (execution?.boundary === undefined) throw new Error('no execution role for order');
    const everything = { Effect: 'Allow', Action: '*', Resource: '*' };
    const overBroad: Link = {
      ...execution,
      policy: { ...execution.policy, Statement: [...execution.policy.Statement, everything] },
      boundary: { Version: '2012-10-17', Statement: [everything] },
    };

    const found = deviations(await matrixOf([overBroad]));

    expect(found.map((d) => `${d.action} ${d.resource}`)).toEqual(
      expect.arrayContaining([
        `dynamodb:UpdateTable ${arn('dynamodb', 'table/shop-inventory')}`,
        `events:DeleteEventBus ${arn('events', 'event-bus/shop')}`,
        `iam:CreateRole ${iam('role/admin')}`,
        `iam:DeleteRolePermissionsBoundary ${iam(`role/shop/order/order-api-${REGION}`)}`,
      ]),
    );
  });

  it('is documented in docs/security/deploy-privilege.md', async () => {
    await expect(markdown(links, outcomes)).toMatchFileSnapshot(
      '../../../docs/security/deploy-privilege.md',
    );
  });
});
