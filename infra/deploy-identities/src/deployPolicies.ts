import { CONSOLE_FUNCTION_NAME, CONSOLE_ROLE_PATH } from '@shop/console';
import { DEPLOYED_APPS, type DeployedApp, deployNames, SERVICE_TAG } from '@shop/topology';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';

/** Where a service's (or the console's) deploy chain runs, and the shop VPC its query callers must run in. */
export interface DeployScope {
  readonly service: DeployedApp;
  /** The functions of the service that call other services' queries: they run in the shop VPC. */
  readonly queryCallers: readonly string[];
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** The shop VPC's id. */
  readonly vpcId: string;
  /** The shop VPC's isolated subnets. */
  readonly subnetIds: readonly string[];
  /** The staff load balancer's HTTPS listener, which the console adds its rule to. */
  readonly staffListenerArn: string;
}

const PRINCIPAL_SERVICE = `\${aws:PrincipalTag/${SERVICE_TAG}}`;
const REQUEST_TAG = `aws:RequestTag/${SERVICE_TAG}`;
const RESOURCE_TAG = `aws:ResourceTag/${SERVICE_TAG}`;

/**
 * The ARN patterns of the resources a service names after itself, by IAM service prefix; for the
 * console, its one function, log group and target group (`shop-console`) and its role path.
 */
export const namedResources = (scope: DeployScope, service: DeployedApp = scope.service) => {
  const { partition, region, account } = scope;
  const arn = (prefix: string, resource: string) =>
    `arn:${partition}:${prefix}:${region}:${account}:${resource}`;
  const stack = deployNames(service).stackName;
  if (service === 'console') {
    return {
      dynamodb: [],
      sqs: [],
      lambda: [arn('lambda', `function:${CONSOLE_FUNCTION_NAME}`)],
      logs: [
        arn('logs', `log-group:/aws/lambda/${CONSOLE_FUNCTION_NAME}`),
        arn('logs', `log-group:/aws/lambda/${CONSOLE_FUNCTION_NAME}:*`),
      ],
      events: [],
      scheduler: [],
      pipes: [],
      cloudwatch: [],
      ssm: [],
      elasticloadbalancing: [arn('elasticloadbalancing', `targetgroup/${CONSOLE_FUNCTION_NAME}/*`)],
      iam: [`arn:${partition}:iam::${account}:role${CONSOLE_ROLE_PATH}*`],
    };
  }
  return {
    dynamodb: [
      arn('dynamodb', `table/shop-${service}`),
      arn('dynamodb', `table/shop-${service}/*`),
      arn('dynamodb', `table/shop-${service}-*`),
    ],
    sqs: [arn('sqs', `${service}-*`)],
    lambda: [arn('lambda', `function:${service}-*`)],
    logs: [
      arn('logs', `log-group:/aws/lambda/${service}-*`),
      arn('logs', `log-group:/aws/vpc-lattice/shop-${service}`),
      arn('logs', `log-group:/aws/vpc-lattice/shop-${service}:*`),
    ],
    events: [arn('events', `rule/shop/${service}-*`)],
    scheduler: [arn('scheduler', `schedule/default/${service}-*`)],
    pipes: [arn('pipes', `pipe/${service}-*`)],
    cloudwatch: [arn('cloudwatch', `alarm:${stack}-*`)],
    ssm: [arn('ssm', `parameter/shop/${service}/*`)],
    elasticloadbalancing: [arn('elasticloadbalancing', `targetgroup/${service}-*/*`)],
    iam: [`arn:${partition}:iam::${account}:role/shop/${service}/*`],
  };
};

/** The managed policy a service's own permissions boundary is, as an ARN. */
export const boundaryArn = (scope: DeployScope) =>
  `arn:${scope.partition}:iam::${scope.account}:policy/${deployNames(scope.service).boundary}`;

/**
 * Its staff route on the platform's staff load balancer (ADRs 0021, 0025): its target group by
 * name and its rule only on the staff listener, both created only tagged as itself (the tag only
 * as they are created) and changed or deleted only while so tagged, so never another chain's
 * target group or rule nor the listener; the load balancer's descriptions read-only. A rule has
 * no name to scope by: the tag is what keeps each chain off the others' rules.
 */
