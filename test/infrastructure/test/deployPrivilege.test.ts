import { CONSOLE_FUNCTION_NAME } from '@shop/console';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { deployedServiceOf } from '@shop/deploy-identities';
import type { TemplateJson } from '@shop/service-stack/resolved-access';
import {
  DEPLOY_ROLE_PATH,
  DEPLOYED_APPS,
  type DeployedApp,
  deployNames,
  SERVICE_TAG,
} from '@shop/topology';
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
  STAFF_LISTENER,
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

/** Another service than `service` (the first for the console), to try its resources. */
const anotherThan = (service: DeployedApp): ServiceName =>
  SERVICE_NAMES.find((_, index) => SERVICE_NAMES[index - 1] === service) ?? 'order';

/** The console's function, log group, role, target group and a rule of the staff listener. */
const consoleFunction = arn('lambda', `function:${CONSOLE_FUNCTION_NAME}`);
const consoleLogGroup = arn('logs', `log-group:/aws/lambda/${CONSOLE_FUNCTION_NAME}`);
const consoleRole = iam(`role/shop/console/${CONSOLE_FUNCTION_NAME}-${REGION}`);
const targetGroup = (name: string) =>
  arn('elasticloadbalancing', `targetgroup/${name}/0a1b2c3d4e5f6003`);
const staffRule = arn(
  'elasticloadbalancing',
  `${STAFF_LISTENER.split(':').slice(5).join(':').replace('listener/', 'listener-rule/')}/0a1b2c3d4e5f6004`,
);

