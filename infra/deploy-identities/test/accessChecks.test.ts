import type { TemplateJson } from '@shop/service-stack/resolved-access';
import { describe, expect, it } from 'vitest';
import {
  checkDeployAccess,
  type ForbiddenAccess,
  forbiddenAccessOf,
  type OwnedFunction,
  type PolicyChecker,
  policiesOf,
  type TemplatePolicy,
} from '../src/accessChecks.js';

const environment = {
  account: '111122223333',
  region: 'eu-west-1',
  busName: 'shop',
  latticeServiceArn: (service: string) =>
    `arn:aws:vpc-lattice:eu-west-1:111122223333:service/svc-${service}`,
  policyStoreId: () => 'PolicyStore',
  streamLabel: '2026-01-01T00:00:00.000',
};

const template: TemplateJson = {
  Resources: {
    ApiRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'lambda.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
      },
    },
    ApiPolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'dynamodb:GetItem',
              Resource: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':dynamodb:',
                    { Ref: 'AWS::Region' },
                    ':',
                    { Ref: 'AWS::AccountId' },
                    ':table/shop-order',
                  ],
                ],
              },
            },
          ],
        },
      },
    },
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'shop-order' } },
    Queries: { Type: 'AWS::VpcLattice::Service', Properties: {} },
    QueriesAuth: {
      Type: 'AWS::VpcLattice::AuthPolicy',
      Properties: {
        Policy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::111122223333:role/shop/order/order-api-eu-west-1' },
              Action: 'vpc-lattice-svcs:Invoke',
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Queries', 'Arn'] }, '/products']] },
            },
          ],
        },
      },
    },
  },
};

/** An Access Analyzer that answers from what each policy document contains. */
const analyzer = (): PolicyChecker & { readonly calls: string[] } => {
  const calls: string[] = [];
  return {
    calls,
    validate: async (policy) => {
      calls.push(`validate ${policy.id}`);
      return policy.document.includes('"*"')
        ? [{ type: 'SECURITY_WARNING', issue: 'PASS_ROLE_WITH_STAR_IN_RESOURCE' }]
        : [];
    },
    grantsNewAccess: async (policy, previous) => {
      calls.push(`new-access ${policy.id}`);
      return policy.document !== previous.document;
    },
    grants: async (policy, access: ForbiddenAccess) => {
      calls.push(`not-granted ${policy.id} ${access.actions.join(',')}`);
      return access.actions.some((action) => policy.document.includes(`"${action}"`));
    },
  };
};

const forbidden: ForbiddenAccess[] = [
  { actions: ['iam:PassRole'] },
  { actions: ['dynamodb:Scan'] },
];

describe('the access checks before a deploy', () => {
  const policies = policiesOf(environment, 'order', template);

  it("finds every policy of the template, trust policies as the role's own kind, intrinsics resolved", () => {
    expect(policies.map(({ id, policyType }) => [id, policyType])).toEqual([
      ['ApiRole:AssumeRolePolicyDocument', 'RESOURCE_POLICY'],
      ['ApiPolicy', 'IDENTITY_POLICY'],
      ['QueriesAuth', 'RESOURCE_POLICY'],
    ]);
    expect(policies[2]?.document).toContain(
      '"arn:aws:vpc-lattice:eu-west-1:111122223333:service/svc-order/products"',
    );
    expect(policies[0]?.resourceType).toBe('AWS::IAM::AssumeRolePolicyDocument');
    expect(policies[1]?.document).toContain(
      '"arn:aws:dynamodb:eu-west-1:111122223333:table/shop-order"',
    );
  });

  it('passes a template that grants nothing forbidden, and reports what it has not deployed before', async () => {
    const checker = analyzer();

    const report = await checkDeployAccess({
      policies,
      deployed: policies.slice(0, 1),
      forbidden,
      checker,
    });

    expect(report).toEqual({
      failures: [],
      newAccess: ['ApiPolicy: new policy', 'QueriesAuth: new policy'],
      checked: 3,
    });
    expect(checker.calls).toContain('not-granted ApiPolicy iam:PassRole');
    expect(checker.calls).not.toContain(
      'not-granted ApiRole:AssumeRolePolicyDocument iam:PassRole',
    );
  });

  it('fails on a security warning and on forbidden access, and reports new access', async () => {
    const overBroad: TemplatePolicy = {
      id: 'ApiPolicy',
      policyType: 'IDENTITY_POLICY',
      document: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['iam:PassRole', 'dynamodb:Scan'], Resource: '*' }],
      }),
    };

    const report = await checkDeployAccess({
      policies: [overBroad],
      deployed: policies,
      forbidden,
      checker: analyzer(),
    });

    expect(report.failures).toEqual([
      'ApiPolicy: SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE',
      'ApiPolicy: grants iam:PassRole',
      'ApiPolicy: grants dynamodb:Scan',
    ]);
    expect(report.newAccess).toEqual(['ApiPolicy: grants new access']);
  });
});

describe("the access checks before the console's deploy", () => {
  const where = { partition: 'aws', region: 'eu-west-1', account: '111122223333' };
  const functions: OwnedFunction[] = [
    { owner: 'order', functionName: 'order-api' },
    { owner: 'order', functionName: 'order-staff' },
    { owner: 'payment', functionName: 'payment-queries' },
    { owner: 'console', functionName: 'shop-console' },
  ];
  const arn = (name: string) => `arn:aws:lambda:eu-west-1:111122223333:function:${name}`;
  const invoked = (forbidden: readonly ForbiddenAccess[]) =>
    forbidden.find((access) => access.actions.includes('lambda:InvokeFunction'))?.resources;

  it("forbids the console every service's functions, and every service the console's", () => {
    expect(invoked(forbiddenAccessOf('console', where, functions))).toEqual([
      arn('order-api'),
      arn('order-staff'),
      arn('payment-queries'),
    ]);
    expect(invoked(forbiddenAccessOf('order', where, functions))).toEqual([
      arn('payment-queries'),
      arn('shop-console'),
    ]);
  });

  it("fails a console template whose role may invoke a service's function, and passes its own", async () => {
    const role = (action: string, resource: string): TemplateJson => ({
      Resources: {
        ConsoleRole: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Service: 'lambda.amazonaws.com' },
                  Action: 'sts:AssumeRole',
                },
              ],
            },
          },
        },
        ConsolePolicy: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
            },
          },
        },
      },
    });
    const forbidden = forbiddenAccessOf('console', where, functions);
    const check = (template: TemplateJson) =>
      checkDeployAccess({
        policies: policiesOf(environment, 'console', template),
        deployed: [],
        forbidden,
        checker: analyzer(),
      });

    const own = await check(
      role('sqs:GetQueueAttributes', 'arn:aws:sqs:eu-west-1:111122223333:order-events'),
    );
    const invoking = await check(role('lambda:InvokeFunction', arn('order-api')));

    expect(own.failures).toEqual([]);
    expect(invoking.failures).toEqual([
      `ConsolePolicy: grants lambda:InvokeFunction on ${[
        arn('order-api'),
        arn('order-staff'),
        arn('payment-queries'),
      ].join(', ')}`,
    ]);
  });
});
