import { SERVICE_NAMES, type ServiceManifest, type ServiceName } from '@shop/contracts';
import { PLATFORM_PARAMETERS } from '@shop/platform';
import { SERVICE_TAG } from '@shop/topology';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SHOP_SERVICES } from './shop.js';
import { synthesizeServices } from './stacks.js';

const { templates } = synthesizeServices();

/** A function's logical id in its service's template, by its name. */
const functionId = (service: ServiceName, name: string): string => {
  const [id] = Object.entries(templates[service]?.findResources('AWS::Lambda::Function') ?? {})
    .filter(([, fn]) => fn['Properties']['FunctionName'] === name)
    .map(([logicalId]) => logicalId);
  return id ?? '';
};

/** The role a function runs as, by the logical id of its role. */
const roleOf = (service: ServiceName, name: string): unknown =>
  templates[service]?.findResources('AWS::Lambda::Function')[functionId(service, name)]?.[
    'Properties'
  ]['Role'];

describe('the staff functions (ADR 0021)', () => {
  it.each(SERVICE_NAMES)('%s has a staff function with a role of its own', (service) => {
    const staff = `${service}-staff`;
    expect(functionId(service, staff)).not.toBe('');
    const others = Object.values(templates[service]?.findResources('AWS::Lambda::Function') ?? {})
      .map((fn) => String(fn['Properties']['FunctionName']))
      .filter((name) => name !== staff);
    for (const other of others) {
      expect(JSON.stringify(roleOf(service, other))).not.toBe(
        JSON.stringify(roleOf(service, staff)),
      );
    }
  });

  it.each(SERVICE_NAMES)(
    '%s adds a rule for its prefix to the platform’s staff listener, forwarding to its staff function only',
    (service) => {
      const template = templates[service];
      template?.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
      template?.hasParameter('*', {
        Type: 'AWS::SSM::Parameter::Value<String>',
        Default: PLATFORM_PARAMETERS.staffListenerArn,
      });
      template?.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        ListenerArn: { Ref: Match.stringLikeRegexp('stafflistenerarn') },
        Priority: (SERVICE_NAMES.indexOf(service) + 1) * 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [`/${service}/*`] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('Targets') } }],
      });
      template?.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Name: `${service}-staff`,
        TargetType: 'lambda',
        Targets: [{ Id: { 'Fn::GetAtt': [functionId(service, `${service}-staff`), 'Arn'] } }],
      });
    },
  );

  it.each(SERVICE_NAMES)(
    '%s tags its target group and rule as itself at creation, as its deploy chain requires (ADR 0018)',
    (service) => {
      const tag = Match.arrayWith([{ Key: SERVICE_TAG, Value: service }]);
      templates[service]?.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Tags: tag,
      });
      templates[service]?.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Tags: tag,
      });
    },
  );

  it.each(SERVICE_NAMES)(
    "%s lets only its staff target group invoke its staff function, requires the Verified Access instance and accepts the console's client",
    (service) => {
      const template = templates[service];
      template?.hasResourceProperties('AWS::Lambda::Permission', {
        FunctionName: { 'Fn::GetAtt': [functionId(service, `${service}-staff`), 'Arn'] },
        Principal: 'elasticloadbalancing.amazonaws.com',
        SourceArn: {
          'Fn::Join': [
            '',
            Match.arrayWith([
              Match.stringLikeRegexp(`:elasticloadbalancing:.*:targetgroup/${service}-staff/\\*$`),
            ]),
          ],
        },
      });
      template?.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `${service}-staff`,
        Environment: {
          Variables: Match.objectLike({
            VERIFIED_ACCESS_INSTANCE_ARN: {
              Ref: Match.stringLikeRegexp('staffverifiedaccessinstancearn'),
            },
            STAFF_CONSOLE_CLIENT_ID: { Ref: Match.stringLikeRegexp('staffconsoleclientid') },
          }),
        },
      });
      expect(
        JSON.stringify(
          templates[service]?.findResources('AWS::Lambda::Function')[
            functionId(service, `${service}-staff`)
          ],
        ),
      ).not.toContain('VERIFIED_ACCESS_CONTEXT');
    },
  );

  it('leaves no staff route on any customer API, and no customer function any dead-letter grant', () => {
    for (const manifest of SHOP_SERVICES as readonly ServiceManifest[]) {
      for (const fn of Object.values(manifest.functions)) {
        const paths = Object.values(fn.routes ?? {}).map((route) => route.path);
        if (fn.trigger === 'rest') {
          expect(paths.filter((path) => path.startsWith('/admin'))).toEqual([]);
          expect(fn.access.deadLetters).toBeUndefined();
        }
      }
    }
    for (const service of SERVICE_NAMES) {
      const policies = JSON.stringify(
        Object.entries(templates[service]?.findResources('AWS::IAM::Policy') ?? {}).filter(([id]) =>
          id.startsWith('api'),
        ),
      );
      expect(policies).not.toContain('sqs:');
    }
  });

  it('gives Payment no REST API at all, since it has no customer route', () => {
    templates['payment']?.resourceCountIs('AWS::ApiGateway::RestApi', 0);
    expect(functionId('payment', 'payment-api')).toBe('');
    expect(functionId('payment', 'payment-authorizer')).toBe('');
  });
});
