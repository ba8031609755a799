import { eventSource, SERVICE_NAMES } from '@shop/contracts';
import { type ShopTopology, shopTopology } from '@shop/topology';
import { ArnFormat, CfnParameter, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { CfnAuthPolicy, CfnServiceNetwork } from 'aws-cdk-lib/aws-vpclattice';
import type { Construct } from 'constructs';

/** Where services find the platform's resources: SSM parameters, never stack exports. */
export const PLATFORM_PARAMETERS = {
  eventBusName: '/shop/platform/event-bus-name',
  eventBusArn: '/shop/platform/event-bus-arn',
  serviceNetworkArn: '/shop/platform/service-network-arn',
} as const;

/** The IAM path of every role a service's stack creates: `/shop/<service>/`. */
export const serviceRolePath = (service: string): string => `/shop/${service}/`;

export interface PlatformStackProps extends StackProps {
  /** @default shopTopology() */
  readonly topology?: ShopTopology;
}

/**
 * The platform, deployed once before any service: the shop event bus with its archive, a bus
 * policy that lets a service's roles put events only with that service's own `source`, the VPC
 * Lattice service network with IAM auth and a guardrail (callers of the organization,
 * authenticated), and the SSM parameters the service stacks read. The organization id is the
 * `OrganizationId` parameter.
 *
 * @example
 * ```ts
 * new PlatformStack(app, 'ShopPlatform', { env: { account, region } });
 * ```
 */
export class PlatformStack extends Stack {
  readonly eventBus: EventBus;
  readonly serviceNetwork: CfnServiceNetwork;

  constructor(scope: Construct, id: string, props: PlatformStackProps = {}) {
    super(scope, id, props);
    const topology = props.topology ?? shopTopology();

    this.eventBus = new EventBus(this, 'EventBus', { eventBusName: topology.busName });
    this.eventBus.archive('Archive', {
      archiveName: topology.archiveName,
      description: 'Every event on the shop bus, for replay',
      eventPattern: { account: [this.account] },
      retention: Duration.days(topology.archiveRetentionDays),
    });

    for (const service of SERVICE_NAMES) {
      const roles = this.formatArn({
        service: 'iam',
        region: '',
        resource: 'role',
        resourceName: `${serviceRolePath(service).slice(1)}*`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
      this.eventBus.addToResourcePolicy(
        new PolicyStatement({
          sid: `${service}-only-own-source`,
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['events:PutEvents'],
          resources: [this.eventBus.eventBusArn],
          conditions: {
            ArnLike: { 'aws:PrincipalArn': roles },
            'ForAnyValue:StringNotEquals': { 'events:source': eventSource(service) },
          },
        }),
      );
    }

    const organizationId = new CfnParameter(this, 'OrganizationId', {
      type: 'String',
      description: 'The AWS Organizations id whose principals may call services on the network',
      allowedPattern: '^o-[a-z0-9]{10,32}$',
    });
    this.serviceNetwork = new CfnServiceNetwork(this, 'ServiceNetwork', {
      name: 'shop',
      authType: 'AWS_IAM',
    });
    new CfnAuthPolicy(this, 'ServiceNetworkGuardrail', {
      resourceIdentifier: this.serviceNetwork.attrArn,
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'OrganizationAuthenticatedOnly',
            Effect: 'Allow',
            Principal: '*',
            Action: 'vpc-lattice-svcs:Invoke',
            Resource: this.formatArn({
              service: 'vpc-lattice',
              resource: 'service',
              resourceName: '*',
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
            Condition: {
              StringEquals: { 'aws:PrincipalOrgID': organizationId.valueAsString },
              StringNotEqualsIgnoreCase: { 'aws:PrincipalType': 'anonymous' },
            },
          },
        ],
      },
    });

    new StringParameter(this, 'ServiceNetworkArnParameter', {
      parameterName: PLATFORM_PARAMETERS.serviceNetworkArn,
      stringValue: this.serviceNetwork.attrArn,
      description: 'ARN of the shop VPC Lattice service network',
    });
    new StringParameter(this, 'EventBusNameParameter', {
      parameterName: PLATFORM_PARAMETERS.eventBusName,
      stringValue: this.eventBus.eventBusName,
      description: 'Name of the shop event bus',
    });
    new StringParameter(this, 'EventBusArnParameter', {
      parameterName: PLATFORM_PARAMETERS.eventBusArn,
      stringValue: this.eventBus.eventBusArn,
      description: 'ARN of the shop event bus',
    });
  }
}