/** What the role a service's (or the console's) deploy workflow assumes may do, and what it may not. */
const workflowCells = (service: DeployedApp): DeployCell[] => {
  const other = anotherThan(service);
  const own = deployNames(service);
  const consoles =
    service === 'console'
      ? []
      : [
          cell(
            'Denied',
            'sts:AssumeRole',
            bootstrapRole(deployNames('console').qualifier, 'deploy'),
            "the console's bootstrap",
            taggedRole('console'),
          ),
          cell(
            'Denied',
            'cloudformation:GetTemplate',
            arn('cloudformation', 'stack/ShopConsole/1'),
          ),
        ];
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
    ...consoles,
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
    // Its staff route, and no one else's
    cell(
      'Allowed',
      'elasticloadbalancing:CreateTargetGroup',
      targetGroup(`${service}-staff`),
      `tag ${SERVICE_TAG}=${service}`,
      tagging(service),
    ),
    cell(
      'Denied',
      'elasticloadbalancing:CreateTargetGroup',
      targetGroup(`${service}-staff`),
      'untagged',
    ),
    cell(
      'Denied',
      'elasticloadbalancing:CreateTargetGroup',
      targetGroup(`${other}-staff`),
      `tag ${SERVICE_TAG}=${service}`,
      tagging(service),
    ),
    cell(
      'Allowed',
      'elasticloadbalancing:CreateRule',
      STAFF_LISTENER,
      `tag ${SERVICE_TAG}=${service}`,
      { ...tagging(service), ...tagged('platform') },
    ),
    cell(
      'Denied',
      'elasticloadbalancing:CreateRule',
      STAFF_LISTENER,
      'untagged',
      tagged('platform'),
    ),
    cell(
      'Denied',
      'elasticloadbalancing:CreateRule',
      STAFF_LISTENER,
      `tag ${SERVICE_TAG}=${other}`,
      { ...tagging(other), ...tagged('platform') },
    ),
    cell(
      'Denied',
      'elasticloadbalancing:CreateRule',
      STAFF_LISTENER.replace('shop-staff', 'another'),
      `another listener, tag ${SERVICE_TAG}=${service}`,
      { ...tagging(service), ...tagged('platform') },
    ),
    cell(
      'Allowed',
      'elasticloadbalancing:ModifyRule',
      staffRule,
      `tagged ${service}`,
      tagged(service),
    ),
    cell(
      'Allowed',
      'elasticloadbalancing:DeleteRule',
      staffRule,
      `tagged ${service}`,
      tagged(service),
    ),
    cell(
      'Allowed',
      'elasticloadbalancing:RegisterTargets',
      targetGroup(`${service}-staff`),
      `tagged ${service}`,
      tagged(service),
    ),
    cell(
      'Allowed',
      'elasticloadbalancing:ModifyTargetGroupAttributes',
      targetGroup(`${service}-staff`),
      `tagged ${service}`,
      tagged(service),
    ),
    cell('Allowed', 'elasticloadbalancing:DescribeRules', '*'),
    cell('Denied', 'elasticloadbalancing:ModifyRule', staffRule, `tagged ${other}`, tagged(other)),
    cell('Denied', 'elasticloadbalancing:DeleteRule', staffRule, `tagged ${other}`, tagged(other)),
    cell('Denied', 'elasticloadbalancing:ModifyRule', staffRule, 'untagged'),
    cell(
      'Denied',
      'elasticloadbalancing:DeleteTargetGroup',
      targetGroup(`${other}-staff`),
      `tagged ${other}`,
      tagged(other),
    ),
    cell(
      'Denied',
      'elasticloadbalancing:RegisterTargets',
      targetGroup(`${service}-staff`),
      `tagged ${other}`,
      tagged(other),
    ),
    cell(
      'Denied',
      'elasticloadbalancing:ModifyListener',
      STAFF_LISTENER,
      'tagged platform',
      tagged('platform'),
    ),
    // The staff console's
    cell('Denied', 'lambda:UpdateFunctionCode', consoleFunction),
    cell('Denied', 'logs:DeleteLogGroup', consoleLogGroup),
    cell('Denied', 'iam:PutRolePolicy', consoleRole),
    cell('Denied', 'iam:PassRole', consoleRole, 'to Lambda', {
      'iam:PassedToService': 'lambda.amazonaws.com',
    }),
    cell(
      'Denied',
      'elasticloadbalancing:DeleteTargetGroup',
      targetGroup(CONSOLE_FUNCTION_NAME),
      'tagged console',
      tagged('console'),
    ),
    cell(
      'Denied',
      'elasticloadbalancing:ModifyRule',
      staffRule,
      'tagged console',
      tagged('console'),
    ),
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

/** What the console's CloudFormation execution role may change, and what it may not. */
const consoleExecutionCells = (): DeployCell[] => {
  const boundary = (owner: string) => ({
    'iam:PermissionsBoundary': iam(`policy/shop-${owner}-boundary`),
  });
  const lambda = { 'iam:PassedToService': 'lambda.amazonaws.com' };
  return [
    cell('Allowed', 'lambda:UpdateFunctionCode', consoleFunction),
    cell('Allowed', 'lambda:AddPermission', consoleFunction),
    cell('Allowed', 'lambda:CreateFunction', consoleFunction, 'outside any VPC'),
    cell('Denied', 'lambda:CreateFunction', consoleFunction, 'in another VPC', {
      'lambda:VpcIds': OTHER_VPC,
      'lambda:SubnetIds': [OTHER_SUBNET],
      'lambda:SecurityGroupIds': [SECURITY_GROUP],
    }),
    cell('Allowed', 'logs:PutRetentionPolicy', consoleLogGroup),
    cell('Allowed', 'ssm:GetParameters', arn('ssm', 'parameter/shop/platform/staff-listener-arn')),
    cell('Allowed', 'ssm:GetParameters', arn('ssm', 'parameter/shop/identity/staff-user-pool-id')),
    cell('Denied', 'ssm:PutParameter', arn('ssm', 'parameter/shop/platform/staff-listener-arn')),
    // Its staff route, and no one else's
    cell(
      'Allowed',
      'elasticloadbalancing:CreateTargetGroup',
      targetGroup(CONSOLE_FUNCTION_NAME),
      `tag ${SERVICE_TAG}=console`,
      tagging('console'),
    ),
    cell(
      'Allowed',
      'elasticloadbalancing:CreateRule',
      STAFF_LISTENER,
      `tag ${SERVICE_TAG}=console`,
      { ...tagging('console'), ...tagged('platform') },
    ),
    cell(
      'Denied',
      'elasticloadbalancing:CreateTargetGroup',
      targetGroup(CONSOLE_FUNCTION_NAME),
      'untagged',
    ),
    cell(
      'Denied',
      'elasticloadbalancing:CreateRule',
      STAFF_LISTENER,
      'untagged',
      tagged('platform'),
    ),
    cell('Denied', 'elasticloadbalancing:CreateRule', STAFF_LISTENER, `tag ${SERVICE_TAG}=order`, {
      ...tagging('order'),
      ...tagged('platform'),
    }),
    cell(
      'Denied',
      'elasticloadbalancing:CreateRule',
      STAFF_LISTENER.replace('shop-staff', 'another'),
      `another listener, tag ${SERVICE_TAG}=console`,
      { ...tagging('console'), ...tagged('platform') },
    ),
    cell(
      'Allowed',
      'elasticloadbalancing:ModifyRule',
      staffRule,
      'tagged console',
      tagged('console'),
    ),
    cell(
      'Allowed',
      'elasticloadbalancing:RegisterTargets',
      targetGroup(CONSOLE_FUNCTION_NAME),
      'tagged console',
      tagged('console'),
    ),
    cell('Denied', 'elasticloadbalancing:ModifyRule', staffRule, 'tagged order', tagged('order')),
    cell('Denied', 'elasticloadbalancing:DeleteRule', staffRule, 'tagged order', tagged('order')),

    cell(
      'Denied',
      'elasticloadbalancing:DeleteTargetGroup',
      targetGroup('order-staff'),
      'tagged order',
      tagged('order'),
    ),
    cell(
      'Denied',
      'elasticloadbalancing:ModifyListener',
      STAFF_LISTENER,
      'tagged platform',
      tagged('platform'),
    ),
    // The services'
    cell('Denied', 'lambda:UpdateFunctionCode', arn('lambda', 'function:order-staff')),
    cell('Denied', 'lambda:InvokeFunction', arn('lambda', 'function:order-api')),
    cell('Denied', 'dynamodb:UpdateTable', arn('dynamodb', 'table/shop-order')),
    cell('Denied', 'sqs:SetQueueAttributes', arn('sqs', 'order-events')),
    cell('Denied', 'logs:DeleteLogGroup', arn('logs', 'log-group:/aws/lambda/order-api')),
    cell('Denied', 'events:DeleteEventBus', arn('events', 'event-bus/shop')),
    // IAM
    cell(
      'Allowed',
      'iam:CreateRole',
      consoleRole,
      'boundary shop-console-boundary',
      boundary('console'),
    ),
    cell('Denied', 'iam:CreateRole', consoleRole, 'no boundary'),
    cell(
      'Denied',
      'iam:CreateRole',
      iam(`role/shop/order/order-api-${REGION}`),
      'boundary shop-console-boundary',
      boundary('console'),
    ),
    cell('Allowed', 'iam:PutRolePolicy', consoleRole),
    cell('Denied', 'iam:PutRolePolicy', iam(`role/shop/order/order-api-${REGION}`)),
    cell('Allowed', 'iam:PassRole', consoleRole, 'to Lambda', lambda),
    cell('Denied', 'iam:PassRole', consoleRole, 'to EventBridge Scheduler', {
      'iam:PassedToService': 'scheduler.amazonaws.com',
    }),
    cell('Denied', 'iam:PassRole', iam(`role/shop/order/order-api-${REGION}`), 'to Lambda', lambda),
    cell('Denied', 'iam:DeleteRolePermissionsBoundary', consoleRole),
    cell('Denied', 'iam:CreatePolicyVersion', iam('policy/shop-console-boundary')),
  ];
};

/** Each service's (and the console's) deploy chain: its workflow's role, and its CloudFormation execution role. */
const chainOf = (template: TemplateJson, service: DeployedApp): Link[] => {
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
  if (link.service === 'console') {
    return link.boundary === undefined ? workflowCells('console') : consoleExecutionCells();
  }
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
    "service's deploy chain, and the staff console's (`ShopConsole`, ADR 0025), has two links of",
    'its own: the role its GitHub workflow assumes (`shop-deploy-<service>-<environment>`;',
    "staging's is shown, production's is the same but for its trust), and the CloudFormation",
    'execution role of its own CDK bootstrap, under its execution policy and permissions',
    "boundary. Between them sits the bootstrap's deploy role, which CDK creates and which may pass",
    'only that execution role. Every link carries the principal tag',
    `\`${SERVICE_TAG}=<service>\` (\`console\` for the console). Every cell is a request and the`,
    'decision it got; the test fails on any cell that differs from what is expected, and on a',
    'deliberately over-broad execution policy and boundary.',
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
  const links = DEPLOYED_APPS.flatMap((service) => chainOf(resolved, service));
  let outcomes: DeployOutcome[] = [];

  beforeAll(async () => {
    outcomes = await matrixOf(links);
  });

  it("lets each service's chain (and the console's) change only its own stack, and denies it everything else in the matrix", () => {
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
        `elasticloadbalancing:DeleteRule ${staffRule}`,
        `elasticloadbalancing:ModifyListener ${STAFF_LISTENER}`,
        `elasticloadbalancing:CreateTargetGroup ${targetGroup('inventory-staff')}`,
      ]),
    );
  });

  it("catches a deliberately over-broad execution policy and boundary of the console's", async () => {
    const execution = links.find((link) => link.name === 'cdk-console-cfn-exec-role');
    if (execution?.boundary === undefined) throw new Error('no execution role for the console');
    const everything = { Effect: 'Allow', Action: '*', Resource: '*' };
    const overBroad: Link = {
      ...execution,
      policy: { ...execution.policy, Statement: [...execution.policy.Statement, everything] },
      boundary: { Version: '2012-10-17', Statement: [everything] },
    };

    const found = deviations(await matrixOf([overBroad]));

    expect(
      found.map((d) => `${d.action} ${d.resource}${d.detail ? ` (${d.detail})` : ''}`),
    ).toEqual(
      expect.arrayContaining([
        `elasticloadbalancing:DeleteRule ${staffRule} (tagged order)`,
        `elasticloadbalancing:ModifyListener ${STAFF_LISTENER} (tagged platform)`,
        `lambda:UpdateFunctionCode ${arn('lambda', 'function:order-staff')}`,
        `iam:CreateRole ${iam(`role/shop/order/order-api-${REGION}`)} (boundary shop-console-boundary)`,
      ]),
    );
  });

  it('is documented in docs/security/deploy-privilege.md', async () => {
    await expect(markdown(links, outcomes)).toMatchFileSnapshot(
      '../../../docs/security/deploy-privilege.md',
    );
  });
});
