import type { AnyQueryDefinition } from '@shop/contracts';
import { policyPath } from '@shop/contracts';
import { PLATFORM_AZ_COUNT, PLATFORM_PARAMETERS, queryServiceParameters } from '@shop/platform';
import { queryInvokeStatement } from '@shop/topology';
import { Fn, Stack, Validations } from 'aws-cdk-lib';
import { type IVpc, Peer, Port, SecurityGroup, Vpc } from 'aws-cdk-lib/aws-ec2';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct, type IConstruct } from 'constructs';

/** What Lambda needs of a function's role to attach it to a VPC (AWSLambdaVPCAccessExecutionRole). */
export const VPC_ACCESS_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

/**
 * Where a service's functions that call other services' queries run: the platform's VPC (found
 * through its SSM parameters) and a security group that only leaves on HTTPS.
 *
 * @example
 * ```ts
 * const callers = new QueryCallers(this, 'QueryCallers');
 * callers.grantInvoke(fn, [ListProducts]);
 * ```
 */
export class QueryCallers extends Construct {
  readonly vpc: IVpc;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const parameter = (name: string) => StringParameter.valueForStringParameter(this, name);
    this.vpc = Vpc.fromVpcAttributes(this, 'PlatformVpc', {
      vpcId: parameter(PLATFORM_PARAMETERS.vpcId),
      // Functions are placed by subnet id; the zones only have to be as many as the subnets.
      availabilityZones: Array.from({ length: PLATFORM_AZ_COUNT }, (_, index) =>
        Fn.select(index, Fn.getAzs()),
      ),
      isolatedSubnetIds: Fn.split(',', parameter(PLATFORM_PARAMETERS.subnetIds), PLATFORM_AZ_COUNT),
    });
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      allowAllOutbound: false,
      // Kept as deployed: a security group's description cannot change without replacing it.
      description:
        'Functions that call Lattice services: HTTPS out (Lattice, the DynamoDB endpoint), nothing in',
    });
    this.securityGroup.addEgressRule(
      Peer.anyIpv4(),
      Port.tcp(443),
      'HTTPS to Lattice and the VPC endpoints',
    );
  }

  /** The URL of a provider's Lattice service, from its SSM parameter. */
  queriesUrl(provider: AnyQueryDefinition['provider']): string {
    return StringParameter.valueForStringParameter(this, queryServiceParameters(provider).url);
  }

  /**
   * Lets a function (placed in this VPC) `GET` exactly the paths of the queries it calls, on
   * each provider's Lattice service, and attach to the VPC.
   */
  grantInvoke(grantee: IGrantable & IConstruct, calls: readonly AnyQueryDefinition[]): void {
    const principal = grantee.grantPrincipal;
    for (const provider of [...new Set(calls.map((query) => query.provider))]) {
      const queries = calls.filter((query) => query.provider === provider);
      const serviceArn = StringParameter.valueForStringParameter(
        this,
        queryServiceParameters(provider).serviceArn,
      );
      principal.addToPrincipalPolicy(
        PolicyStatement.fromJson(queryInvokeStatement(serviceArn, queries)),
      );
      const { Ref: serviceArnParameter } = Stack.of(this).resolve(serviceArn) as { Ref: string };
      for (const route of queries
        .map((query) => policyPath(query.path))
        .filter((p) => p.includes('*'))) {
        Validations.of(grantee).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${serviceArnParameter}>${route}]`,
          reason: `The route's path parameter is the only wildcard: GET ${route} on ${provider}'s Lattice service, nothing else.`,
        });
      }
    }
    // unused-grant * ec2:*: Lambda, not the function's code, creates, describes and deletes the
    // network interfaces of a function in a VPC, with the function's role; locally a function
    // runs in a process on the host, and no network interface is made.
    principal.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'AttachToTheVpc', actions: VPC_ACCESS_ACTIONS, resources: ['*'] }),
    );
    Validations.of(grantee).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Lambda creates and deletes the network interfaces of a function in a VPC with its role; these EC2 actions support no resource-level permissions (the same as the AWSLambdaVPCAccessExecutionRole managed policy).',
    });
  }
}
