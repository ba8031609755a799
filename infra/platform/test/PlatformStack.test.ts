import { SHOP_BUS } from '@shop/topology';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { createApp, PLATFORM_PARAMETERS, PlatformStack } from '../src/index.js';

const env = { account: '111122223333', region: 'eu-west-1' };

const synth = () => {
  const { app } = createApp(env);
  const stack = new PlatformStack(app, 'ShopPlatform', { env });
  return { app, template: Template.fromStack(stack) };
};

describe('PlatformStack', () => {
  const { app, template } = synth();

  it('creates the shop bus with a 14-day archive of the account’s events', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'shop' });
    template.hasResourceProperties('AWS::Events::Archive', {
      ArchiveName: 'shop-archive',
      RetentionDays: 14,
      EventPattern: { account: ['111122223333'] },
    });
  });

  it('writes every event of the account on the bus to the audit log group, for that rule only', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: SHOP_BUS.audit.logGroupName,
      RetentionInDays: SHOP_BUS.audit.retentionDays,
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'shop-audit',
      EventPattern: { account: ['111122223333'] },
      Targets: [
        {
          Arn: {
            'Fn::Join': [
              '',
              Match.arrayWith([':logs:eu-west-1:111122223333:log-group:/aws/events/shop-audit']),
            ],
          },
        },
      ],
    });
    // The document is a string joined with the rule's and the group's ARNs: its text, with each
    // ARN as the attribute it is read from.
    const documents = Object.values(template.findResources('AWS::Logs::ResourcePolicy')).map(
      (policy) =>
        (policy['Properties']['PolicyDocument']['Fn::Join'][1] as unknown[])
          .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
          .join(''),
    );
    expect(documents).toHaveLength(1);
    expect(documents[0]).toContain('"Action":["logs:CreateLogStream","logs:PutLogEvents"]');
    expect(documents[0]).toContain(
      '"Principal":{"Service":["events.amazonaws.com","delivery.logs.amazonaws.com"]}',
    );
    expect(documents[0]).toMatch(/"ArnEquals":\{"aws:SourceArn":"\{"Fn::GetAtt":\["AuditRule/);
    expect(documents[0]).toMatch(/"Resource":"\{"Fn::GetAtt":\["AuditLog[0-9A-F]+","Arn"\]\}"/);
  });

  it.each(['order', 'inventory', 'payment'])(
    "denies %s's roles any PutEvents with another service's source",
    (service) => {
      template.hasResourceProperties('AWS::Events::EventBusPolicy', {
        Statement: {
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'events:PutEvents',
          Condition: {
            ArnLike: {
              'aws:PrincipalArn': {
                'Fn::Join': ['', Match.arrayWith([`:iam::111122223333:role/shop/${service}/*`])],
              },
            },
            'ForAnyValue:StringNotEquals': { 'events:source': `shop.${service}` },
          },
        },
      });
    },
  );

  it('creates the service network with IAM auth and an organization-only guardrail', () => {
    template.hasResourceProperties('AWS::VpcLattice::ServiceNetwork', { AuthType: 'AWS_IAM' });
    template.hasResourceProperties('AWS::VpcLattice::AuthPolicy', {
      Policy: {
        Statement: [
          Match.objectLike({
            Effect: 'Allow',
            Action: 'vpc-lattice-svcs:Invoke',
            Condition: {
              StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } },
              StringNotEqualsIgnoreCase: { 'aws:PrincipalType': 'anonymous' },
            },
          }),
        ],
      },
    });
    template.hasParameter('OrganizationId', { AllowedPattern: '^o-[a-z0-9]{10,32}$' });
  });

  it('publishes the bus through SSM parameters, not stack exports', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: PLATFORM_PARAMETERS.eventBusName,
    });
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: PLATFORM_PARAMETERS.eventBusArn,
    });
    expect(Object.keys(template.toJSON()['Outputs'] ?? {})).toEqual([]);
  });

  it('gives functions that call Lattice a VPC with no route out but its endpoints, on the service network', () => {
    expect(Object.keys(template.findResources('AWS::EC2::NatGateway'))).toEqual([]);
    expect(Object.keys(template.findResources('AWS::EC2::InternetGateway'))).toEqual([]);
    expect(Object.keys(template.findResources('AWS::EC2::Subnet'))).toHaveLength(2);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['.dynamodb'])] }),
    });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      ServiceName: `com.amazonaws.${env.region}.verifiedpermissions`,
      PrivateDnsEnabled: true,
    });
    expect(Object.keys(template.findResources('AWS::EC2::VPCEndpoint'))).toHaveLength(2);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Interface endpoints of the shop VPC: HTTPS from the VPC',
      SecurityGroupIngress: [
        Match.objectLike({ CidrIp: '10.20.0.0/16', FromPort: 443, ToPort: 443 }),
      ],
    });
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC' });
    template.hasResourceProperties('AWS::VpcLattice::ServiceNetworkVpcAssociation', {
      SecurityGroupIds: [Match.anyValue()],
    });
    for (const name of [PLATFORM_PARAMETERS.vpcId, PLATFORM_PARAMETERS.subnetIds]) {
      template.hasResourceProperties('AWS::SSM::Parameter', { Name: name });
    }
  });

  it('passes the cdk-nag AwsSolutions checks', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('would fail synthesis on a cdk-nag finding', () => {
    const { app: bad } = createApp(env);
    new Queue(new Stack(bad, 'Bad', { env }), 'Unprotected');

    expect(() => bad.synth()).toThrow(/AwsSolutions-SQS/);
  });
});
