import { PLATFORM_PARAMETERS, queryServiceParameters } from '@shop/platform';
import { type LatticeServiceTopology, serviceAuthPolicy, serviceRolePath } from '@shop/topology';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import {
  CfnAccessLogSubscription,
  CfnAuthPolicy,
  CfnListener,
  CfnService,
  CfnServiceNetworkServiceAssociation,
  CfnTargetGroup,
} from 'aws-cdk-lib/aws-vpclattice';
import { Construct } from 'constructs';

export interface QueryServiceProps {
  readonly lattice: LatticeServiceTopology;
  /** The function that answers the queries (Lambda event structure V2). */
  readonly handler: IFunction;
}

/**
 * A service's queries as a VPC Lattice service: IAM auth, a Lambda target with event structure
 * V2, an HTTPS listener, the auth policy that lets each caller's roles `GET` exactly the paths the
 * provider consents to, access logs, the association with the platform's service network, and
 * its URL and ARN published in SSM for its callers.
 *
 * @example
 * ```ts
 * new QueryService(this, 'Queries', { lattice, handler: fn });
 * ```
 */
export class QueryService extends Construct {
  constructor(scope: Construct, id: string, props: QueryServiceProps) {
    super(scope, id);
    const { lattice } = props;
    const service = new CfnService(this, 'Service', {
      name: lattice.latticeServiceName,
      authType: 'AWS_IAM',
    });
    const targetGroup = new CfnTargetGroup(this, 'TargetGroup', {
      name: lattice.latticeServiceName,
      type: 'LAMBDA',
      config: { lambdaEventStructureVersion: 'V2' },
      targets: [{ id: props.handler.functionArn }],
    });
    props.handler.addPermission('InvokedByLattice', {
      principal: new ServicePrincipal('vpc-lattice.amazonaws.com'),
      sourceArn: targetGroup.attrArn,
    });
    new CfnListener(this, 'Listener', {
      serviceIdentifier: service.attrId,
      protocol: 'HTTPS',
      port: 443,
      defaultAction: {
        forward: { targetGroups: [{ targetGroupIdentifier: targetGroup.attrId, weight: 100 }] },
      },
    });
    new CfnServiceNetworkServiceAssociation(this, 'ServiceNetworkAssociation', {
      serviceIdentifier: service.attrId,
      serviceNetworkIdentifier: StringParameter.valueForStringParameter(
        this,
        PLATFORM_PARAMETERS.serviceNetworkArn,
      ),
    });
    this.authorizeCallers(lattice, service);
    this.logAccess(lattice, service);
    this.publish(lattice, service);
  }

  /** The auth policy: each caller's roles may `GET` exactly the paths the provider consents to. */
  private authorizeCallers(lattice: LatticeServiceTopology, service: CfnService): void {
    const stack = Stack.of(this);
    new CfnAuthPolicy(this, 'AuthPolicy', {
      resourceIdentifier: service.attrId,
      policy: serviceAuthPolicy(lattice, {
        serviceArn: service.attrArn,
        roleArnPattern: (caller) =>
          stack.formatArn({
            service: 'iam',
            region: '',
            resource: 'role',
            resourceName: `${serviceRolePath(caller).slice(1)}*`,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
      }),
    });
  }

  /** One access-log line per request, in `/aws/vpc-lattice/<service>`. */
  private logAccess(lattice: LatticeServiceTopology, service: CfnService): void {
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/vpc-lattice/${lattice.latticeServiceName}`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new CfnAccessLogSubscription(this, 'AccessLogSubscription', {
      resourceIdentifier: service.attrId,
      destinationArn: accessLogs.logGroupArn,
    });
  }

  /** Its URL and ARN in SSM, where its callers' stacks find them. */
  private publish(lattice: LatticeServiceTopology, service: CfnService): void {
    const parameters = queryServiceParameters(lattice.service);
    new StringParameter(this, 'UrlParameter', {
      parameterName: parameters.url,
      stringValue: `https://${service.attrDnsEntryDomainName}`,
      description: `URL of ${lattice.service}'s Lattice service`,
    });
    new StringParameter(this, 'ServiceArnParameter', {
      parameterName: parameters.serviceArn,
      stringValue: service.attrArn,
      description: `ARN of ${lattice.service}'s Lattice service, for its callers' identity policies`,
    });
  }
}