const staffRoute = (scope: DeployScope): PolicyStatement[] => {
  const named = namedResources(scope);
  const { partition, region, account } = scope;
  const rules = `arn:${partition}:elasticloadbalancing:${region}:${account}:listener-rule/app/*/*/*/*`;
  return [
    new PolicyStatement({
      sid: 'CreateItsTargetGroupTaggedAsItself',
      actions: ['elasticloadbalancing:CreateTargetGroup'],
      resources: named.elasticloadbalancing,
      conditions: { StringEquals: { [REQUEST_TAG]: PRINCIPAL_SERVICE } },
    }),
    new PolicyStatement({
      sid: 'CreateItsRuleOnTheStaffListenerTaggedAsItself',
      actions: ['elasticloadbalancing:CreateRule'],
      resources: [scope.staffListenerArn],
      conditions: { StringEquals: { [REQUEST_TAG]: PRINCIPAL_SERVICE } },
    }),
    new PolicyStatement({
      sid: 'TagItsStaffRouteAsItCreatesIt',
      actions: ['elasticloadbalancing:AddTags'],
      resources: [...named.elasticloadbalancing, rules],
      conditions: {
        StringEquals: {
          [REQUEST_TAG]: PRINCIPAL_SERVICE,
          'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateRule'],
        },
      },
    }),
    new PolicyStatement({
      sid: 'ChangeOnlyItsOwnTargetGroup',
      actions: [
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:RegisterTargets',
        'elasticloadbalancing:DeregisterTargets',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:RemoveTags',
      ],
      resources: named.elasticloadbalancing,
      conditions: { StringEquals: { [RESOURCE_TAG]: PRINCIPAL_SERVICE } },
    }),
    new PolicyStatement({
      sid: 'ChangeOnlyItsOwnRules',
      actions: [
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:SetRulePriorities',
        'elasticloadbalancing:DeleteRule',
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:RemoveTags',
      ],
      resources: [rules],
      conditions: { StringEquals: { [RESOURCE_TAG]: PRINCIPAL_SERVICE } },
    }),
    new PolicyStatement({
      sid: 'DescribeTheStaffLoadBalancer',
      actions: [
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTags',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetHealth',
      ],
      resources: ['*'],
    }),
  ];
};

/**
 * What creating, changing or deleting a service's stack needs, on what only that service owns,
 * its staff route included.
 */
const ownResources = (scope: DeployScope): PolicyStatement[] => {
  const named = namedResources(scope);
  const { partition, region, account } = scope;
  const functions = named.lambda;
  return [
    new PolicyStatement({
      sid: 'ItsOwnNamedResources',
      actions: [
        'dynamodb:*',
        'sqs:*',
        'lambda:*',
        'logs:*',
        'events:*',
        'scheduler:*',
        'pipes:*',
        'cloudwatch:*',
        'ssm:*',
      ],
      resources: [
        ...named.dynamodb,
        ...named.sqs,
        ...named.lambda,
        ...named.logs,
        ...named.events,
        ...named.scheduler,
        ...named.pipes,
        ...named.cloudwatch,
        ...named.ssm,
      ],
    }),
    new PolicyStatement({
      sid: 'ItsOwnEventSourceMappings',
      actions: [
        'lambda:CreateEventSourceMapping',
        'lambda:GetEventSourceMapping',
        'lambda:UpdateEventSourceMapping',
        'lambda:DeleteEventSourceMapping',
      ],
      resources: ['*'],
      conditions: { ArnLike: { 'lambda:FunctionArn': functions } },
    }),
    new PolicyStatement({
      sid: 'ReadWhatItIsConfiguredFrom',
      actions: ['ssm:GetParameter', 'ssm:GetParameters'],
      resources: [
        `arn:${partition}:ssm:${region}:${account}:parameter/shop/platform/*`,
        `arn:${partition}:ssm:${region}:${account}:parameter/shop/identity/*`,
        `arn:${partition}:ssm:${region}:${account}:parameter/shop/*/queries-*`,
        `arn:${partition}:ssm:${region}:${account}:parameter/cdk-bootstrap/${deployNames(scope.service).qualifier}/version`,
      ],
    }),
    new PolicyStatement({
      sid: 'CreateOnlyTaggedAsItself',
      actions: [
        'apigateway:POST',
        'apigateway:PUT',
        'vpc-lattice:CreateService',
        'vpc-lattice:CreateListener',
        'vpc-lattice:CreateTargetGroup',
        'vpc-lattice:CreateServiceNetworkServiceAssociation',
        'vpc-lattice:CreateAccessLogSubscription',
        'vpc-lattice:TagResource',
        'verifiedpermissions:CreatePolicyStore',
        'verifiedpermissions:TagResource',
        'ec2:CreateSecurityGroup',
        'ec2:CreateTags',
      ],
      resources: ['*'],
      conditions: { StringEquals: { [REQUEST_TAG]: PRINCIPAL_SERVICE } },
    }),
    new PolicyStatement({
      sid: 'ChangeOnlyWhatIsTaggedAsItself',
      actions: [
        'apigateway:*',
        'vpc-lattice:*',
        'verifiedpermissions:*',
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:DeleteSecurityGroup',
      ],
      resources: ['*'],
      conditions: { StringEquals: { [RESOURCE_TAG]: PRINCIPAL_SERVICE } },
    }),
    new PolicyStatement({
      sid: 'SecurityGroupsInTheShopVpc',
      actions: ['ec2:CreateSecurityGroup'],
      resources: [`arn:${partition}:ec2:${region}:${account}:vpc/${scope.vpcId}`],
    }),
    new PolicyStatement({
      sid: 'DescribeTheNetwork',
      actions: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
      resources: ['*'],
    }),
    ...staffRoute(scope),
  ];
};

