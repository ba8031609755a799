import { consoleStatements, SHOP_MAP } from '@shop/console';
import { CONSOLE_ROUTE } from '@shop/console/infra';
import { IDENTITY_PARAMETERS, PLATFORM_PARAMETERS } from '@shop/platform';
import { describe, expect, it } from 'vitest';
import { env, synthesizeConsole } from './stacks.js';

const { app, template } = synthesizeConsole();

/** The one resource of a type in the console's template, with its logical id. */
const only = (
  type: string,
): { readonly id: string; readonly properties: Record<string, unknown> } => {
  const entries = Object.entries(template.findResources(type));
  expect(entries).toHaveLength(1);
  const [id, resource] = entries[0] ?? ['', { Properties: {} }];
  return { id, properties: resource['Properties'] as Record<string, unknown> };
};

/** A value of the template with the partition and URL suffix resolved, as in `aws`. */
const resolved = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(resolved);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (record['Ref'] === 'AWS::Partition') return 'aws';
  if (record['Ref'] === 'AWS::URLSuffix') return 'amazonaws.com';
  const join = record['Fn::Join'] as [string, unknown[]] | undefined;
  if (join !== undefined) {
    const parts = join[1].map(resolved);
    if (parts.every((part) => typeof part === 'string')) return parts.join(join[0]);
  }
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, resolved(inner)]));
};

/** A statement as IAM reads it, its actions and resources always lists. */
const normalized = (statement: Record<string, unknown>) => ({
  ...statement,
  Action: [statement['Action']].flat(),
  Resource: [statement['Resource']].flat(),
});

/** An SSM parameter of the template, by its name: the `Ref` a property takes it by. */
const parameterRef = (name: string) => {
  const [id] = Object.entries(template.toJSON()['Parameters'] ?? {})
    .filter(([, parameter]) => (parameter as { Default?: string }).Default === name)
    .map(([logicalId]) => logicalId);
  expect(id).toBeDefined();
  return { Ref: id };
};

describe('the staff console in AWS (ADR 0025)', () => {
  it('passes the cdk-nag AwsSolutions checks', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('is one Node 22 ARM64 function outside the VPC, with the staff entry’s and its own environment', () => {
    const fn = only('AWS::Lambda::Function');
    expect(fn.properties).toMatchObject({
      FunctionName: 'shop-console',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
    });
    expect(fn.properties).not.toHaveProperty('VpcConfig');
    const variables = (fn.properties['Environment'] as { Variables: Record<string, unknown> })
      .Variables;
    expect(resolved(variables)).toEqual({
      POWERTOOLS_SERVICE_NAME: 'console',
      STAFF_USER_POOL_ID: parameterRef(IDENTITY_PARAMETERS.staffUserPoolId),
      STAFF_USER_POOL_CLIENT_ID: parameterRef(IDENTITY_PARAMETERS.staffUserPoolClientId),
      STAFF_CONSOLE_CLIENT_ID: parameterRef(PLATFORM_PARAMETERS.staffConsoleClientId),
      VERIFIED_ACCESS_INSTANCE_ARN: parameterRef(
        PLATFORM_PARAMETERS.staffVerifiedAccessInstanceArn,
      ),
      CONSOLE_QUEUE_URL_BASE: `https://sqs.${env.region}.amazonaws.com/${env.account}`,
      CONSOLE_ASSETS: './web/',
      CONSOLE_MANAGED_LOGIN_URL: parameterRef(PLATFORM_PARAMETERS.staffManagedLoginUrl),
    });
  });

  it('logs to a log group of its own, kept a month', () => {
    const logs = only('AWS::Logs::LogGroup');
    expect(logs.properties).toMatchObject({
      LogGroupName: '/aws/lambda/shop-console',
      RetentionInDays: 30,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: logs.id } },
    });
  });

  it('runs as a role of its own that reads the logs and counts the queues, and nothing else', () => {
    const role = only('AWS::IAM::Role');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [role.id, 'Arn'] },
    });
    expect(role.properties).toMatchObject({
      Path: '/shop/console/',
      RoleName: 'shop-console-eu-west-1',
    });
    expect(role.properties).not.toHaveProperty('ManagedPolicyArns');
    expect(role.properties).not.toHaveProperty('Policies');
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    const policy = only('AWS::IAM::Policy');
    expect(policy.properties['Roles']).toEqual([{ Ref: role.id }]);
    const document = policy.properties['PolicyDocument'] as { Statement: unknown[] };
    const statements = (resolved(document.Statement) as Record<string, unknown>[]).map(normalized);
    const expected = consoleStatements(
      { partition: 'aws', region: env.region, account: env.account },
      SHOP_MAP,
    );
    expect(statements).toEqual(expected);
    const actions = statements.flatMap((statement) => statement.Action);
    expect(actions).toEqual(['logs:FilterLogEvents', 'sqs:GetQueueAttributes']);
    expect(JSON.stringify(statements)).not.toMatch(/dynamodb|sqs:SendMessage|"\*"/);
    const resources = statements.flatMap((statement) => statement.Resource);
    expect(resources).toContain(
      `arn:aws:logs:${env.region}:${env.account}:log-group:/aws/events/shop-audit:*`,
    );
    expect(resources).toContain(`arn:aws:sqs:${env.region}:${env.account}:order-events-dlq`);
  });

  it('adds the rule /console/* to the platform’s staff listener, forwarding to the function only', () => {
    expect(CONSOLE_ROUTE.priority).not.toBeOneOf([10, 20, 30]);
    const targets = only('AWS::ElasticLoadBalancingV2::TargetGroup');
    const fn = only('AWS::Lambda::Function');
    expect(targets.properties).toMatchObject({
      Name: 'shop-console',
      TargetType: 'lambda',
      Targets: [{ Id: { 'Fn::GetAtt': [fn.id, 'Arn'] } }],
    });
    const rule = only('AWS::ElasticLoadBalancingV2::ListenerRule');
    expect(rule.properties).toMatchObject({
      ListenerArn: parameterRef(PLATFORM_PARAMETERS.staffListenerArn),
      Priority: 40,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/console/*'] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: { Ref: targets.id } }],
    });
    const permission = only('AWS::Lambda::Permission');
    expect(permission.properties).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fn.id, 'Arn'] },
      Principal: 'elasticloadbalancing.amazonaws.com',
      SourceArn: expect.anything(),
    });
    expect(resolved(permission.properties['SourceArn'])).toBe(
      `arn:aws:elasticloadbalancing:${env.region}:${env.account}:targetgroup/shop-console/*`,
    );
  });
});
