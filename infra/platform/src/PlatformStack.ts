import { eventSource, SERVICE_NAMES } from '@shop/contracts';
import { type ShopTopology, shopTopology } from '@shop/topology';
import { ArnFormat, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnEventBusPolicy, EventBus } from 'aws-cdk-lib/aws-events';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';

/** Where services find the platform's resources: SSM parameters, never stack exports. */
export const PLATFORM_PARAMETERS = {
  eventBusName: '/shop/platform/event-bus-name',
  eventBusArn: '/shop/platform/event-bus-arn',
} as const;

/** The IAM path of every role a service's stack creates: `/shop/<service>/`. */
export const serviceRolePath = (service: string): string => `/shop/${service}/`;

export interface PlatformStackProps extends StackProps {
  /** @default shopTopology() */
  readonly topology?: ShopTopology;
}

/**
 * The platform, deployed once before any service: the shop event bus with its archive, a bus
 * policy that lets a service's roles put events only with that service's own `source`, and the
 * SSM parameters the service stacks read.
 *
 * @example
 * ```ts
 * new PlatformStack(app, 'ShopPlatform', { env: { account, region } });
 * ```
 */
export class PlatformStack extends Stack {
  readonly eventBus: EventBus;

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
      new CfnEventBusPolicy(this, `OnlyOwnSource${service[0]?.toUpperCase()}${service.slice(1)}`, {
        eventBusName: this.eventBus.eventBusName,
        statementId: `${service}-only-own-source`,
        statement: {
          Sid: `${service}-only-own-source`,
          Effect: 'Deny',
          Principal: '*',
          Action: 'events:PutEvents',
          Resource: this.eventBus.eventBusArn,
          Condition: {
            ArnLike: { 'aws:PrincipalArn': roles },
            'ForAnyValue:StringNotEquals': { 'events:source': eventSource(service) },
          },
        },
      });
    }

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