/**
 * What creating, changing or deleting the console's stack needs (ADR 0025): its function and log
 * group by name; what it is configured from (the platform's and the staff pool's parameters);
 * and its staff route.
 */
const consoleResources = (scope: DeployScope): PolicyStatement[] => {
  const named = namedResources(scope);
  const { partition, region, account } = scope;
  return [
    new PolicyStatement({
      sid: 'ItsOwnFunction',
      actions: ['lambda:*'],
      resources: named.lambda,
    }),
    new PolicyStatement({
      sid: 'ItsOwnLogGroup',
      actions: ['logs:*'],
      resources: named.logs,
    }),
    new PolicyStatement({
      sid: 'ReadWhatItIsConfiguredFrom',
      actions: ['ssm:GetParameter', 'ssm:GetParameters'],
      resources: [
        `arn:${partition}:ssm:${region}:${account}:parameter/shop/platform/*`,
        `arn:${partition}:ssm:${region}:${account}:parameter/shop/identity/*`,
        `arn:${partition}:ssm:${region}:${account}:parameter/cdk-bootstrap/${deployNames(scope.service).qualifier}/version`,
      ],
    }),
    ...staffRoute(scope),
  ];
};

/** Roles only under the service's path, only with its boundary, passed only to its runtimes. */
const ownRoles = (scope: DeployScope): PolicyStatement[] => {
  const roles = namedResources(scope).iam;
  return [
    new PolicyStatement({
      sid: 'CreateRolesOnlyWithItsBoundary',
      actions: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
      resources: roles,
      conditions: { StringEquals: { 'iam:PermissionsBoundary': boundaryArn(scope) } },
    }),
    new PolicyStatement({
      sid: 'ManageItsOwnRoles',
      actions: [
        'iam:GetRole',
        'iam:DeleteRole',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
        'iam:UpdateAssumeRolePolicy',
        'iam:GetRolePolicy',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:ListRoleTags',
      ],
      resources: roles,
    }),
    new PolicyStatement({
      sid: 'PassItsOwnRolesToItsRuntimes',
      actions: ['iam:PassRole'],
      resources: roles,
      conditions: {
        StringEquals: {
          'iam:PassedToService':
            scope.service === 'console'
              ? ['lambda.amazonaws.com']
              : ['lambda.amazonaws.com', 'pipes.amazonaws.com', 'scheduler.amazonaws.com'],
        },
      },
    }),
  ];
};

/**
 * The Lambda VPC guardrail: a function that calls queries is created and configured only in the
 * shop VPC and its subnets, with security groups; any function of the service attached to a VPC
 * is attached to the shop's. `lambda:VpcIds` is single-valued; `lambda:SubnetIds` and
 * `lambda:SecurityGroupIds` are multivalued, so they are tested with `ForAnyValue` and `Null`.
 */
export const vpcGuardrail = (scope: DeployScope): PolicyStatement[] => {
  const { partition, region, account } = scope;
  const actions = ['lambda:CreateFunction', 'lambda:UpdateFunctionConfiguration'];
  const callers = scope.queryCallers.map(
    (name) => `arn:${partition}:lambda:${region}:${account}:function:${name}`,
  );
  const deny = (sid: string, resources: string[], conditions: Record<string, unknown>) =>
    new PolicyStatement({ sid, effect: Effect.DENY, actions, resources, conditions });
  return [
    ...(callers.length === 0
      ? []
      : [
          deny('QueryCallersOnlyInTheShopVpc', callers, {
            StringNotEquals: { 'lambda:VpcIds': scope.vpcId },
          }),
          deny('QueryCallersOnlyInTheShopSubnets', callers, {
            'ForAnyValue:StringNotEquals': { 'lambda:SubnetIds': [...scope.subnetIds] },
          }),
          deny('QueryCallersWithSubnets', callers, { Null: { 'lambda:SubnetIds': 'true' } }),
          deny('QueryCallersWithSecurityGroups', callers, {
            Null: { 'lambda:SecurityGroupIds': 'true' },
          }),
        ]),
    deny('AnyVpcIsTheShopVpc', [...namedResources(scope).lambda], {
      Null: { 'lambda:VpcIds': 'false' },
      StringNotEquals: { 'lambda:VpcIds': scope.vpcId },
    }),
  ];
};

