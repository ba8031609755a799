import { eventSource, SERVICE_NAMES } from '@shop/contracts';
import {
  PLATFORM_OWNER,
  SERVICE_TAG,
  SHOP_BUS,
  serviceNetworkAuthPolicy,
  serviceRolePath,
} from '@shop/topology';
import {
  ArnFormat,
  CfnParameter,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
  Tags,
} from 'aws-cdk-lib';
import { CfnAnalyzer } from 'aws-cdk-lib/aws-accessanalyzer';
import {
  FlowLogDestination,
  GatewayVpcEndpointAwsService,
  InterfaceVpcEndpointAwsService,
  IpAddresses,
  type IVpc,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import {
  CfnAuthPolicy,
  CfnServiceNetwork,
  CfnServiceNetworkVpcAssociation,
} from 'aws-cdk-lib/aws-vpclattice';
import type { Construct } from 'constructs';
import { StaffAccess } from './StaffAccess.js';

/** Where services find the platform's resources: SSM parameters, never stack exports. */
export const PLATFORM_PARAMETERS = {
  eventBusName: '/shop/platform/event-bus-name',
  eventBusArn: '/shop/platform/event-bus-arn',
  serviceNetworkArn: '/shop/platform/service-network-arn',
  vpcId: '/shop/platform/vpc-id',
  /** Comma-separated, one isolated subnet per availability zone. */
  subnetIds: '/shop/platform/subnet-ids',
  /** The HTTPS listener of the staff load balancer, behind Verified Access (ADR 0021). */
  staffListenerArn: '/shop/platform/staff-listener-arn',
  staffLoadBalancerSecurityGroupId: '/shop/platform/staff-load-balancer-security-group-id',
  /** The Verified Access instance whose signed user context the staff functions require. */
  staffVerifiedAccessInstanceArn: '/shop/platform/staff-verified-access-instance-arn',
  /** The staff console's public app client of the staff pool (ADR 0026). */
  staffConsoleClientId: '/shop/platform/staff-console-client-id',
  /** The staff pool's managed login, e.g. `https://shop-staff-<account>.auth.<region>.amazoncognito.com`. */
  staffManagedLoginUrl: '/shop/platform/staff-managed-login-url',
} as const;

/** Where a service publishes its Lattice service for its callers' stacks. */
export const queryServiceParameters = (service: string) =>
  ({
    url: `/shop/${service}/queries-url`,
    serviceArn: `/shop/${service}/queries-service-arn`,
  }) as const;

/**
 * The AWS APIs a function in the shop's VPC can reach, by IAM service prefix, and the kind of VPC
 * endpoint that carries each. The VPC has no route out: a function that calls any other AWS
 * API from inside it would hang until its timeout. Functions run in the VPC only to call Lattice
 * services (through the service network association); what else they call must be here.
 */
export const VPC_ENDPOINTS = {
  dynamodb: 'gateway',
  verifiedpermissions: 'interface',
} as const satisfies Record<string, 'gateway' | 'interface'>;

/** The address range of the shop's VPC. */
const VPC_CIDR = '10.20.0.0/16';

/** The number of availability zones of the shop's VPC. */
export const PLATFORM_AZ_COUNT = 2;

/** After how many days without use a role's permission, key or role is reported as unused. */
export const UNUSED_ACCESS_AGE_DAYS = 90;

export interface PlatformStackProps extends StackProps {}

/**
 * The platform, deployed once before any service: the shop event bus with its archive, a bus
 * policy that lets a service's roles put events only with that service's own `source`, the VPC
 * Lattice service network with IAM auth and a guardrail (callers of the organization,
 * authenticated), the VPC that functions calling Lattice services run in (isolated subnets, no
 * internet route, the endpoints of `VPC_ENDPOINTS`, flow logs) associated with the network, and the
 * SSM parameters the service stacks read, and IAM Access Analyzer: one analyzer for access from
 * outside the account, one for access granted and not used. Everything is tagged
 * `shop:service=platform`. The organization id is the `OrganizationId` parameter.
 *
 * @example
 * ```ts
 * new PlatformStack(app, 'ShopPlatform', { env: { account, region } });
 * ```
 */
export class PlatformStack extends Stack {
  readonly eventBus: EventBus;
  readonly serviceNetwork: CfnServiceNetwork;
  readonly vpc: Vpc;
  readonly staffAccess: StaffAccess;

  constructor(scope: Construct, id: string, props: PlatformStackProps = {}) {
    super(scope, id, props);
    this.eventBus = this.shopEventBus();
    this.serviceNetwork = this.serviceNetworkWithGuardrail();
    this.vpc = this.functionsVpc();
    this.associateVpcWithServiceNetwork();
    this.staffAccess = this.staffEntry();
    this.publishParameters();
    this.accessAnalyzers();
    Tags.of(this).add(SERVICE_TAG, PLATFORM_OWNER);
  }

  /**
   * IAM Access Analyzer for the account: findings for resources shared outside it, and for
   * roles, permissions and keys not used for `UNUSED_ACCESS_AGE_DAYS` (a paid analyzer, charged
   * per role and user analyzed each month).
   */
  private accessAnalyzers(): void {
    new CfnAnalyzer(this, 'ExternalAccessAnalyzer', {
      analyzerName: 'shop-external-access',
      type: 'ACCOUNT',
    });
    new CfnAnalyzer(this, 'UnusedAccessAnalyzer', {
      analyzerName: 'shop-unused-access',
      type: 'ACCOUNT_UNUSED_ACCESS',
      analyzerConfiguration: {
        unusedAccessConfiguration: { unusedAccessAge: UNUSED_ACCESS_AGE_DAYS },
      },
    });
  }

  /** The shop bus, its archive, and a policy that lets each service put only its own source. */
  private shopEventBus(): EventBus {
    const topology = SHOP_BUS;
    const eventBus = new EventBus(this, 'EventBus', { eventBusName: topology.busName });
    eventBus.archive('Archive', {
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
      eventBus.addToResourcePolicy(
        new PolicyStatement({
          sid: `${service}-only-own-source`,
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['events:PutEvents'],
          resources: [eventBus.eventBusArn],
          conditions: {
            ArnLike: { 'aws:PrincipalArn': roles },
            'ForAnyValue:StringNotEquals': { 'events:source': eventSource(service) },
          },
        }),
      );
    }
    this.auditLog(eventBus);
    return eventBus;
  }

  /**
   * The audit log: the rule `shop-audit` writes every event of the account on the bus, as the
   * bus delivers it, to the log group `/aws/events/shop-audit`, kept as long as the archive. The
   * log group's resource policy lets EventBridge write there for this rule only (a native
   * `AWS::Logs::ResourcePolicy`: `aws-events-targets`' CloudWatchLogGroup would write it through
   * a custom resource, a Lambda function with a managed policy and `*` permissions). An order's
   * saga is one FilterLogEvents call with `orderTimelinePattern`.
   */
  private auditLog(eventBus: EventBus): void {
    const audit = SHOP_BUS.audit;
    const logGroup = new LogGroup(this, 'AuditLog', {
      logGroupName: audit.logGroupName,
      retention: RetentionDays.TWO_WEEKS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const rule = new Rule(this, 'AuditRule', {
      ruleName: audit.ruleName,
      description: 'Every event on the shop bus, to its audit log group',
      eventBus,
      eventPattern: { account: [this.account] },
    });
    rule.addTarget({
      bind: () => ({
        arn: this.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: audit.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      }),
    });
    logGroup.addToResourcePolicy(
      new PolicyStatement({
        sid: 'shop-audit-rule-writes',
        effect: Effect.ALLOW,
        principals: [
          new ServicePrincipal('events.amazonaws.com'),
          new ServicePrincipal('delivery.logs.amazonaws.com'),
        ],
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
        conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
      }),
    );
  }

  /** The Lattice service network with IAM auth, and its guardrail: the organization's callers. */
  private serviceNetworkWithGuardrail(): CfnServiceNetwork {
    const organizationId = new CfnParameter(this, 'OrganizationId', {
      type: 'String',
      description: 'The AWS Organizations id whose principals may call services on the network',
      allowedPattern: '^o-[a-z0-9]{10,32}$',
    });
    const serviceNetwork = new CfnServiceNetwork(this, 'ServiceNetwork', {
      name: 'shop',
      authType: 'AWS_IAM',
    });
    new CfnAuthPolicy(this, 'ServiceNetworkGuardrail', {
      resourceIdentifier: serviceNetwork.attrArn,
      policy: serviceNetworkAuthPolicy({
        organizationId: organizationId.valueAsString,
        services: this.formatArn({
          service: 'vpc-lattice',
          resource: 'service',
          resourceName: '*',
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      }),
    });
    return serviceNetwork;
  }

  /** Isolated subnets with no internet route, the endpoints of `VPC_ENDPOINTS` and flow logs. */
  private functionsVpc(): Vpc {
    const vpc = new Vpc(this, 'Vpc', {
      ipAddresses: IpAddresses.cidr(VPC_CIDR),
      maxAzs: PLATFORM_AZ_COUNT,
      natGateways: 0,
      subnetConfiguration: [{ name: 'functions', subnetType: SubnetType.PRIVATE_ISOLATED }],
      gatewayEndpoints: { DynamoDB: { service: GatewayVpcEndpointAwsService.DYNAMODB } },
    });
    const endpoints = new SecurityGroup(this, 'InterfaceEndpoints', {
      // aws-cdk-lib's Vpc declares optional members without `| undefined`.
      vpc: vpc as IVpc,
      allowAllOutbound: false,
      description: 'Interface endpoints of the shop VPC: HTTPS from the VPC',
    });
    endpoints.addIngressRule(Peer.ipv4(VPC_CIDR), Port.tcp(443), 'HTTPS from the VPC');
    vpc.addInterfaceEndpoint('VerifiedPermissions', {
      service: InterfaceVpcEndpointAwsService.VERIFIED_PERMISSIONS,
      privateDnsEnabled: true,
      // Its own rule above: `open` would add one from the VPC's CIDR as a token.
      open: false,
      securityGroups: [endpoints],
      subnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
    });
    vpc.addFlowLog('FlowLog', {
      destination: FlowLogDestination.toCloudWatchLogs(
        new LogGroup(this, 'FlowLogs', {
          retention: RetentionDays.ONE_MONTH,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
      ),
    });
    return vpc;
  }

  private associateVpcWithServiceNetwork(): void {
    const association = new SecurityGroup(this, 'ServiceNetworkAssociation', {
      // aws-cdk-lib's Vpc declares optional members without `| undefined`.
      vpc: this.vpc as IVpc,
      allowAllOutbound: false,
      description: 'Lets the VPC reach the Lattice service network over HTTPS',
    });
    association.addIngressRule(Peer.ipv4(VPC_CIDR), Port.tcp(443), 'HTTPS from the VPC');
    new CfnServiceNetworkVpcAssociation(this, 'VpcAssociation', {
      serviceNetworkIdentifier: this.serviceNetwork.attrId,
      vpcIdentifier: this.vpc.vpcId,
      securityGroupIds: [association.securityGroupId],
    });
  }

  /**
   * The staff entry (ADR 0021): Verified Access and the internal staff load balancer. Its
   * domain, the domain's ACM certificate and the Jamf tenant are parameters of the stack.
   */
  private staffEntry(): StaffAccess {
    const parameter = (id: string, description: string, allowedPattern: string) =>
      new CfnParameter(this, id, { type: 'String', description, allowedPattern }).valueAsString;
    return new StaffAccess(this, 'StaffAccess', {
      // aws-cdk-lib's Vpc declares optional members without `| undefined`.
      vpc: this.vpc as IVpc,
      applicationDomain: parameter(
        'StaffDomainName',
        'The domain staff open the staff APIs at, e.g. staff.shop.example.com',
        '^[a-z0-9.-]+$',
      ),
      certificateArn: parameter(
        'StaffCertificateArn',
        'The ACM certificate of the staff domain, in this region',
        '^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$',
      ),
      jamfTenantId: parameter(
        'JamfTenantId',
        'The Jamf tenant that reports the posture of staff devices',
        '^[A-Za-z0-9.-]+$',
      ),
    });
  }

  /** The SSM parameters (`PLATFORM_PARAMETERS`) the service stacks find the platform by. */
  private publishParameters(): void {
    const subnets = this.vpc.selectSubnets({ subnetType: SubnetType.PRIVATE_ISOLATED });
    for (const [id, parameterName, stringValue, description] of [
      ['VpcIdParameter', PLATFORM_PARAMETERS.vpcId, this.vpc.vpcId, 'The shop VPC'],
      [
        'SubnetIdsParameter',
        PLATFORM_PARAMETERS.subnetIds,
        Fn.join(',', subnets.subnetIds),
        'The isolated subnets functions calling Lattice services run in',
      ],
      [
        'StaffListenerArnParameter',
        PLATFORM_PARAMETERS.staffListenerArn,
        this.staffAccess.listener.listenerArn,
        'The HTTPS listener of the staff load balancer, where services add their staff rules',
      ],
      [
        'StaffLoadBalancerSecurityGroupIdParameter',
        PLATFORM_PARAMETERS.staffLoadBalancerSecurityGroupId,
        this.staffAccess.loadBalancerSecurityGroup.securityGroupId,
        'The security group of the staff load balancer',
      ],
      [
        'StaffVerifiedAccessInstanceArnParameter',
        PLATFORM_PARAMETERS.staffVerifiedAccessInstanceArn,
        this.staffAccess.instanceArn,
        'The Verified Access instance before the staff load balancer, the signer of its user context',
      ],
      [
        'StaffConsoleClientIdParameter',
        PLATFORM_PARAMETERS.staffConsoleClientId,
        this.staffAccess.consoleSignIn.clientId,
        'The staff console’s public app client of the staff user pool',
      ],
      [
        'StaffManagedLoginUrlParameter',
        PLATFORM_PARAMETERS.staffManagedLoginUrl,
        this.staffAccess.consoleSignIn.managedLoginUrl,
        'The staff user pool’s managed login, where the console signs in',
      ],
      [
        'ServiceNetworkArnParameter',
        PLATFORM_PARAMETERS.serviceNetworkArn,
        this.serviceNetwork.attrArn,
        'ARN of the shop VPC Lattice service network',
      ],
      [
        'EventBusNameParameter',
        PLATFORM_PARAMETERS.eventBusName,
        this.eventBus.eventBusName,
        'Name of the shop event bus',
      ],
      [
        'EventBusArnParameter',
        PLATFORM_PARAMETERS.eventBusArn,
        this.eventBus.eventBusArn,
        'ARN of the shop event bus',
      ],
    ] as const) {
      new StringParameter(this, id, { parameterName, stringValue, description });
    }
  }
}