/** No request may tag a resource as another service's. */
const onlyItsOwnTag = () =>
  new PolicyStatement({
    sid: 'TagNothingAsAnotherService',
    effect: Effect.DENY,
    actions: ['*'],
    resources: ['*'],
    conditions: {
      Null: { [REQUEST_TAG]: 'false' },
      StringNotEquals: { [REQUEST_TAG]: PRINCIPAL_SERVICE },
    },
  });

/**
 * The policy of a service's CloudFormation execution role (`cdk bootstrap
 * --cloudformation-execution-policies`): create, change and delete only the service's own
 * resources and its staff route (the console's: its function, log group and staff route), roles only under its path
 * and with its boundary, the Lambda VPC guardrail, and no tag of another service.
 *
 * @example
 * ```ts
 * new ManagedPolicy(this, 'OrderExecution', { statements: executionStatements(scope) });
 * ```
 */
export const executionStatements = (scope: DeployScope): PolicyStatement[] => [
  ...(scope.service === 'console' ? consoleResources(scope) : ownResources(scope)),
  ...ownRoles(scope),
  ...vpcGuardrail(scope),
  onlyItsOwnTag(),
];

/**
 * A service's permissions boundary: the ceiling of its CloudFormation execution role and of
 * every role its stack creates. Whatever their policies say, they never touch another service's
 * named or tagged resources, never manage IAM outside the service's path, never create a role
 * without this boundary or remove it, never change the deploy policies, never tag as another
 * service, and never place a query caller outside the shop VPC.
 *
 * @example
 * ```ts
 * new ManagedPolicy(this, 'OrderBoundary', { statements: boundaryStatements(scope) });
 * ```
 */
export const boundaryStatements = (scope: DeployScope): PolicyStatement[] => {
  const { partition, account } = scope;
  const others = DEPLOYED_APPS.filter((other) => other !== scope.service).map((other) =>
    namedResources(scope, other),
  );
  return [
    new PolicyStatement({ sid: 'Ceiling', actions: ['*'], resources: ['*'] }),
    new PolicyStatement({
      sid: 'NothingOfAnotherServiceByName',
      effect: Effect.DENY,
      actions: ['*'],
      resources: others.flatMap((named) => [
        ...named.dynamodb,
        ...named.sqs,
        ...named.lambda,
        ...named.logs,
        ...named.events,
        ...named.scheduler,
        ...named.pipes,
        ...named.elasticloadbalancing,
        ...named.iam,
      ]),
    }),
    new PolicyStatement({
      sid: 'NothingOfAnotherServiceByTag',
      effect: Effect.DENY,
      actions: [
        'apigateway:*',
        'vpc-lattice:*',
        'verifiedpermissions:*',
        'ec2:*SecurityGroup*',
        'elasticloadbalancing:Modify*',
        'elasticloadbalancing:SetRulePriorities',
        'elasticloadbalancing:RegisterTargets',
        'elasticloadbalancing:DeregisterTargets',
        'elasticloadbalancing:Delete*',
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:RemoveTags',
      ],
      resources: ['*'],
      conditions: {
        Null: { [RESOURCE_TAG]: 'false' },
        StringNotEquals: { [RESOURCE_TAG]: PRINCIPAL_SERVICE },
      },
    }),
    new PolicyStatement({
      sid: 'NoIamOutsideItsPath',
      effect: Effect.DENY,
      actions: [
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:PutRolePolicy',
        'iam:AttachRolePolicy',
        'iam:UpdateAssumeRolePolicy',
        'iam:PassRole',
        'iam:CreateUser',
        'iam:CreatePolicy',
        'iam:CreatePolicyVersion',
        'iam:SetDefaultPolicyVersion',
        'iam:DeletePolicy',
        'iam:DeletePolicyVersion',
      ],
      notResources: [...namedResources(scope).iam],
    }),
    new PolicyStatement({
      sid: 'NoRoleWithoutThisBoundary',
      effect: Effect.DENY,
      actions: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'iam:PermissionsBoundary': boundaryArn(scope) } },
    }),
    new PolicyStatement({
      sid: 'KeepTheBoundary',
      effect: Effect.DENY,
      actions: ['iam:DeleteRolePermissionsBoundary'],
      resources: ['*'],
    }),
    new PolicyStatement({
      sid: 'NoChangeToTheDeployPolicies',
      effect: Effect.DENY,
      actions: ['iam:*'],
      resources: [`arn:${partition}:iam::${account}:policy/shop-*`],
    }),
    ...vpcGuardrail(scope),
    onlyItsOwnTag(),
  ];
};
